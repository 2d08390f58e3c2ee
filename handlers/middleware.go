package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// session is the per-message state the middleware shares: who is talking,
// and the event, which makes the keys of the messages it causes.
type session struct {
	user  store.User
	ok    bool
	event string // "platform:event id"; empty when the message has no id
	sends int    // messages enqueued so far while handling it
	// skipped is set when no handler took the message (chatter in a
	// channel the bot is in): there is nothing to remember it for.
	skipped bool
	// msgID is the event's id (set by dedupe); finished is set once a
	// handler's commit marked the event done.
	msgID    string
	finished bool
}

type sessionKey struct{}

func withSession(ctx context.Context) (context.Context, *session) {
	s := &session{}
	return context.WithValue(ctx, sessionKey{}, s), s
}

// UserFrom returns the store user of the message being handled.
func UserFrom(ctx context.Context) store.User {
	if s, ok := ctx.Value(sessionKey{}).(*session); ok {
		return s.user
	}
	return store.User{}
}

// recoverPanics turns a panic in a handler into a logged incident and a
// polite message, so one bad message never takes the bot down.
func (k *Kit) recoverPanics(next bot.Handler) bot.Handler {
	return func(ctx context.Context, m *bot.Message, r bot.Responder) (err error) {
		defer func() {
			if p := recover(); p != nil {
				id := incidentID()
				k.Log.LogAttrs(ctx, slog.LevelError, "handler panic", append(EventAttrs(m, k.handlerName(m)),
					slog.String("incident", id), slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))...)
				_, _ = r.Reply(ctx, bot.Reply{Ephemeral: true, Text: k.cat.t(m.User.Locale, "error.internal", "Incident", id)})
				err = nil
			}
		}()
		return next(ctx, m, r)
	}
}

// localizeErrors answers a *bot.Error with its message in the user's
// language, and any other error with a generic message and an incident id
// that matches the log line; a failure of the database that passes
// (store.Passing) is returned instead, unanswered, for the inbox to keep
// the event and handle it again.
func (k *Kit) localizeErrors(next bot.Handler) bot.Handler {
	return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		ctx, s := withSession(ctx)
		if m.ID != "" {
			s.event = m.Address.Platform + ":" + m.ID
		}
		err := next(ctx, m, r)
		if err == nil || err == bot.ErrSkip {
			return nil
		}
		lang := LangOf(m.User.Locale, k.cat.def)
		if s.ok {
			lang = k.Lang(s.user)
		}
		if be, ok := bot.AsError(err); ok {
			k.Log.Debug("refused", "kind", m.Kind.String(), "code", be.Code)
			_, rerr := r.Reply(ctx, bot.Reply{Ephemeral: true, Text: "⚠️ " + k.cat.tm(lang, be.MsgKey, be.Args)})
			return rerr
		}
		if store.Passing(err) {
			// The database did not answer, or this replica's transaction
			// kept losing to others': the event is not lost but handled
			// again (the inbox keeps it), so the user is not told it
			// failed.
			k.Log.LogAttrs(ctx, slog.LevelWarn, "handler failed for want of the database; the event is kept", append(EventAttrs(m, k.handlerName(m)),
				slog.Any("err", err))...)
			return err
		}
		id := incidentID()
		k.Log.LogAttrs(ctx, slog.LevelError, "handler failed", append(EventAttrs(m, k.handlerName(m)),
			slog.String("incident", id), slog.Any("err", err))...)
		_, rerr := r.Reply(ctx, bot.Reply{Ephemeral: true, Text: "⚠️ " + k.cat.t(lang, "error.internal", "Incident", id)})
		return rerr
	}
}

// observe tells Config.Observe how each message's handling went and how
// long it took. It sits inside localizeErrors, which answers errors and
// swallows them, and re-raises a panic for recoverPanics.
func (k *Kit) observe(next bot.Handler) bot.Handler {
	if k.Config.Observe == nil {
		return next
	}
	return func(ctx context.Context, m *bot.Message, r bot.Responder) (err error) {
		start := time.Now()
		result := ResultError
		defer func() {
			k.Config.Observe(m.Address.Platform, m.Kind.String(), result, time.Since(start))
		}()
		err = next(ctx, m, r)
		switch _, refused := bot.AsError(err); {
		case err == nil || err == bot.ErrSkip:
			result = ResultOK
		case refused:
			result = ResultRefused
		}
		return err
	}
}

// identify records the sender in the store (creating them on first
// contact), keeps their DM address current and their locale when they
// just chose one (bot.User.LocaleChosen), applies the admin bootstrap
// rules, and makes the user available to handlers.
func (k *Kit) identify(next bot.Handler) bot.Handler {
	return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if m.User.ID == "" {
			return next(ctx, m, r)
		}
		u, err := k.recordSender(m)
		if err != nil {
			return err
		}
		if s, ok := ctx.Value(sessionKey{}).(*session); ok {
			s.user, s.ok = u, true
		}
		return next(ctx, m, r)
	}
}

