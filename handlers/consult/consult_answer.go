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
	u := handlers.UserFrom(ctx)
	text := strings.TrimSpace(m.Text)
	hasText := text != "" && !onlyMentions(text, m.Mentions)
	// A DM thread is its owner's alone: someone else posting in it is not
	// that person any more (forgotten, back as a new user).
	stale := func(c store.Consultation) error {
		if owner := postedIn(c, at).UserID; owner != 0 && owner != u.ID {
			return bot.Errorf(bot.CodeForbidden, "consult.error.stale_thread")
		}
		return nil
	}
	// A plain answer (text, no mention: most posts) reads the consultation
	// once, in its commit, which checks the thread's owner on the record
	// it writes; anything else reads it here first.
	plain := hasText && len(m.Mentions) == 0
	var cid uint64
	var c store.Consultation
	if err := a.View(func(tx *store.Tx) (err error) {
		if cid, err = tx.Consultations().IDByThread(at.Platform, at.Workspace, at.Channel, at.Thread); err != nil || plain {
			return err
		}
		c, err = tx.Consultations().ByID(cid)
		return err
	}); errors.Is(err, store.ErrNotFound) {
		return bot.ErrSkip
	} else if err != nil {
		return fmt.Errorf("thread post: %w", err)
	}
	if !plain {
		if err := stale(c); err != nil {
			return err
		}
	}
	from := func(c store.Consultation) store.Thread { return postedIn(c, at) }
	if hasText {
		if err := a.CheckText(text); err != nil {
			return err
		}
	}
	// Who the mentions bring in is looked up first (a lookup may create a
	// user, and reads the consultation for their card); the message, its
	// relays, the invitations and the event's done mark then commit
	// together.
	var invited []invitee
	if len(m.Mentions) > 0 {
		var err error
		if invited, err = a.invitees(ctx, m, c, m.Mentions); err != nil {
			return err
		}
	}
	var names []string
	err := a.Commit(ctx, func(tx *store.Tx) (err error) {
		if hasText {
			if err := a.addMessageTx(tx, u, m, cid, from, stale, text); err != nil {
				return err
			}
		}
		names, err = a.bringInTx(ctx, tx, cid, invited)
		return err
	})
	if err != nil {
		return err
	}
	if len(names) > 0 {
		_, err := r.Reply(ctx, bot.Reply{InThread: true, Text: a.T(u, "consult.invited", "Names", strings.Join(names, a.T(u, "consult.list_sep")))})
		return err
	}
	return nil
}

// onlyMentions reports whether text is nothing but mention tokens.
func onlyMentions(text string, mentions []string) bool {
	for _, id := range mentions {
		text = strings.ReplaceAll(text, bot.Mention(id), "")
	}
	return strings.TrimSpace(text) == ""
}

// addMessage records an answer or follow-up by the current user in one
// commit with its relays and the event's done mark (see addMessageTx).
func (a *Feature) addMessage(ctx context.Context, m *bot.Message, c store.Consultation, from store.Thread, text string) error {
	if err := a.CheckText(text); err != nil {
		return err
	}
	return a.Commit(ctx, func(tx *store.Tx) error {
		return a.addMessageTx(tx, handlers.UserFrom(ctx), m, c.ID, func(store.Consultation) store.Thread { return from }, nil, text)
	})
}

