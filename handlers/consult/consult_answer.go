package consult

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// threadPost records a post in one of a consultation's threads: an answer
// from anyone but the asker, a follow-up from the asker. Mentions in it
// bring the people mentioned into the consultation.
func (a *Feature) threadPost(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if m.Address.Thread == "" {
		return bot.ErrSkip
	}
	at := m.Address
	c, err := a.Store.ConsultationByThread(at.Platform, at.Workspace, at.Channel, at.Thread)
	if errors.Is(err, store.ErrNotFound) {
		return bot.ErrSkip
	}
	if err != nil {
		return fmt.Errorf("thread post: %w", err)
	}
	from, _ := threadOf(at, 0)
	for _, th := range c.Threads {
		if th.Channel == from.Channel && th.Thread == from.Thread {
			from = th
		}
	}
	text := strings.TrimSpace(m.Text)
	if text != "" && !onlyMentions(text, m.Mentions) {
		if err := a.addMessage(ctx, m, c, from, text); err != nil {
			return err
		}
	}
	return a.bringIn(ctx, m, r, c, m.Mentions)
}

// onlyMentions reports whether text is nothing but mention tokens.
func onlyMentions(text string, mentions []string) bool {
	for _, id := range mentions {
		text = strings.ReplaceAll(text, bot.Mention(id), "")
	}
	return strings.TrimSpace(text) == ""
}

// addMessage records an answer or follow-up by the current user, moves an
// open consultation to answered, and relays the message to every other
// thread of the consultation (the asker always hears of an answer).
func (a *Feature) addMessage(ctx context.Context, m *bot.Message, c store.Consultation, from store.Thread, text string) error {
	u := handlers.UserFrom(ctx)
	if err := a.CheckText(text); err != nil {
		return err
	}
	kind := store.MsgAnswer
	if u.ID == c.AskerID {
		kind = store.MsgFollowUp
	}
	c, added, err := a.Store.AddConsultMessage(c.ID, store.ConsultMessage{Kind: kind, AuthorID: u.ID, Text: handlers.Clean(text), EventID: m.ID})
	if err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	msg := c.Messages[len(c.Messages)-1]
	if !added {
		// A redelivery of an event whose handling was cut short: finish
		// it. The relays' delivery keys make this safe to repeat.
		found := false
		for _, x := range c.Messages {
			if x.EventID == m.ID {
				msg, found = x, true
			}
		}
		if !found {
			return nil
		}
		a.Log.Info("resuming message", "consultation", c.ID, "message", msg.ID, "event", m.ID)
	}
	if kind == store.MsgAnswer && c.State == store.StateOpen {
		c, err = a.Store.UpdateConsultation(c.ID, func(c *store.Consultation) error {
			if c.State != store.StateOpen {
				return nil
			}
			now := a.Now()
			c.History = append(c.History, store.StateChange{From: c.State, To: store.StateAnswered, By: u.ID, At: now})
			c.State, c.AnsweredAt = store.StateAnswered, now
			return nil
		})
		if err != nil {
			return fmt.Errorf("mark answered: %w", err)
		}
	}
	a.relay(ctx, c, msg, from)
	return nil
}

