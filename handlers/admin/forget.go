package admin

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Forget's audit action and buttons.
const (
	auditForget         = "forget"
	actionForgetConfirm = "admin.forget.confirm"
	actionForgetCancel  = "admin.forget.cancel"
)

// Forgetter removes one kind of a person's personal data kept outside
// the records store.Tx.ForgetUser knows (survey confidential rows plug in
// here): Forget runs in the forget transaction, before the user record
// becomes a tombstone, so u is the user as they were; it returns how many
// records it changed.
type Forgetter struct {
	Name   string
	Forget func(tx *store.Tx, u store.User) (int, error)
}

// forgetCommand is /soudan admin forget.
func (a *Feature) forgetCommand() bot.Command {
	return bot.Command{Name: "forget", Aliases: []string{"忘却", "個人データ削除"}, UsageKey: "usage.admin.forget", Handler: a.forget}
}

// forget answers /soudan admin forget USER [--yes]: without --yes it
// shows who would be forgotten and asks to confirm with a button.
func (a *Feature) forget(ctx context.Context, m *bot.Message, r bot.Responder) error {
	actor := handlers.UserFrom(ctx)
	var names []string
	yes := false
	for _, arg := range m.Args {
		switch strings.ToLower(text.Normalize(arg)) {
		case "--yes", "-y", "-yes":
			yes = true
		default:
			names = append(names, arg)
		}
	}
	if len(names) == 0 {
		return a.UsageError(actor, "usage.admin.forget")
	}
	target, err := a.resolveUser(ctx, m, strings.Join(names, " "), false)
	if err != nil {
		return err
	}
	if target.Deleted {
		return bot.Errorf(bot.CodeConflict, "admin.forget.already", "ID", target.ID)
	}
	if yes {
		return a.forgetUser(ctx, m, r, actor, target.ID)
	}
	id := strconv.FormatUint(target.ID, 10)
	_, err = r.Reply(ctx, bot.Reply{
		Ephemeral: !m.Direct,
		Text:      a.T(actor, "admin.forget.confirm", "Name", handlers.Clean(target.Name), "ID", target.ID),
		Buttons: []bot.Button{
			{ID: actionForgetConfirm, Label: a.T(actor, "admin.forget.button.confirm"), Value: id, Style: bot.StyleDanger},
			{ID: actionForgetCancel, Label: a.T(actor, "admin.forget.button.cancel"), Value: id},
		},
	})
	return err
}

// forgetConfirm is the confirm button: an admin only.
func (a *Feature) forgetConfirm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	actor := handlers.UserFrom(ctx)
	if !actor.HasRole(store.RoleAdmin) {
		return bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	id, ok := handlers.ParseID(m.Action.Value)
	if !ok {
		return bot.Errorf(bot.CodeInvalid, "error.bad_id", "ID", handlers.Clean(m.Action.Value))
	}
	return a.forgetUser(ctx, m, r, actor, id)
}

// forgetCancel is the cancel button.
func (a *Feature) forgetCancel(ctx context.Context, m *bot.Message, r bot.Responder) error {
	actor := handlers.UserFrom(ctx)
	_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(actor, "admin.forget.cancelled")})
	return err
}

// forgetUser forgets the user with id: the store's records, every
// Forgetter, and the audit entry, which names the user by id only, commit
// together. The last admin cannot be forgotten.
func (a *Feature) forgetUser(ctx context.Context, m *bot.Message, r bot.Responder, actor store.User, id uint64) error {
	var rep store.ForgetReport
	extra := 0
	err := a.Commit(ctx, func(tx *store.Tx) error {
		extra = 0
		u, err := tx.Users().ByID(id)
		if errors.Is(err, store.ErrNotFound) {
			return bot.Errorf(bot.CodeNotFound, "admin.error.user_not_found", "User", fmt.Sprintf("#%d", id))
		}
		if err != nil {
			return err
		}
		if u.Deleted {
			return bot.Errorf(bot.CodeConflict, "admin.forget.already", "ID", id)
		}
		if u.HasRole(store.RoleAdmin) {
			admins, err := tx.Users().WithRole(store.RoleAdmin)
			if err != nil {
				return err
			}
			if len(admins) <= 1 {
				return bot.Errorf(bot.CodeConflict, "admin.error.last_admin")
			}
		}
		for _, f := range a.opt.Forgetters {
			n, err := f.Forget(tx, u)
			if err != nil {
				return fmt.Errorf("forget %s: %w", f.Name, err)
			}
			extra += n
		}
		if rep, err = tx.ForgetUser(id); err != nil {
			return err
		}
		detail := fmt.Sprintf("#%d: mentor=%t consultations=%d threads=%d tips=%d audit=%d outbox=%d+%d other=%d",
			id, rep.Mentor, rep.Consultations, rep.Threads, rep.Tips, rep.Audit, rep.Outbox, rep.OutboxKept, extra)
		return handlers.AuditTx(tx, actor, auditForget, detail)
	})
	if err != nil {
		var be *bot.Error
		if errors.As(err, &be) {
			return be
		}
		return fmt.Errorf("forget user %d: %w", id, err)
	}
	a.Log.Info("forgot a user", "user", id, "consultations", rep.Consultations, "tips", rep.Tips)
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(actor, "admin.forget.done",
		"ID", id, "Consultations", rep.Consultations, "Tips", rep.Tips, "Other", extra, "Unsent", rep.Outbox)})
	return err
}
