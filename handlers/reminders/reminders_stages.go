package reminders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// hours is a working time in whole hours, as the messages show it.
func hours(d time.Duration) int { return int(d / time.Hour) }

// days is a duration in whole days, at least 1.
func days(d time.Duration) int { return max(int(d/(24*time.Hour)), 1) }

// remindMentors reminds the mentor who took c, or those it was routed
// to, who are available now.
func (a *Feature) remindMentors(ctx context.Context, c store.Consultation, t store.Topic, since time.Time, waited time.Duration, now time.Time) error {
	ids := c.Routed
	if c.TakenBy != 0 {
		ids = []uint64{c.TakenBy}
	}
	id := strconv.FormatUint(c.ID, 10)
	var msgs []handlers.Outgoing
	for _, uid := range ids {
		m, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) })
		if errors.Is(err, store.ErrNotFound) {
			continue // no longer a mentor
		}
		if err != nil {
			return err
		}
		if !m.Available(now) {
			continue
		}
		u, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(uid) })
		if err != nil {
			return err
		}
		r := bot.Reply{
			Text:    a.T(u, "remind.mentor", "ID", c.ID, "Topic", t.Name, "Hours", hours(waited)) + "\n" + handlers.Excerpt(c.Question(), 200),
			Buttons: []bot.Button{{ID: handlers.ActionConsultAnswer, Label: a.T(u, "consult.button.answer"), Value: id, Style: bot.StylePrimary}},
			Anchor:  id,
		}
		if c.TakenBy == 0 {
			r.Buttons = append([]bot.Button{{ID: handlers.ActionConsultTake, Label: a.T(u, "consult.button.take"), Value: id}}, r.Buttons...)
		}
		msgs = append(msgs, handlers.Outgoing{To: handlers.OwnThread(c, u), Reply: r, Key: stageKey(c, stageRemind, since, "u"+strconv.FormatUint(uid, 10))})
	}
	if err := a.stageDone(ctx, c, stageRemind, now, msgs, nil); err != nil {
		return err
	}
	a.Log.Info("consultation reminder", "consultation", c.ID, "mentors", len(msgs))
	return nil
}

// private is c as a channel may show it: a question that was not asked
// in public (a DM, the ask form in a DM) keeps its asker's name out of the
// channel, as an anonymous one does.
func private(c store.Consultation) store.Consultation {
	if c.Public == nil {
		c.Anonymous = true
	}
	return c
}

// escalate posts c in its topic's channels on the asker's platform, or
// when the topic has none (or c is an anonymous question typed in a
// channel), routes it to more available mentors; and tells the admins.
func (a *Feature) escalate(ctx context.Context, c store.Consultation, t store.Topic, since time.Time, waited time.Duration, now time.Time) error {
	asker, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.AskerID) })
	if err != nil {
		return err
	}
	id := strconv.FormatUint(c.ID, 10)
	var msgs []handlers.Outgoing
	var more []uint64
	where, count := "remind.admin.where_nobody", 0
	viewer := store.User{Locale: a.Config.DefaultLocale}
	for _, ch := range t.Channels {
		if ch.Platform != asker.Platform || ch.Workspace != asker.Workspace {
			continue
		}
		if c.Anonymous && c.FromChannel {
			// Typed in a channel, maybe this one: it goes to more
			// mentors, never into a channel.
			break
		}
		key := stageKey(c, stageEscalate, since, "c"+ch.Channel)
		if p := c.Public; p != nil && p.Platform == ch.Platform && p.Channel == ch.Channel {
			// Asked in this channel: nudge its thread.
			msgs = append(msgs, handlers.Outgoing{To: handlers.ThreadAddress(*p), Key: key, Reply: bot.Reply{Text: a.T(viewer, "remind.escalate.thread", "Hours", hours(waited)), Anchor: id}})
		} else {
			card := bot.Reply{
				Title:  a.T(viewer, "remind.escalate.title", "ID", c.ID, "Topic", t.Name),
				Text:   a.T(viewer, "remind.escalate.text", "Hours", hours(waited)) + "\n\n" + c.Question(),
				Fields: a.consult.PublicFields(viewer, private(c), t),
				Anchor: id,
			}
			// Replies in the new post's thread belong to the consultation.
			msgs = append(msgs, handlers.Outgoing{To: bot.Address{Platform: ch.Platform, Workspace: ch.Workspace, Channel: ch.Channel}, Key: key, Reply: card, OnSent: a.consult.ThreadOnSent(c.ID, 0)})
		}
		where = "remind.admin.where_channel"
	}
	if len(msgs) == 0 {
		mentors, err := a.consult.RankMentors(c, asker)
		if err != nil {
			return err
		}
		for _, mu := range mentors {
			if slices.Contains(c.Routed, mu.ID) || mu.ID == c.TakenBy {
				continue
			}
			if len(more) == a.opt.MaxRouted {
				break
			}
			card := a.consult.Card(mu, c, t, true)
			card.Text = a.T(mu, "remind.escalate.mentor", "ID", c.ID, "Hours", hours(waited)) + "\n\n" + card.Text
			msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(mu), Reply: card, Key: stageKey(c, stageEscalate, since, "u"+strconv.FormatUint(mu.ID, 10)), OnSent: a.consult.ThreadOnSent(c.ID, mu.ID)})
			more = append(more, mu.ID)
		}
		if count = len(more); count > 0 {
			where = "remind.admin.where_mentors"
		}
	}
	admins, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.User, error) { return tx.Users().WithRole(store.RoleAdmin) })
	if err != nil {
		return err
	}
	for _, ad := range admins {
		text := a.T(ad, "remind.admin.escalated", "ID", c.ID, "Topic", t.Name, "Hours", hours(waited),
			"Where", a.T(ad, where, "Count", count), "Question", handlers.Excerpt(c.Question(), 80))
		msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(ad), Reply: bot.Reply{Text: text, Anchor: id}, Key: stageKey(c, stageEscalate, since, "a"+strconv.FormatUint(ad.ID, 10))})
	}
	err = a.stageDone(ctx, c, stageEscalate, now, msgs, func(c *store.Consultation) {
		for _, id := range more {
			c.Routed = handlers.AppendUnique(c.Routed, id)
		}
	})
	if err != nil {
		return err
	}
	a.Log.Info("consultation escalated", "consultation", c.ID, "more_mentors", len(more))
	return nil
}