// relay copies msg into every thread of c except the one it was posted
// in, each in its reader's language, and makes sure the asker hears of
// every answer even when they have no thread of their own.
func (a *Feature) relay(ctx context.Context, c store.Consultation, msg store.ConsultMessage, from store.Thread) {
	askerHasThread := false
	for _, th := range c.Threads {
		if th.UserID == c.AskerID && th.UserID != 0 {
			askerHasThread = true
		}
		if th.Channel == from.Channel && th.Thread == from.Thread {
			continue
		}
		if th.UserID == 0 && from.Thread != "" && from.UserID == 0 {
			continue // channel to channel: both public, nothing to copy
		}
		viewer := store.User{Locale: a.Config.DefaultLocale}
		if th.UserID != 0 {
			var err error
			if viewer, err = a.Store.User(th.UserID); err != nil {
				a.Log.Warn("relay: reader", "consultation", c.ID, "err", err)
				continue
			}
		} else if au, err := a.Store.User(msg.AuthorID); err == nil {
			viewer.Locale = au.Locale
		}
		r := a.relayReply(viewer, c, msg)
		r.Key = consultationKey(c.ID, "msg", msg.ID, th.Channel+"/"+th.Thread)
		if err := a.Deliver(ctx, handlers.ThreadAddress(th), r, ""); err != nil {
			a.Log.Warn("relay", "consultation", c.ID, "err", err)
		}
	}
	if msg.Kind == store.MsgAnswer && !askerHasThread {
		asker, err := a.Store.User(c.AskerID)
		if err != nil {
			a.Log.Warn("relay: asker", "consultation", c.ID, "err", err)
			return
		}
		r := a.relayReply(asker, c, msg)
		r.Buttons = []bot.Button{{ID: actionResolve, Label: a.T(asker, "consult.button.resolve"), Value: strconv.FormatUint(c.ID, 10)}}
		r.Key = consultationKey(c.ID, "msg", msg.ID, "asker")
		if err := a.SendDM(ctx, asker, r, ""); err != nil {
			a.Log.Warn("notify asker", "consultation", c.ID, "err", err)
		}
	}
}

// relayReply renders a relayed message for viewer.
func (a *Feature) relayReply(viewer store.User, c store.Consultation, msg store.ConsultMessage) bot.Reply {
	key := "consult.relay.answer"
	if msg.Kind == store.MsgFollowUp {
		key = "consult.relay.followup"
	}
	return bot.Reply{
		Text:   a.T(viewer, key, "ID", c.ID, "Author", a.authorLabel(viewer, c, msg.AuthorID)) + "\n" + msg.Text,
		Anchor: strconv.FormatUint(c.ID, 10),
	}
}

// bringIn sends the consultation card to each mentioned person who is not
// in it yet, so they can read along and answer.
func (a *Feature) bringIn(ctx context.Context, m *bot.Message, r bot.Responder, c store.Consultation, mentions []string) error {
	if len(mentions) == 0 {
		return nil
	}
	inviter := handlers.UserFrom(ctx)
	topic, _ := a.Store.Topic(c.TopicID)
	link := ""
	if c.Public != nil {
		if l, ok := a.Linker(c.Public.Platform); ok {
			link, _ = l.Permalink(ctx, handlers.ThreadAddress(*c.Public))
		}
	}
	var names []string
	for _, pid := range mentions {
		u, err := a.UserByPlatformID(ctx, m.Address, pid)
		if err != nil {
			return err
		}
		// A participant's card may still be on its way: their thread is
		// recorded when it is delivered.
		if u.ID == inviter.ID || u.ID == c.AskerID || hasThread(c, u.ID) || slices.Contains(c.Participants, u.ID) {
			continue
		}
		card := a.consultCard(u, c, topic, true)
		card.Text = a.T(u, "consult.invite", "ID", c.ID, "By", a.authorLabel(u, c, inviter.ID)) + "\n\n" + card.Text
		if link != "" {
			card.Fields = append(card.Fields, bot.Field{Label: a.T(u, "consult.field.thread"), Value: link})
		}
		if err := a.SendDM(ctx, u, card, threadOnSent(c.ID, u.ID)); err != nil {
			a.Log.Warn("bring in", "consultation", c.ID, "user", u.ID, "err", err)
			continue
		}
		if _, err := a.Store.UpdateConsultation(c.ID, func(c *store.Consultation) error {
			c.Participants = handlers.AppendUnique(c.Participants, u.ID)
			return nil
		}); err != nil {
			return fmt.Errorf("bring in: %w", err)
		}
		names = append(names, a.T(inviter, "consult.name", "Name", u.Name))
	}
	if len(names) > 0 {
		_, err := r.Reply(ctx, bot.Reply{InThread: true, Text: a.T(inviter, "consult.invited", "Names", strings.Join(names, a.T(inviter, "consult.list_sep")))})
		return err
	}
	return nil
}

// hasThread reports whether the user has a thread of their own in c.
func hasThread(c store.Consultation, userID uint64) bool {
	_, ok := handlers.UserThread(c, userID)
	return ok
}
