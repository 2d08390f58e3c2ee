package handlers_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store/kv"
)

// passing is a feature whose handler fails as a replica's does when its
// database stalls or its transactions keep losing to other replicas'.
type passing struct{ err error }

func (p passing) Register(rt *bot.Router) {
	rt.Command(bot.Command{Name: "busy", Handler: func(context.Context, *bot.Message, bot.Responder) error { return p.err }})
}

// A failure of the database that passes is not answered with "something
// went wrong": it reaches the inbox, which keeps the event to handle it
// again; any other failure is answered and swallowed as before.
func TestAPassingDatabaseFailureGoesBackToTheInbox(t *testing.T) {
	for _, cause := range []error{kv.ErrConflict, kv.ErrUnavailable} {
		e := testenv.New(t, testenv.Options{})
		err := fmt.Errorf("ask: pgkv: %w", cause)
		e.Register(passing{err})
		turn := e.Ad.Do(context.Background(), e.Router, bottest.Command("U1", "busy"))
		if !errors.Is(turn.Err, cause) {
			t.Errorf("%v: Dispatch = %v, want the failure returned", cause, turn.Err)
		}
		if len(turn.Replies) != 0 {
			t.Errorf("%v: replied %q, want no answer until it is handled", cause, turn.Text())
		}
	}
	e := testenv.New(t, testenv.Options{})
	e.Register(passing{errors.New("disk on fire")})
	turn := e.Ad.Do(context.Background(), e.Router, bottest.Command("U1", "busy"))
	if turn.Err != nil || len(turn.Replies) != 1 {
		t.Errorf("a defect: Dispatch = %v with %d replies, want it answered (an incident) and swallowed", turn.Err, len(turn.Replies))
	}
}
