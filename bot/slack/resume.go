package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/soudan/soudan/bot"
)

// originDoc is an origin as the inbox and the form state keep it, to
// answer an event or a form's submission after a restart. The trigger id
// is not kept: it expires in seconds. The response_url is kept: a slash
// command's answer can still use it for half an hour.
type originDoc struct {
	Team        string    `json:"team,omitempty"`
	User        string    `json:"user,omitempty"`
	Channel     string    `json:"channel,omitempty"`
	Thread      string    `json:"thread,omitempty"`
	Source      string    `json:"source,omitempty"`
	Direct      bool      `json:"direct,omitempty"`
	Home        bool      `json:"home,omitempty"`
	InHome      bool      `json:"in_home,omitempty"`
	ResponseURL string    `json:"response_url,omitempty"`
	Received    time.Time `json:"received,omitzero"`
}

// doc is o as the inbox and the form state keep it.
func (o origin) doc() originDoc {
	return originDoc{
		Team: o.team, User: o.user, Channel: o.channel, Thread: o.thread, Source: o.source,
		Direct: o.direct, Home: o.home, InHome: o.inHome, ResponseURL: o.responseURL, Received: o.received,
	}
}

// origin is the origin d keeps.
func (d originDoc) origin() origin {
	return origin{
		team: d.Team, user: d.User, channel: d.Channel, thread: d.Thread, source: d.Source,
		direct: d.Direct, home: d.Home, inHome: d.InHome, responseURL: d.ResponseURL, received: d.Received,
	}
}

// encode is o as the inbox keeps it.
func (o origin) encode() []byte {
	b, _ := json.Marshal(o.doc())
	return b
}

// decodeOrigin reads an origin kept by encode.
func decodeOrigin(b []byte) (origin, error) {
	var d originDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return origin{}, err
	}
	return d.origin(), nil
}

// accept records m in d's inbox before Slack is acknowledged, then calls
// ack with the outcome: nil to acknowledge, an error to refuse so that
// Slack delivers the event again. It reports whether to dispatch m.
func (a *Adapter) accept(ctx context.Context, d bot.Dispatcher, m *bot.Message, o origin, ack func(error)) bool {
	first, err := bot.Record(ctx, d, m, o.encode())
	if err != nil {
		a.seen.forget(m.ID)
		a.log.Warn("slack: event not recorded; refused so that Slack sends it again", "event", m.ID, "err", err)
	}
	ack(err)
	return err == nil && first
}

var _ bot.Resumer = (*Adapter)(nil)

// Resume handles an event recorded before a restart: its replies go where
// they would have gone, except that a form can no longer open as a modal
// (the trigger expired) and is posted with a button instead.
func (a *Adapter) Resume(ctx context.Context, d bot.Dispatcher, m *bot.Message, raw []byte) error {
	o, err := decodeOrigin(raw)
	if err != nil {
		return fmt.Errorf("slack: resume %s: %w", m.ID, err)
	}
	done := make(chan struct{})
	a.background(ctx, func(ctx context.Context) {
		defer close(done)
		a.handle(ctx, d, m, o, nil)
	})
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}
