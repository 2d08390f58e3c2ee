package consult

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// resolveCommand handles `/soudan resolve <id> [rating 0-10] [comment]`.
func (a *Feature) resolveCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if len(m.Args) == 0 {
		return bot.Errorf(bot.CodeUsage, "consult.error.resolve_usage")
	}
	c, err := a.consultation(m.Args[0])
	if err != nil {
		return err
	}
	_, rest := bot.CutWord(m.ArgText)
	var rating *int
	if w, more := bot.CutWord(rest); w != "" {
		if n, err := strconv.Atoi(text.Normalize(w)); err == nil {
			if n < 0 || n > 10 {
				return bot.Errorf(bot.CodeInvalid, "consult.error.bad_rating", "Rating", w)
			}
			rating, rest = &n, more
		}
	}
	return a.resolve(ctx, r, c, rating, rest)
}

// resolveAction opens the resolve form for the asker.
func (a *Feature) resolveAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	c, err := a.consultation(m.Action.Value)
	if err != nil {
		return err
	}
	if err := a.mayResolve(u, c); err != nil {
		return err
	}
	return bot.OpenForm(ctx, r, a.resolveFormFor(u, c, nil))
}

func (a *Feature) resolveFormFor(u store.User, c store.Consultation, errs map[string]string) bot.Form {
	return bot.Form{
		ID: formResolve, Value: strconv.FormatUint(c.ID, 10),
		Title: a.T(u, "consult.form.resolve_title", "ID", c.ID), Submit: a.T(u, "consult.form.resolve_submit"),
		Intro: handlers.Excerpt(c.Question(), 200),
		Inputs: []bot.Input{
			{Name: "rating", Label: a.T(u, "consult.form.rating"), Kind: bot.InputScale, Min: 0, Max: 10, Hint: a.T(u, "consult.form.rating_hint")},
			{Name: "comment", Label: a.T(u, "consult.form.comment"), Kind: bot.InputTextarea, MaxLen: 1000, Hint: a.T(u, "consult.form.comment_hint")},
		},
		Errors: errs,
	}
}

// resolveForm handles the submitted resolve form.
func (a *Feature) resolveForm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	c, err := a.consultation(m.Action.Value)
	if err != nil {
		return err
	}
	var rating *int
	if v := strings.TrimSpace(m.Form["rating"]); v != "" {
		n, err := strconv.Atoi(text.Normalize(v))
		if err != nil || n < 0 || n > 10 {
			return bot.OpenForm(ctx, r, a.resolveFormFor(u, c, map[string]string{"rating": a.T(u, "consult.error.bad_rating", "Rating", v)}))
		}
		rating = &n
	}
	if n := handlers.Runes(m.Form["comment"]); n > 1000 {
		return bot.OpenForm(ctx, r, a.resolveFormFor(u, c, map[string]string{"comment": a.T(u, "error.too_long", "Len", n, "Max", 1000)}))
	}
	return a.resolve(ctx, r, c, rating, m.Form["comment"])
}

// mayResolve allows only the asker to resolve, and only an active
// consultation.
func (a *Feature) mayResolve(u store.User, c store.Consultation) error {
	if c.AskerID != u.ID {
		return bot.Errorf(bot.CodeForbidden, "consult.error.not_yours", "ID", c.ID)
	}
	if !c.State.Active() {
		return bot.Errorf(bot.CodeConflict, "consult.error.not_active", "ID", c.ID, "State", a.stateLabel(u, c.State))
	}
	return nil
}

// resolve closes c as resolved with an optional rating and comment, and
// tells everyone who helped.
func (a *Feature) resolve(ctx context.Context, r bot.Responder, c store.Consultation, rating *int, comment string) error {
	u := handlers.UserFrom(ctx)
	comment = handlers.Clean(comment)
	if n := handlers.Runes(comment); n > 1000 {
		return bot.Errorf(bot.CodeInvalid, "error.too_long", "Len", n, "Max", 1000)
	}
	c, err := a.changeAndTell(ctx, c.ID, func(c *store.Consultation, now time.Time) error {
		if err := a.mayResolve(u, *c); err != nil {
			return err
		}
		c.History = append(c.History, store.StateChange{From: c.State, To: store.StateResolved, By: u.ID, At: now, Note: comment})
		c.State, c.Rating, c.Comment, c.ClosedAt = store.StateResolved, rating, comment, now
		return nil
	}, func(viewer store.User, c store.Consultation) string {
		s := a.T(viewer, "consult.resolved", "ID", c.ID)
		if viewer.ID == 0 {
			// A channel's thread: that it is resolved, not how it was
			// rated (feedback for those who helped, and the statistics).
			return s
		}
		if c.Rating != nil {
			s += "\n" + a.T(viewer, "consult.resolved_rating", "Rating", *c.Rating)
		}
		if c.Comment != "" {
			s += "\n" + a.T(viewer, "consult.resolved_comment", "Comment", c.Comment)
		}
		return s
	}, a.saveButtons)
	if err != nil {
		return err
	}
	a.Log.Info("consultation resolved", "consultation", c.ID, "rated", rating != nil)
	text := a.T(u, "consult.resolved_you", "ID", c.ID)
	if rating != nil || comment != "" {
		text += "\n" + a.T(u, "consult.resolved_you_rated")
	}
	if _, err := r.Reply(ctx, bot.Reply{Ephemeral: true, Text: text, Anchor: strconv.FormatUint(c.ID, 10)}); err != nil {
		return err
	}
	return nil
}

