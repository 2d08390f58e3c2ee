package bottest

import (
	"context"
	"strings"

	"github.com/soudan/soudan/bot"
)

// Turn is what happened while one message was dispatched.
type Turn struct {
	Replies   []bot.Reply   // the replies, in order
	Addresses []bot.Address // the address each reply returned
	Err       error         // what Dispatch returned
	Sent      []Delivery    // the Sends recorded while the turn ran
}

// Do dispatches m through d with a responder that records the replies,
// and returns the turn. A reply goes where m came from: with InThread, a
// top-level channel message gets its thread rooted at m.ID. The returned
// addresses follow Send's convention (Thread set to the thread's root).
func (a *Adapter) Do(ctx context.Context, d bot.Dispatcher, m *bot.Message) *Turn {
	a.mu.Lock()
	before := len(a.sent)
	a.mu.Unlock()
	t := &Turn{}
	t.Err = d.Dispatch(ctx, m, &responder{a: a, m: m, t: t})
	a.mu.Lock()
	t.Sent = append([]Delivery(nil), a.sent[before:]...)
	a.mu.Unlock()
	return t
}

// responder records the replies of one turn.
type responder struct {
	a *Adapter
	m *bot.Message
	t *Turn
}

// Reply records r and returns the address of the reply.
func (r *responder) Reply(_ context.Context, rep bot.Reply) (bot.Address, error) {
	to := r.m.Address
	if rep.InThread && to.Thread == "" && !r.m.Direct {
		to.Thread = r.m.ID
	}
	r.a.mu.Lock()
	defer r.a.mu.Unlock()
	at := r.a.posted(to, r.a.nextIDLocked())
	r.t.Replies = append(r.t.Replies, rep)
	r.t.Addresses = append(r.t.Addresses, at)
	return at, nil
}

// Text returns the words of every reply, one item a line, for Contains
// checks: titles, texts, fields as "Label: Value", button labels, and a
// form's title, intro, input labels and errors. Mentions stay <@ID> tokens.
func (t *Turn) Text() string {
	var b strings.Builder
	line := func(s string) {
		if s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	for _, r := range t.Replies {
		line(r.Title)
		line(r.Text)
		for _, f := range r.Fields {
			line(f.Label + ": " + f.Value)
		}
		for _, btn := range r.Buttons {
			line(btn.Label)
		}
		if f := r.Form; f != nil {
			line(f.Title)
			line(f.Intro)
			for _, in := range f.Inputs {
				line(in.Label)
				line(f.Errors[in.Name])
			}
		}
	}
	return b.String()
}
