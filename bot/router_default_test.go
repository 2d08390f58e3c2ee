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

func TestSenderFor(t *testing.T) {
	slack, teams := bottest.New("slack"), bottest.New("teams")
	mux := bot.Mux{"slack": slack, "teams": teams}
	if got := bot.SenderFor(mux, "teams"); got != teams {
		t.Errorf("SenderFor(mux, teams) = %v, want the teams sender", got)
	}
	if got := bot.SenderFor(mux, "console"); got != nil {
		t.Errorf("SenderFor(mux, console) = %v, want nil", got)
	}
	if got := bot.SenderFor(slack, "anything"); got != slack {
		t.Errorf("SenderFor(single, p) = %v, want the single sender", got)
	}
	if _, ok := bot.SenderFor(mux, "slack").(bot.Linker); !ok {
		t.Errorf("the slack sender's Linker was not found through the mux")
	}
}