// reopenCommand handles `/soudan reopen <id>`.
func (a *Feature) reopenCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if len(m.Args) == 0 {
		return bot.Errorf(bot.CodeUsage, "consult.error.reopen_usage")
	}
	return a.reopen(ctx, r, m.Args[0])
}

// reopenAction handles the reopen button.
func (a *Feature) reopenAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.reopen(ctx, r, m.Action.Value)
}

// reopen lets the asker open a resolved or closed consultation again.
func (a *Feature) reopen(ctx context.Context, r bot.Responder, arg string) error {
	u := handlers.UserFrom(ctx)
	c, err := a.consultation(arg)
	if err != nil {
		return err
	}
	c, err = a.changeAndTell(ctx, c.ID, func(c *store.Consultation, now time.Time) error {
		if c.AskerID != u.ID {
			return bot.Errorf(bot.CodeForbidden, "consult.error.not_yours", "ID", c.ID)
		}
		if c.State.Active() {
			return bot.Errorf(bot.CodeConflict, "consult.error.still_active", "ID", c.ID, "State", a.stateLabel(u, c.State))
		}
		c.History = append(c.History, store.StateChange{From: c.State, To: store.StateOpen, By: u.ID, At: now})
		c.State, c.Rating, c.Comment, c.ClosedAt = store.StateOpen, nil, "", timeZero
		return nil
	}, func(viewer store.User, c store.Consultation) string {
		return a.T(viewer, "consult.reopened", "ID", c.ID)
	}, nil)
	if err != nil {
		return err
	}
	if _, err := r.Reply(ctx, bot.Reply{Ephemeral: true, Text: a.T(u, "consult.reopened_you", "ID", c.ID), Anchor: strconv.FormatUint(c.ID, 10)}); err != nil {
		return err
	}
	return nil
}

// closeCommand handles `/soudan close <id> [note]`: the asker or an
// admin ends a consultation without resolving it. The note goes to the
// asker and everyone who helped; an admin closing someone else's
// consultation is audited. All of it commits with the close.
func (a *Feature) closeCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return bot.Errorf(bot.CodeUsage, "consult.error.close_usage")
	}
	c, err := a.consultation(m.Args[0])
	if err != nil {
		return err
	}
	_, note := bot.CutWord(m.ArgText)
	note = handlers.Clean(note)
	if n := handlers.Runes(note); n > 1000 {
		return bot.Errorf(bot.CodeInvalid, "error.too_long", "Len", n, "Max", 1000)
	}
	byOther := u.ID != c.AskerID
	withNote := func(viewer store.User, s string) string {
		// A channel's thread (a viewer without id) is told it was closed;
		// the note is for the asker and those who helped.
		if note != "" && viewer.ID != 0 {
			s += "\n" + a.T(viewer, "consult.close_note", "Note", note)
		}
		return s
	}
	// The notes are built before the commit (which may run more than once)
	// with keys of their own, so they are queued once.
	key := consultationKey(c.ID, "close", m.ID)
	notes := a.helperNotes(ctx, nil, c, key, func(viewer store.User) string {
		return withNote(viewer, a.T(viewer, "consult.closed", "ID", c.ID))
	})
	if byOther {
		asker, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.AskerID) })
		if err != nil {
			return fmt.Errorf("close: asker: %w", err)
		}
		if !asker.Deleted { // a forgotten asker is nobody to tell
			notes = append(notes, handlers.Outgoing{
				To:    handlers.OwnThread(c, asker),
				Reply: bot.Reply{Text: withNote(asker, a.T(asker, "consult.closed_by_admin", "ID", c.ID)), Anchor: strconv.FormatUint(c.ID, 10)},
				Key:   key + ":asker",
			})
		}
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		_, err := tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			if c.AskerID != u.ID && !u.HasRole(store.RoleAdmin) {
				return bot.Errorf(bot.CodeForbidden, "consult.error.not_yours", "ID", c.ID)
			}
			if !c.State.Active() {
				return bot.Errorf(bot.CodeConflict, "consult.error.not_active", "ID", c.ID, "State", a.stateLabel(u, c.State))
			}
			now := tx.Now()
			c.History = append(c.History, store.StateChange{From: c.State, To: store.StateClosed, By: u.ID, At: now, Note: note})
			c.State, c.ClosedAt = store.StateClosed, now
			return nil
		})
		if err != nil {
			return err
		}
		if byOther {
			detail := "#" + strconv.FormatUint(c.ID, 10)
			if note != "" {
				detail += " " + note
			}
			if err := handlers.AuditTx(tx, u, auditClose, detail); err != nil {
				return err
			}
		}
		_, err = a.EnqueueTx(tx, nil, notes...)
		return err
	})
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: true, Text: withNote(u, a.T(u, "consult.closed_you", "ID", c.ID)), Anchor: strconv.FormatUint(c.ID, 10)})
	return err
}

