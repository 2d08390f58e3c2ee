package handlers_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/testenv"
)

// outcomes is a feature whose commands end each way a handler can.
type outcomes struct{}

func (outcomes) Register(rt *bot.Router) {
	for name, h := range map[string]bot.Handler{
		"fine": func(context.Context, *bot.Message, bot.Responder) error { return nil },
		"refuse": func(context.Context, *bot.Message, bot.Responder) error {
			return bot.Errorf(bot.CodeInvalid, "error.internal", "Incident", "x")
		},
		"fail":  func(context.Context, *bot.Message, bot.Responder) error { return errors.New("disk on fire") },
		"crash": func(context.Context, *bot.Message, bot.Responder) error { panic("boom") },
	} {
		rt.Command(bot.Command{Name: name, Handler: h})
	}
}

// Config.Observe is told of every message handled, with its result: ok,
// refused (a *bot.Error) or error (a failure or a panic).
func TestObserveReportsEachResult(t *testing.T) {
	var (
		mu  sync.Mutex
		got []string
	)
	e := testenv.New(t, testenv.Options{Config: func(c *handlers.Config) {
		c.Observe = func(platform, kind, result string, took time.Duration) {
			mu.Lock()
			defer mu.Unlock()
			if took < 0 {
				t.Errorf("took = %v", took)
			}
			got = append(got, platform+" "+kind+" "+result)
		}
	}})
	e.Register(outcomes{})
	for _, line := range []string{"fine", "refuse", "fail", "crash"} {
		e.Ad.Do(context.Background(), e.Router, bottest.Command("U1", line))
	}
	p := bottest.Platform
	want := []string{p + " command ok", p + " command refused", p + " command error", p + " command error"}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(got, want) {
		t.Errorf("Observe = %q, want %q", got, want)
	}
}
