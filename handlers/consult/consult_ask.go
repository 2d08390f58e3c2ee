package consult

import (
	"context"
	"fmt"
	"slices"
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

// ask creates a consultation and routes it to mentors in one commit with
// the event's done mark (the mentors' cards and any notice to admins are
// outbox items of that commit), then acknowledges it where it was asked. A
// crash before the commit leaves the event in the inbox, handled again at
// the next start; after it, a platform's redelivery changes nothing. A
// question posted in a channel has its public thread (the post's own)
// from the start, so a reply there is never missed.
func (a *Feature) ask(ctx context.Context, m *bot.Message, r bot.Responder, req askRequest) error {
	asker := handlers.UserFrom(ctx)
	if err := a.CheckText(req.text); err != nil {
		return err
	}
	text := handlers.Clean(req.text)
	tips := a.related(ctx, text, asker)
	var (
		c       store.Consultation
		topic   store.Topic
		mentors []store.User
		publish bool // not shown where it was asked yet
	)
	err := a.Commit(ctx, func(tx *store.Tx) (err error) {
		if topic = req.topic; topic.ID == 0 {
			if topic, err = a.matchTopicTx(tx, text); err != nil {
				return err
			}
		}
		c = store.Consultation{
			TopicID: topic.ID, AskerID: asker.ID, Anonymous: req.anon, FromChannel: req.anon && !m.Direct, EventID: m.ID,
			Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: text, EventID: m.ID}},
		}
		if th, ok := postThread(m); ok {
			c.Public, c.Threads = &th, []store.Thread{th}
		}
		if mentors, err = a.rankMentorsTx(tx, c, asker, a.opt.MaxRouted); err != nil {
			return err
		}
		for _, mu := range mentors {
			c.Routed = append(c.Routed, mu.ID)
		}
		var created bool
		if c, created, err = tx.Consultations().Create(c); err != nil {
			return err
		}
		publish = created
		if !created {
			// This event created the consultation before a crash cut its
			// handling short (a file of a version that committed in
			// steps): finish the job.
			if c, topic, mentors, publish, err = a.resumeAsk(tx, c, asker); err != nil {
				return err
			}
		}
		msgs := a.routing(tx, c, topic, mentors, tips)
		if publish && c.Public != nil && m.Kind == bot.KindPost {
			// The answer in the post's thread is an outbox item of this
			// commit too: a crash right after it cannot leave the asker
			// without one.
			msgs = append(msgs, handlers.Outgoing{To: handlers.ThreadAddress(*c.Public), Key: consultationKey(c.ID, "ack"),
				Reply: a.withRelated(asker, c, bot.Reply{Text: a.ackText(asker, c, topic, mentors), Anchor: strconv.FormatUint(c.ID, 10)}, tips)})
			publish = false
		}
		_, err = a.EnqueueTx(tx, nil, msgs...)
		return err
	})
	if err != nil {
		return fmt.Errorf("ask: %w", err)
	}
	if c.Public != nil && m.Kind == bot.KindPost && !publish {
		a.Log.Info("consultation opened", "consultation", c.ID, "topic", topic.ID, "anonymous", c.Anonymous)
		return nil
	}
	switch {
	case !publish:
		a.Log.Info("resumed consultation", "consultation", c.ID, "event", m.ID)
		return nil
	case c.Anonymous:
		a.Log.Info("consultation opened", "consultation", c.ID, "topic", topic.ID, "anonymous", true)
	default:
		a.Log.Info("consultation opened", "consultation", c.ID, "topic", topic.ID, "asker", asker.ID)
	}
	threads, public, err := a.publish(ctx, m, r, c, topic, asker, mentors, tips)
	if err != nil {
		return err
	}
	return a.recordPublished(ctx, c, threads, public)
}

// recordPublished adds the threads the acknowledgement opened (the asker's
// DM card, a channel post made for a command) that c does not list yet.
// The replies that opened them went after the event's commit, so this is
// a commit of its own (Commit's done mark is already there: it changes
// nothing).
func (a *Feature) recordPublished(ctx context.Context, c store.Consultation, threads []store.Thread, public *store.Thread) error {
	missing := public != nil && c.Public == nil
	for _, th := range threads {
		missing = missing || !slices.Contains(c.Threads, th)
	}
	if !missing {
		return nil
	}
	err := a.Commit(ctx, func(tx *store.Tx) error {
		_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			if c.Public == nil {
				c.Public = public
			}
			for _, th := range threads {
				if !slices.Contains(c.Threads, th) {
					c.Threads = append(c.Threads, th)
				}
			}
			return nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("record threads: %w", err)
	}
	return nil
}

// resumeAsk finishes consultation c, created by the event being handled
// before a crash: it routes it now if it was not, and reports whether it
// still has to be shown where it was asked.
func (a *Feature) resumeAsk(tx *store.Tx, c store.Consultation, asker store.User) (store.Consultation, store.Topic, []store.User, bool, error) {
	topic, err := tx.Topics().ByID(c.TopicID)
	if err != nil {
		return c, topic, nil, false, err
	}
	var mentors []store.User
	if c.Public != nil || len(c.Threads) > 0 || len(c.Routed) > 0 {
		// Published and routed: only the cards may be missing.
		for _, id := range c.Routed {
			mu, err := tx.Users().ByID(id)
			if err != nil {
				return c, topic, nil, false, fmt.Errorf("resume routing: %w", err)
			}
			mentors = append(mentors, mu)
		}
		return c, topic, mentors, false, nil
	}
	if mentors, err = a.rankMentorsTx(tx, c, asker, a.opt.MaxRouted); err != nil {
		return c, topic, nil, false, err
	}
	c, err = tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
		for _, mu := range mentors {
			c.Routed = append(c.Routed, mu.ID)
		}
		return nil
	})
	return c, topic, mentors, true, err
}

