package bot_test

import (
	"context"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

func TestRouterDefaultCommand(t *testing.T) {
	rt := bot.NewRouter()
	var ran string
	rt.Command(bot.Command{Name: "help", Handler: func(_ context.Context, m *bot.Message, _ bot.Responder) error {
		ran = "help"
		return nil
	}})
	m := bottest.Command("佐藤", "/soudan")
	if err := rt.Dispatch(context.Background(), m, nil); err == nil {
		t.Fatalf("bare command without DefaultCommand: err nil, want unknown command")
	}
	rt.DefaultCommand = "help"
	if err := rt.Dispatch(context.Background(), bottest.Command("佐藤", "/soudan"), nil); err != nil || ran != "help" {
		t.Errorf("bare command: err %v, ran %q; want help", err, ran)
	}
}