// recordSender stores what the message tells of its sender in one
// transaction: the user (created on first contact, with the admin
// bootstrap), the locale they just chose (bot.User.LocaleChosen) and
// their DM address. Almost every message comes from a known sender with
// nothing new: that costs a read only, since the same function runs
// first in a View, where any write it would need fails with
// store.ErrTxNotWritable, and then in an Update.
func (k *Kit) recordSender(m *bot.Message) (store.User, error) {
	key := store.UserKey{Platform: m.Address.Platform, Workspace: m.Address.Workspace, PlatformID: m.User.ID}
	lang := LangOf(m.User.Locale, "")
	var u store.User
	var granted bool
	record := func(tx *store.Tx) (err error) {
		granted = false
		var created bool
		if u, created, err = tx.Users().Ensure(key, m.User.Name, lang); err != nil {
			return fmt.Errorf("identify user: %w", err)
		}
		if created {
			if u, granted, err = k.bootstrapRoles(tx, u); err != nil {
				return fmt.Errorf("bootstrap admin: %w", err)
			}
		}
		if m.User.LocaleChosen && lang != "" && lang != u.Locale {
			u, err = tx.Users().Update(u.ID, func(u *store.User) error {
				u.Locale = lang
				return nil
			})
			if err != nil {
				return fmt.Errorf("change user locale: %w", err)
			}
		}
		if m.Direct && m.Address.Thread == "" && (u.DMChannel != m.Address.Channel || (len(m.Address.Ref) > 0 && string(u.DMRef) != string(m.Address.Ref))) {
			u, err = tx.Users().Update(u.ID, func(u *store.User) error {
				u.DMChannel = m.Address.Channel
				if len(m.Address.Ref) > 0 {
					u.DMRef = m.Address.Ref
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("remember DM address: %w", err)
			}
		}
		return nil
	}
	err := k.Store.View(record)
	if errors.Is(err, store.ErrTxNotWritable) {
		err = k.Store.Update(record)
	}
	if err != nil {
		return store.User{}, err
	}
	if granted {
		k.Log.Info("granted admin", "user_id", u.ID, "reason", "bootstrap")
	}
	return u, nil
}

// bootstrapRoles grants admin, in tx, to a new user named in
// Config.Admins, or to the very first user when Config.FirstUserAdmin is
// set. The first-user check and the grant are in the transaction that
// creates the user: of two first users arriving at once, one becomes
// admin.
func (k *Kit) bootstrapRoles(tx *store.Tx, u store.User) (store.User, bool, error) {
	grant := false
	for _, s := range k.Config.Admins {
		p, id, ok := strings.Cut(strings.TrimSpace(s), ":")
		if ok && p == u.Platform && id == u.PlatformID {
			grant = true
		}
	}
	if !grant && !k.Config.FirstUserAdmin {
		return u, false, nil
	}
	if !grant {
		admins, err := tx.Users().WithRole(store.RoleAdmin)
		if err != nil || len(admins) > 0 {
			return u, false, err
		}
	}
	u, err := tx.Users().SetRole(u.ID, store.RoleAdmin, true)
	if err != nil {
		return u, false, err
	}
	return u, true, nil
}

// dedupe drops a platform redelivery of an event already handled. The
// event is finished only after the handler returned (or refused with a
// *bot.Error), so a crash mid-way lets the platform's retry, or the inbox
// after a restart, run the handler again: the records it created are
// found by event id, and the deliveries it queued have stable keys, so the
// retry finishes the work without doing anything twice. The event's entry
// in the durable inbox is removed by the inbox after its done mark
// commits.
func (k *Kit) dedupe(next bot.Handler) bot.Handler {
	return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if m.ID == "" {
			return next(ctx, m, r)
		}
		if done, err := Read(k, func(tx *store.Tx) (bool, error) { return tx.Events().Done(m.ID) }); err != nil {
			return fmt.Errorf("check event: %w", err)
		} else if done {
			k.Log.Debug("duplicate event dropped", "event", m.ID)
			return nil
		}
		if s, ok := ctx.Value(sessionKey{}).(*session); ok {
			s.msgID = m.ID
		}
		err := next(ctx, m, r)
		if s, ok := ctx.Value(sessionKey{}).(*session); ok && s.finished {
			return err // the handler's own commit marked it done
		}
		// Only events that did something are remembered: a post no handler
		// took, a home view and a reaction nothing handles change nothing,
		// and their retries are skipped alike. Remembering every message of
		// every channel the bot sits in would cost a disk write each and
		// millions of rows a week. (A reaction handler that records
		// something must key its record by the event id, as questions do.)
		s, ok := ctx.Value(sessionKey{}).(*session)
		remember := !(ok && s.skipped) && m.Kind != bot.KindHome && m.Kind != bot.KindReaction
		var be *bot.Error
		if err != nil && !errors.As(err, &be) {
			remember = false // a defect: a retry may do better
		}
		k.finish(m, remember)
		return err
	}
}

// finish marks m's event handled when remember; it writes nothing to the
// data store otherwise (the inbox drops m's entry in its own store once
// the router returns, so an event that changed nothing costs the data
// store no commit).
func (k *Kit) finish(m *bot.Message, remember bool) {
	if !remember {
		return
	}
	err := k.Store.Update(func(tx *store.Tx) error { return tx.Events().Finish(m.ID) })
	if err != nil {
		k.Log.Warn("finish event", "event", m.ID, "err", err)
	}
}

// authorize is the router's role check.
func (k *Kit) authorize(ctx context.Context, m *bot.Message, role string) error {
	u := UserFrom(ctx)
	if u.HasRole(role) || u.HasRole(store.RoleAdmin) {
		return nil
	}
	return bot.Errorf(bot.CodeForbidden, "error.forbidden")
}

func incidentID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Skip marks the message being handled as one no feature took (chatter in
// a channel the bot is in), so nothing is remembered for it.
func Skip(ctx context.Context) {
	if s, ok := ctx.Value(sessionKey{}).(*session); ok {
		s.skipped = true
	}
}
