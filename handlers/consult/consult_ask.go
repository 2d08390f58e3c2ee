package consult

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// askRequest is a question on its way to becoming a consultation.
type askRequest struct {
	topic store.Topic // zero: match the text against topics
	text  string
	anon  bool
}

// ask creates a consultation, publishes it where it was asked, and routes
// it to mentors. A platform's redelivery of the same event creates nothing
// new; if the first delivery was cut short (a crash between creating the
// consultation and routing it), the redelivery finishes the work: every
// message it queues has a stable delivery key, so nothing goes out twice.
func (a *Feature) ask(ctx context.Context, m *bot.Message, r bot.Responder, req askRequest) error {
	asker := handlers.UserFrom(ctx)
	if err := a.CheckText(req.text); err != nil {
		return err
	}
	text := handlers.Clean(req.text)
	topic := req.topic
	if topic.ID == 0 {
		var err error
		if topic, err = a.matchTopic(text); err != nil {
			return err
		}
	}
	c, created, err := a.Store.CreateConsultation(store.Consultation{
		TopicID: topic.ID, AskerID: asker.ID, Anonymous: req.anon, EventID: m.ID,
		Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: text, EventID: m.ID}},
	})
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	switch {
	case !created:
		a.Log.Info("resuming consultation", "consultation", c.ID, "event", m.ID)
		if t, err := a.Store.Topic(c.TopicID); err == nil {
			topic = t
		}
	case c.Anonymous:
		a.Log.Info("consultation opened", "consultation", c.ID, "topic", topic.ID, "anonymous", true)
	default:
		a.Log.Info("consultation opened", "consultation", c.ID, "topic", topic.ID, "asker", asker.ID)
	}

	var mentors []store.User
	if created || (c.Public == nil && len(c.Threads) == 0 && len(c.Routed) == 0) {
		// Not published yet: choose mentors, show it where it was asked,
		// and record both in one update.
		if mentors, err = a.pickMentors(c, asker); err != nil {
			return err
		}
		threads, public, err := a.publish(ctx, m, r, c, topic, asker, mentors)
		if err != nil {
			return err
		}
		routed := make([]uint64, len(mentors))
		for i, mu := range mentors {
			routed[i] = mu.ID
		}
		if c, err = a.Store.UpdateConsultation(c.ID, func(c *store.Consultation) error {
			c.Public = public
			c.Threads = append(c.Threads, threads...)
			c.Routed = routed
			return nil
		}); err != nil {
			return fmt.Errorf("record routing: %w", err)
		}
	} else {
		for _, id := range c.Routed {
			mu, err := a.Store.User(id)
			if err != nil {
				return fmt.Errorf("resume routing: %w", err)
			}
			mentors = append(mentors, mu)
		}
	}
	a.route(ctx, c, topic, mentors)
	return nil
}

// route queues the consultation card for each mentor (their card thread is
// recorded once it is delivered), or tells the admins no one is available.
// It is safe to run again: the delivery keys name the consultation and the
// recipient.
func (a *Feature) route(ctx context.Context, c store.Consultation, topic store.Topic, mentors []store.User) {
	for _, mu := range mentors {
		card := a.consultCard(mu, c, topic, true)
		card.Key = consultationKey(c.ID, "card", mu.ID)
		if err := a.SendDM(ctx, mu, card, threadOnSent(c.ID, mu.ID)); err != nil {
			a.Log.Warn("route consultation", "consultation", c.ID, "mentor", mu.ID, "err", err)
		}
	}
	if len(mentors) == 0 {
		a.NotifyAdmins(ctx, consultationKey(c.ID, "no-mentor"), "consult.admin.no_mentor", "ID", c.ID, "Topic", topic.Name, "Question", handlers.Excerpt(c.Question(), 80))
	}
}

// publish shows the new consultation where it was asked and returns the
// threads it lives in: the public thread of a channel question, and the
// asker's DM thread for DM questions (an anonymous channel question's DM
// confirmation records its thread when it is delivered).
func (a *Feature) publish(ctx context.Context, m *bot.Message, r bot.Responder, c store.Consultation, topic store.Topic, asker store.User, mentors []store.User) ([]store.Thread, *store.Thread, error) {
	ack := a.ackText(asker, c, topic, mentors)
	anchor := strconv.FormatUint(c.ID, 10)
	var threads []store.Thread
	var public *store.Thread
	switch {
	case m.Kind == bot.KindPost && !m.Direct:
		// The post itself is the question: answer in its thread.
		at, err := r.Reply(ctx, bot.Reply{Text: ack, InThread: true, Anchor: anchor})
		if err != nil {
			return nil, nil, fmt.Errorf("acknowledge question: %w", err)
		}
		if th, ok := threadOf(at, 0); ok {
			public = &th
			threads = append(threads, th)
		}
	case !m.Direct:
		// A command or form in a channel: the bot posts the question there
		// (without a name when anonymous) and confirms to the asker alone.
		card := a.consultCard(asker, c, topic, false)
		card.Fields = a.publicFields(asker, c, topic)
		at, err := r.Reply(ctx, card)
		if err != nil {
			return nil, nil, fmt.Errorf("post question: %w", err)
		}
		if th, ok := threadOf(at, 0); ok {
			public = &th
			threads = append(threads, th)
		}
		if c.Anonymous {
			// The asker follows an anonymous question from their DM.
			card := a.askerCard(asker, c, topic, ack)
			card.Key = consultationKey(c.ID, "asker")
			if err := a.SendDM(ctx, asker, card, threadOnSent(c.ID, asker.ID)); err != nil {
				return nil, nil, err
			}
		} else if _, err := r.Reply(ctx, bot.Reply{Text: ack, Ephemeral: true, Anchor: anchor}); err != nil {
			return nil, nil, fmt.Errorf("acknowledge question: %w", err)
		}
	default:
		at, err := r.Reply(ctx, a.askerCard(asker, c, topic, ack))
		if err != nil {
			return nil, nil, fmt.Errorf("acknowledge question: %w", err)
		}
		if th, ok := threadOf(at, asker.ID); ok {
			threads = append(threads, th)
		}
	}
	return threads, public, nil
}

// ackText tells the asker what happened to their question.
func (a *Feature) ackText(asker store.User, c store.Consultation, topic store.Topic, mentors []store.User) string {
	var b strings.Builder
	if len(mentors) == 0 {
		b.WriteString(a.T(asker, "consult.ack.no_mentor", "ID", c.ID, "Topic", topic.Name))
	} else {
		names := make([]string, len(mentors))
		for i, mu := range mentors {
			names[i] = a.T(asker, "consult.name", "Name", mu.Name)
		}
		b.WriteString(a.T(asker, "consult.ack.routed", "ID", c.ID, "Topic", topic.Name, "Mentors", strings.Join(names, a.T(asker, "consult.list_sep")), "Count", len(mentors)))
	}
	if c.Anonymous {
		b.WriteString("\n" + a.T(asker, "consult.ack.anonymous"))
	}
	return b.String()
}

// threadOf turns the address of a posted message into a consultation
// thread owned by userID (0 for a channel thread).
func threadOf(at bot.Address, userID uint64) (store.Thread, bool) {
	if at.Thread == "" {
		return store.Thread{}, false
	}
	return store.Thread{Platform: at.Platform, Workspace: at.Workspace, Channel: at.Channel, Thread: at.Thread, UserID: userID}, true
}