// changeAndTell changes consultation cid and queues a note about it to
// everyone who helped (text renders it for each reader, from the changed
// consultation; buttons, when not nil, adds buttons to the notes to
// people), in one commit with the event's done mark.
func (a *Feature) changeAndTell(ctx context.Context, cid uint64, change func(c *store.Consultation, now time.Time) error, text func(viewer store.User, c store.Consultation) string, buttons func(viewer store.User, c store.Consultation) []bot.Button) (store.Consultation, error) {
	var c store.Consultation
	err := a.Commit(ctx, func(tx *store.Tx) (err error) {
		if c, err = tx.Consultations().Update(cid, func(c *store.Consultation) error { return change(c, tx.Now()) }); err != nil {
			return err
		}
		var bs func(store.User) []bot.Button
		if buttons != nil {
			bs = func(viewer store.User) []bot.Button { return buttons(viewer, c) }
		}
		_, err = a.EnqueueTx(tx, nil, a.helperNotesWith(ctx, tx, c, "", func(viewer store.User) string { return text(viewer, c) }, bs)...)
		return err
	})
	return c, err
}

// helperNotes are the notes to everyone involved in c except the asker. With a non-empty key each
// note's delivery key is key plus its recipient, so that queuing them
// again sends nothing twice; otherwise they take the event's sequence keys.
// Inside a transaction, tx is it (the readers are read in it: a second
// transaction would wait for a second PostgreSQL connection); nil outside.
func (a *Feature) helperNotes(ctx context.Context, tx *store.Tx, c store.Consultation, key string, text func(store.User) string) []handlers.Outgoing {
	return a.helperNotesWith(ctx, tx, c, key, text, nil)
}

// helperNotesWith is helperNotes with buttons (when not nil) on each note
// to a person (not on a channel's thread).
func (a *Feature) helperNotesWith(ctx context.Context, tx *store.Tx, c store.Consultation, key string, text func(store.User) string, buttons func(store.User) []bot.Button) []handlers.Outgoing {
	note := func(viewer store.User, person bool) bot.Reply {
		r := bot.Reply{Text: text(viewer), Anchor: strconv.FormatUint(c.ID, 10)}
		if person && buttons != nil {
			r.Buttons = buttons(viewer)
		}
		return r
	}
	keyFor := func(to string) string {
		if key == "" {
			return handlers.DeliveryKey(ctx)
		}
		return key + ":" + to
	}
	var out []handlers.Outgoing
	told := map[uint64]bool{c.AskerID: true}
	for _, th := range c.Threads {
		if th.UserID == c.AskerID && th.UserID != 0 {
			continue
		}
		viewer := store.User{Locale: a.Config.DefaultLocale}
		if th.UserID != 0 {
			u, err := handlers.ReadIn(a.Kit, tx, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(th.UserID) })
			if err != nil {
				continue
			}
			viewer, told[u.ID] = u, true
		}
		out = append(out, handlers.Outgoing{To: handlers.ThreadAddress(th), Reply: note(viewer, th.UserID != 0), Key: keyFor(th.Channel + "/" + th.Thread)})
	}
	// Answerers who wrote only in the public thread.
	for _, msg := range c.Messages {
		if msg.Kind != store.MsgAnswer || told[msg.AuthorID] {
			continue
		}
		told[msg.AuthorID] = true
		u, err := handlers.ReadIn(a.Kit, tx, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(msg.AuthorID) })
		if err != nil || u.Deleted {
			continue // a forgotten answerer is nobody to tell
		}
		out = append(out, handlers.Outgoing{To: handlers.DMAddress(u), Reply: note(u, true), Key: keyFor("u" + strconv.FormatUint(u.ID, 10))})
	}
	return out
}