// addMessageTx records an answer or follow-up by u in tx, moves an open
// consultation to answered, and queues the relays of the message to every
// other thread of the consultation (the asker always hears of an answer).
// check, when set, may refuse the message on the record as the commit
// reads it (the commit then rolls back with its error).
// A message this event added already (a file of a version that committed
// in steps) is relayed again: the relays' delivery keys make it safe.
func (a *Feature) addMessageTx(tx *store.Tx, u store.User, m *bot.Message, cid uint64, from func(store.Consultation) store.Thread, check func(store.Consultation) error, text string) error {
	// Answer or follow-up, and what an answer changes, are decided on the
	// record as Consultations.AddMessage reads it: one decode, one write.
	kind := store.MsgAnswer
	answered := func(c *store.Consultation) {
		if kind != store.MsgAnswer || c.State != store.StateOpen {
			return
		}
		now := tx.Now()
		c.History = append(c.History, store.StateChange{From: c.State, To: store.StateAnswered, By: u.ID, At: now})
		c.State, c.AnsweredAt = store.StateAnswered, now
	}
	var refused error
	settle := func(c *store.Consultation) {
		if check != nil {
			if refused = check(*c); refused != nil {
				return // the commit rolls back: nothing is added
			}
		}
		if refused = a.notTaking(u, *c); refused != nil {
			return // the commit rolls back: nothing is added
		}
		if u.ID == c.AskerID {
			kind = store.MsgFollowUp
			c.Messages[len(c.Messages)-1].Kind = kind
		}
		answered(c)
	}
	c, added, err := tx.Consultations().AddMessage(cid, store.ConsultMessage{Kind: kind, AuthorID: u.ID, Text: handlers.Clean(text), EventID: m.ID}, settle)
	if err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	if refused != nil {
		return refused
	}
	msg := c.Messages[len(c.Messages)-1]
	if !added {
		i := slices.IndexFunc(c.Messages, func(x store.ConsultMessage) bool { return x.EventID == m.ID })
		if i < 0 {
			return nil
		}
		msg, kind = c.Messages[i], c.Messages[i].Kind
		a.Log.Info("resuming message", "consultation", c.ID, "message", msg.ID, "event", m.ID)
		if kind == store.MsgAnswer && c.State == store.StateOpen {
			c, err = tx.Consultations().Update(c.ID, func(c *store.Consultation) error { answered(c); return nil })
			if err != nil {
				return fmt.Errorf("mark answered: %w", err)
			}
		}
	}
	_, err = a.EnqueueTx(tx, nil, a.relays(tx, c, msg, from(c))...)
	return err
}

// postedIn is the thread of c a post at at was made in: one of c's threads
// (with its owner), else the post's own.
func postedIn(c store.Consultation, at bot.Address) store.Thread {
	from, _ := threadOf(at, 0)
	for _, th := range c.Threads {
		if th.Channel == from.Channel && th.Thread == from.Thread {
			from = th
		}
	}
	return from
}

// relays copy msg into every thread of c except the one it was posted
// in and its author's own, each in its reader's language, and make sure the asker hears of
// every answer even when they have no thread of their own. Its readers
// are read in tx, the event's own transaction: a transaction opened
// inside another waits for a second connection on PostgreSQL, and a
// replica whose connections all did so waited forever.
func (a *Feature) relays(tx *store.Tx, c store.Consultation, msg store.ConsultMessage, from store.Thread) []handlers.Outgoing {
	var out []handlers.Outgoing
	askerHasThread := false
	for _, th := range c.Threads {
		if th.UserID == c.AskerID && th.UserID != 0 {
			askerHasThread = true
		}
		if th.Channel == from.Channel && th.Thread == from.Thread {
			continue
		}
		if th.UserID != 0 && th.UserID == msg.AuthorID {
			continue // nobody is told of their own message
		}
		if th.UserID == 0 && from.Thread != "" && from.UserID == 0 {
			continue // channel to channel: both public, nothing to copy
		}
		viewer := store.User{Locale: a.Config.DefaultLocale}
		if th.UserID != 0 {
			var err error
			if viewer, err = tx.Users().ByID(th.UserID); err != nil {
				a.Log.Warn("relay: reader", "consultation", c.ID, "err", err)
				continue
			}
		} else if au, err := tx.Users().ByID(msg.AuthorID); err == nil {
			viewer.Locale = au.Locale
		}
		r := a.relayReply(tx, viewer, c, msg)
		out = append(out, handlers.Outgoing{To: handlers.ThreadAddress(th), Reply: r, Key: consultationKey(c.ID, "msg", msg.ID, th.Channel+"/"+th.Thread)})
	}
	if msg.Kind == store.MsgAnswer && !askerHasThread {
		asker, err := tx.Users().ByID(c.AskerID)
		if err != nil {
			a.Log.Warn("relay: asker", "consultation", c.ID, "err", err)
			return out
		}
		if asker.Deleted {
			return out // forgotten: nobody to tell
		}
		r := a.relayReply(tx, asker, c, msg)
		r.Buttons = []bot.Button{{ID: actionResolve, Label: a.T(asker, "consult.button.resolve"), Value: strconv.FormatUint(c.ID, 10)}}
		// Its thread becomes the asker's thread of c: a reply there is a
		// follow-up, and later answers arrive in it.
		out = append(out, handlers.Outgoing{To: handlers.DMAddress(asker), Reply: r, Key: consultationKey(c.ID, "msg", msg.ID, "asker"), OnSent: threadOnSent(c.ID, asker.ID)})
	}
	return out
}

