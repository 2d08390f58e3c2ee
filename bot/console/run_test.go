package console_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

func TestRunStopsWhenContextEnds(t *testing.T) {
	in, w := io.Pipe()
	defer w.Close()
	d := &recorder{}
	a := console.New(in, &strings.Builder{}, console.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error)
	go func() { errc <- a.Run(ctx, d) }()
	if _, err := io.WriteString(w, "first\n"); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
}

// TestRunIsSynchronous checks that a line is dispatched only after the
// previous dispatch returned.
func TestRunIsSynchronous(t *testing.T) {
	busy := false
	d := &recorder{reply: func(context.Context, *bot.Message, bot.Responder) error {
		if busy {
			return errors.New("dispatched while busy")
		}
		busy = true
		time.Sleep(time.Millisecond)
		busy = false
		return nil
	}}
	out := run(t, strings.Repeat("x\n", 20), d)
	if strings.Contains(out, "! error") || len(d.messages()) != 20 {
		t.Errorf("got %d messages and output\n%s", len(d.messages()), out)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestRunReportsReadErrors(t *testing.T) {
	a := console.New(io.MultiReader(strings.NewReader("last\n"), failingReader{}), &strings.Builder{}, console.Options{})
	d := &recorder{}
	err := a.Run(t.Context(), d)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("Run = %v, want the read error", err)
	}
	if n := len(d.messages()); n != 1 {
		t.Errorf("dispatched %d messages, want the line before the error", n)
	}
}

func TestRunLastLineWithoutNewline(t *testing.T) {
	d := &recorder{}
	run(t, "one\ntwo", d)
	if msgs := d.messages(); len(msgs) != 2 || msgs[1].Text != "two" {
		t.Errorf("got %+v, want one and two", msgs)
	}
}