// askToResolve asks the asker of an answered consultation gone quiet to
// resolve it.
func (a *Feature) askToResolve(ctx context.Context, c store.Consultation, since time.Time, st Stages, now time.Time) error {
	asker, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.AskerID) })
	if err != nil {
		return err
	}
	id := strconv.FormatUint(c.ID, 10)
	r := bot.Reply{
		Text:    a.T(asker, "remind.ask_resolve", "ID", c.ID, "Days", days(st.CloseAfter-st.AskResolveAfter)),
		Buttons: []bot.Button{{ID: handlers.ActionConsultResolve, Label: a.T(asker, "consult.button.resolve"), Value: id, Style: bot.StylePrimary}},
		Anchor:  id,
	}
	msg := handlers.Outgoing{To: handlers.OwnThread(c, asker), Reply: r, Key: stageKey(c, stageAskResolve, since, "asker")}
	return a.stageDone(ctx, c, stageAskResolve, now, []handlers.Outgoing{msg}, nil)
}

// errNotQuiet aborts an automatic close when the consultation changed.
var errNotQuiet = errors.New("consultation changed")

// autoClose closes an answered consultation that stayed quiet, tells the
// asker (with a button to reopen) and everyone who helped. The close and
// its notices are stored in one transaction, so a crash cannot close it
// silently; the notices are built from the consultation as it was, and the
// close is refused if it changed meanwhile.
func (a *Feature) autoClose(ctx context.Context, c store.Consultation, last time.Time, st Stages, now time.Time) error {
	asker, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.AskerID) })
	if err != nil {
		return err
	}
	id := strconv.FormatUint(c.ID, 10)
	key := stageKey(c, "close", stateSince(c), "")
	notes := []handlers.Outgoing{{To: handlers.OwnThread(c, asker), Key: key + "asker", Reply: bot.Reply{
		Text:    a.T(asker, "remind.closed_asker", "ID", c.ID, "Days", days(st.CloseAfter)),
		Buttons: []bot.Button{{ID: handlers.ActionConsultReopen, Label: a.T(asker, "remind.button.reopen"), Value: id}},
		Anchor:  id,
	}}}
	notes = append(notes, a.consult.HelperNotes(ctx, c, key+"helper", func(viewer store.User) string { return a.T(viewer, "remind.closed", "ID", c.ID) })...)
	err = a.Commit(ctx, func(tx *store.Tx) error {
		_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			if c.State != store.StateAnswered || lastActivity(*c).After(last) {
				return errNotQuiet
			}
			c.History = append(c.History, store.StateChange{From: c.State, To: store.StateClosed, At: now, Note: fmt.Sprintf("closed after %d days without activity", days(st.CloseAfter))})
			c.State, c.ClosedAt = store.StateClosed, now
			return nil
		})
		if err != nil {
			return err
		}
		_, err = a.EnqueueTx(tx, nil, notes...)
		return err
	})
	if errors.Is(err, errNotQuiet) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("auto close: %w", err)
	}
	a.Log.Info("consultation closed without activity", "consultation", c.ID)
	return nil
}