// postThread is the public thread of a question posted at the top level
// of a channel: the post's own thread, known before the bot answers.
func postThread(m *bot.Message) (store.Thread, bool) {
	if m.Kind != bot.KindPost || m.Direct || m.Address.Thread != "" || m.Self == "" {
		return store.Thread{}, false
	}
	at := m.Address
	return store.Thread{Platform: at.Platform, Workspace: at.Workspace, Channel: at.Channel, Thread: m.Self}, true
}

// routing is what routing c sends: the card for each mentor (their card
// thread is recorded once it is delivered), or a notice to the admins when
// no one is available. Its delivery keys name the consultation and the
// recipient. It reads in tx, the ask's transaction.
func (a *Feature) routing(tx *store.Tx, c store.Consultation, topic store.Topic, mentors []store.User, tips []store.Tip) []handlers.Outgoing {
	var out []handlers.Outgoing
	for _, mu := range mentors {
		card := a.withRelatedField(mu, a.consultCard(tx, mu, c, topic, true), tips)
		out = append(out, handlers.Outgoing{To: handlers.DMAddress(mu), Reply: card, Key: consultationKey(c.ID, "card", mu.ID), OnSent: threadOnSent(c.ID, mu.ID)})
	}
	if len(mentors) == 0 {
		out = append(out, a.AdminNoticesTx(tx, consultationKey(c.ID, "no-mentor"), "consult.admin.no_mentor", "ID", c.ID, "Topic", topic.Name, "Question", handlers.Excerpt(c.Question(), 80))...)
	}
	return out
}

// publish shows the new consultation where it was asked and returns the
// threads it lives in: the public thread of a channel question, and the
// asker's DM thread for DM questions (an anonymous question asked in a
// channel is posted nowhere; its DM confirmation records its thread when
// it is delivered).
func (a *Feature) publish(ctx context.Context, m *bot.Message, r bot.Responder, c store.Consultation, topic store.Topic, asker store.User, mentors []store.User, tips []store.Tip) ([]store.Thread, *store.Thread, error) {
	ack := a.ackText(asker, c, topic, mentors)
	anchor := strconv.FormatUint(c.ID, 10)
	var threads []store.Thread
	var public *store.Thread
	switch {
	case m.Kind == bot.KindPost && !m.Direct:
		// The post itself is the question: answer in its thread.
		at, err := r.Reply(ctx, a.withRelated(asker, c, bot.Reply{Text: ack, InThread: true, Anchor: anchor}, tips))
		if err != nil {
			return nil, nil, fmt.Errorf("acknowledge question: %w", err)
		}
		if th, ok := threadOf(at, 0); ok {
			public = &th
			threads = append(threads, th)
		}
	case !m.Direct && c.Anonymous:
		// An anonymous command or form in a channel (seen by the asker
		// alone): nothing is posted there, where the moment and the channel
		// would point at the asker. The mentors have it by DM; the asker
		// is told here, alone, and follows it in their DM.
		if _, err := r.Reply(ctx, bot.Reply{Text: a.T(asker, "consult.ack.anonymous_channel", "ID", c.ID), Ephemeral: true, Anchor: anchor}); err != nil {
			return nil, nil, fmt.Errorf("acknowledge question: %w", err)
		}
		card := a.withRelated(asker, c, a.askerCard(asker, c, topic, ack), tips)
		card.Key = consultationKey(c.ID, "asker")
		if err := a.SendDM(ctx, asker, card, threadOnSent(c.ID, asker.ID)); err != nil {
			return nil, nil, err
		}
	case !m.Direct:
		// A command or form in a channel: the bot posts the question there
		// and confirms to the asker alone.
		card := a.consultCard(nil, asker, c, topic, false)
		card.Fields = a.publicFields(asker, c, topic)
		at, err := r.Reply(ctx, card)
		if err != nil {
			return nil, nil, fmt.Errorf("post question: %w", err)
		}
		if th, ok := threadOf(at, 0); ok {
			public = &th
			threads = append(threads, th)
		}
		if _, err := r.Reply(ctx, a.withRelated(asker, c, bot.Reply{Text: ack, Ephemeral: true, Anchor: anchor}, tips)); err != nil {
			return nil, nil, fmt.Errorf("acknowledge question: %w", err)
		}
	default:
		at, err := r.Reply(ctx, a.withRelated(asker, c, a.askerCard(asker, c, topic, ack), tips))
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