// relayReply renders a relayed message for viewer, reading in tx.
func (a *Feature) relayReply(tx *store.Tx, viewer store.User, c store.Consultation, msg store.ConsultMessage) bot.Reply {
	key := "consult.relay.answer"
	if msg.Kind == store.MsgFollowUp {
		key = "consult.relay.followup"
	}
	return bot.Reply{
		Text:   a.T(viewer, key, "ID", c.ID, "Author", a.authorLabel(tx, viewer, c, msg.AuthorID)) + "\n" + msg.Text,
		Anchor: strconv.FormatUint(c.ID, 10),
	}
}

// invitee is someone a mention brings into a consultation.
type invitee struct {
	user store.User
	card bot.Reply
}

// invitees are the mentioned people who are not in c yet, each with the
// card that brings them in, so they can read along and answer.
func (a *Feature) invitees(ctx context.Context, m *bot.Message, c store.Consultation, mentions []string) ([]invitee, error) {
	if len(mentions) == 0 {
		return nil, nil
	}
	inviter := handlers.UserFrom(ctx)
	topic, _ := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(c.TopicID) })
	link := ""
	if c.Public != nil {
		if l, ok := a.Linker(c.Public.Platform); ok {
			link, _ = l.Permalink(ctx, handlers.ThreadAddress(*c.Public))
		}
	}
	var out []invitee
	for _, pid := range mentions {
		u, err := a.UserByPlatformID(ctx, m.Address, pid)
		if err != nil {
			return nil, err
		}
		if u.ID == inviter.ID || u.ID == c.AskerID || slices.ContainsFunc(out, func(x invitee) bool { return x.user.ID == u.ID }) {
			continue
		}
		card := a.consultCard(nil, u, c, topic, true)
		card.Text = a.T(u, "consult.invite", "ID", c.ID, "By", a.authorLabel(nil, u, c, inviter.ID)) + "\n\n" + card.Text
		if link != "" {
			card.Fields = append(card.Fields, bot.Field{Label: a.T(u, "consult.field.thread"), Value: link})
		}
		out = append(out, invitee{user: u, card: card})
	}
	return out, nil
}

// bringInTx queues the cards of the invitees not yet in consultation cid
// (their thread is recorded when the card is delivered) and adds them as
// participants, in tx. It returns the names of those brought in.
func (a *Feature) bringInTx(ctx context.Context, tx *store.Tx, cid uint64, invited []invitee) ([]string, error) {
	if len(invited) == 0 {
		return nil, nil
	}
	inviter := handlers.UserFrom(ctx)
	c, err := tx.Consultations().ByID(cid)
	if err != nil {
		return nil, fmt.Errorf("bring in: %w", err)
	}
	if err := a.notTaking(inviter, c); err != nil {
		return nil, err
	}
	var names []string
	var msgs []handlers.Outgoing
	var ids []uint64
	for _, in := range invited {
		// A participant's card may still be on its way: their thread is
		// recorded when it is delivered.
		if hasThread(c, in.user.ID) || slices.Contains(c.Participants, in.user.ID) {
			continue
		}
		msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(in.user), Reply: in.card, Key: consultationKey(c.ID, "invite", in.user.ID), OnSent: threadOnSent(c.ID, in.user.ID)})
		ids = append(ids, in.user.ID)
		names = append(names, a.T(inviter, "consult.name", "Name", in.user.Name))
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if _, err := a.EnqueueTx(tx, nil, msgs...); err != nil {
		return nil, err
	}
	_, err = tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
		for _, id := range ids {
			c.Participants = handlers.AppendUnique(c.Participants, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bring in: %w", err)
	}
	return names, nil
}

// hasThread reports whether the user has a thread of their own in c.
func hasThread(c store.Consultation, userID uint64) bool {
	_, ok := handlers.UserThread(c, userID)
	return ok
}

// notTaking refuses u's post, answer or invitation to c once c is resolved
// or closed: nothing is recorded or passed on. The asker is told how to
// reopen it; anyone else that the asker can.
func (a *Feature) notTaking(u store.User, c store.Consultation) error {
	if c.State.Active() {
		return nil
	}
	if u.ID == c.AskerID {
		return bot.Errorf(bot.CodeConflict, "consult.error.ended_asker", "ID", c.ID, "State", a.stateLabel(u, c.State))
	}
	return bot.Errorf(bot.CodeConflict, "consult.error.ended", "ID", c.ID, "State", a.stateLabel(u, c.State))
}
