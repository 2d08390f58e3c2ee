// Package broadcast sends one message from an admin to an audience
// (everyone, a department, join years, a topic's mentors, a channel)
// through the outbox, and reports how it went.
package broadcast

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	storetext "github.com/soudan/soudan/store/text"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Form, actions and batch kind of admin broadcasts.
const (
	formBroadcast          = "admin.broadcast"
	actionBroadcastSend    = "admin.broadcast.send"
	actionBroadcastDiscard = "admin.broadcast.discard"
	batchBroadcast         = "broadcast"
	auditBroadcast         = "broadcast"
)

// Audiences of a broadcast.
const (
	audEveryone   = "everyone"
	audDepartment = "department"
	audJoinYear   = "joinyear"
	audTopic      = "topic"
	audChannel    = "channel"
)

var audiences = []string{audEveryone, audDepartment, audJoinYear, audTopic, audChannel}

// maxSchedule is how far ahead a broadcast may be scheduled.
const maxSchedule = 90 * 24 * time.Hour

// broadcastCommand is /soudan admin broadcast: alone it opens the form;
// "status [id]" and "cancel id" follow a broadcast.
func (a *Feature) broadcastCommand() bot.Command {
	return bot.Command{Name: "broadcast", Aliases: []string{"一斉送信", "お知らせ"}, UsageKey: "usage.admin.broadcast", Handler: a.openBroadcast, Sub: []bot.Command{
		{Name: "status", Aliases: []string{"状況"}, UsageKey: "usage.admin.broadcast.status", Handler: a.broadcastStatus},
		{Name: "cancel", Aliases: []string{"中止"}, UsageKey: "usage.admin.broadcast.cancel", Handler: a.broadcastCancel},
	}}
}

// Feature is admin broadcasts: one message to an audience, through the
// outbox, with its progress and delivery report.
type Feature struct {
	*handlers.Kit
}

// New returns the broadcast feature.
func New(k *handlers.Kit) *Feature { return &Feature{Kit: k} }

// Register adds /soudan admin broadcast, its form and confirmation
// buttons, and the report sent when a broadcast is done.
func (a *Feature) Register(rt *bot.Router) {
	rt.Command(bot.Command{Name: "admin", Role: store.RoleAdmin, Sub: []bot.Command{a.broadcastCommand()}})
	a.DescribeAudit(auditBroadcast, "admin.audit.action.broadcast")
	a.HandleBatchDone(batchBroadcast, a.onBatchDone)
	rt.Form(formBroadcast, a.broadcastForm)
	rt.Action(actionBroadcastSend, a.broadcastSend)
	rt.Action(actionBroadcastDiscard, a.broadcastDiscard)
}

// broadcastInput is what the form holds.
type broadcastInput struct {
	message, audience, target, schedule string
}

// openBroadcast opens the broadcast form; text after the command is the
// message.
func (a *Feature) openBroadcast(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	return bot.OpenForm(ctx, r, a.broadcastFormFor(u, broadcastInput{message: m.ArgText, audience: audEveryone}, nil))
}

func (a *Feature) broadcastFormFor(u store.User, in broadcastInput, errs map[string]string) bot.Form {
	opts := make([]bot.Option, len(audiences))
	for i, k := range audiences {
		opts[i] = bot.Option{Value: k, Label: a.T(u, "broadcast.audience."+k)}
	}
	return bot.Form{
		ID: formBroadcast, Title: a.T(u, "broadcast.form.title"), Submit: a.T(u, "broadcast.form.submit"),
		Intro: a.T(u, "broadcast.form.intro"),
		Inputs: []bot.Input{
			{Name: "message", Label: a.T(u, "broadcast.form.message"), Kind: bot.InputTextarea, Required: true, MaxLen: a.Config.MaxText, Value: in.message},
			{Name: "audience", Label: a.T(u, "broadcast.form.audience"), Kind: bot.InputSelect, Options: opts, Value: in.audience, Required: true},
			{Name: "target", Label: a.T(u, "broadcast.form.target"), Kind: bot.InputText, Value: in.target, Hint: a.T(u, "broadcast.form.target_hint"), MaxLen: 100},
			{Name: "schedule", Label: a.T(u, "broadcast.form.schedule"), Kind: bot.InputText, Value: in.schedule, Hint: a.T(u, "broadcast.form.schedule_hint"), MaxLen: 20},
		},
		Errors: errs,
	}
}

// broadcastForm checks a submitted broadcast, stores it as a draft and
// shows the admin its audience size with buttons to send or discard it.
func (a *Feature) broadcastForm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if !u.HasRole(store.RoleAdmin) {
		return bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	in := broadcastInput{message: m.Form["message"], audience: strings.TrimSpace(m.Form["audience"]), target: strings.TrimSpace(m.Form["target"]), schedule: strings.TrimSpace(m.Form["schedule"])}
	again := func(field, key string, kv ...any) error {
		return bot.OpenForm(ctx, r, a.broadcastFormFor(u, in, map[string]string{field: a.T(u, key, kv...)}))
	}
	if err := a.CheckText(in.message); err != nil {
		be, _ := bot.AsError(err)
		return bot.OpenForm(ctx, r, a.broadcastFormFor(u, in, map[string]string{"message": a.TM(a.Lang(u), be.MsgKey, be.Args)}))
	}
	at, ok := a.parseSchedule(in.schedule)
	if !ok {
		return again("schedule", "broadcast.error.schedule", "Value", handlers.Clean(in.schedule))
	}
	var aud resolved
	err := a.View(func(tx *store.Tx) (err error) {
		aud, err = a.audience(tx, m.Address, in.audience, in.target)
		return err
	})
	var fe *formError
	if errors.As(err, &fe) {
		return again(fe.field, fe.key, fe.args...)
	}
	if err != nil {
		return err
	}
	if len(aud.msgs) == 0 {
		return again("target", "broadcast.error.nobody")
	}
	body := handlers.Clean(in.message)
	for i := range aud.msgs {
		aud.msgs[i].Reply.Text = body
	}
	label := a.T(u, aud.descKey, aud.descArgs...)
	var b store.OutboxBatch
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		b, err = a.EnqueueTx(tx, &store.OutboxBatch{
			Kind: batchBroadcast, CreatedBy: u.ID, Status: store.BatchDraft, NotBefore: at,
			Label: label + " — " + handlers.Excerpt(body, 40),
		}, aud.msgs...)
		return err
	})
	if err != nil {
		return fmt.Errorf("broadcast draft: %w", err)
	}
	when := a.T(u, "broadcast.now")
	if !at.IsZero() {
		when = at.In(a.Config.Location).Format("2006-01-02 15:04")
	}
	id := strconv.FormatUint(b.ID, 10)
	_, err = r.Reply(ctx, bot.Reply{
		Ephemeral: !m.Direct,
		Title:     a.T(u, "broadcast.confirm.title", "ID", b.ID),
		Text:      handlers.Excerpt(body, 500),
		Fields: []bot.Field{
			{Label: a.T(u, "broadcast.field.audience"), Value: label},
			{Label: a.T(u, "broadcast.field.count"), Value: a.T(u, "broadcast.count", "Count", len(aud.msgs))},
			{Label: a.T(u, "broadcast.field.when"), Value: when},
		},
		Buttons: []bot.Button{
			{ID: actionBroadcastSend, Label: a.T(u, "broadcast.button.send"), Value: id, Style: bot.StylePrimary},
			{ID: actionBroadcastDiscard, Label: a.T(u, "broadcast.button.discard"), Value: id, Style: bot.StyleDanger},
		},
	})
	return err
}

// parseSchedule reads "2026-12-01 09:00" (also with "/" or "T") in the
// bot's time zone: the zero time for "" (now), false when unreadable, past
// or too far ahead.
func (a *Feature) parseSchedule(s string) (time.Time, bool) {
	s = strings.TrimSpace(text.Normalize(s))
	if s == "" {
		return time.Time{}, true
	}
	s = strings.NewReplacer("/", "-", "T", " ", "t", " ").Replace(s)
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.Join(strings.Fields(s), " "), a.Config.Location)
	now := a.Now()
	if err != nil || !t.After(now) || t.Sub(now) > maxSchedule {
		return time.Time{}, false
	}
	return t, true
}

// formError is a refusal shown on one input of the broadcast form.
type formError struct {
	field, key string
	args       []any
}

func (e *formError) Error() string { return e.key }

// resolved is a broadcast's audience: one message per recipient (text
// filled in later) and its description.
type resolved struct {
	msgs     []handlers.Outgoing
	descKey  string
	descArgs []any
}

// audience resolves the recipients of a broadcast typed at at, from what
// tx sees.
func (a *Feature) audience(tx *store.Tx, at bot.Address, kind, target string) (resolved, error) {
	need := func() error { return &formError{field: "target", key: "broadcast.error.target_" + kind} }
	var users []store.User
	res := resolved{descKey: "broadcast.desc." + kind}
	switch kind {
	case audEveryone:
		all, err := tx.Users().All()
		if err != nil {
			return res, fmt.Errorf("broadcast audience: %w", err)
		}
		users = all
	case audDepartment:
		if target == "" {
			return res, need()
		}
		// A department of the list is named by its name or an alias, and
		// reaches everyone whose department names it either way; with no
		// list, the free text is compared as it is.
		names := []string{target}
		d, err := tx.Departments().ByName(target)
		switch {
		case err == nil:
			names, target = d.Names(), d.Name
		case !errors.Is(err, store.ErrNotFound):
			return res, fmt.Errorf("broadcast audience: %w", err)
		default:
			if ds, err := tx.Departments().All(); err != nil {
				return res, fmt.Errorf("broadcast audience: %w", err)
			} else if len(ds) > 0 {
				return res, &formError{field: "target", key: "broadcast.error.no_department", args: []any{"Name", handlers.Clean(target)}}
			}
		}
		all, err := tx.Users().All()
		if err != nil {
			return res, fmt.Errorf("broadcast audience: %w", err)
		}
		for _, u := range all {
			if slices.ContainsFunc(names, func(n string) bool { return storetext.SameName(u.Department, n) }) {
				users = append(users, u)
			}
		}
		res.descArgs = []any{"Department", handlers.Clean(target)}
	case audJoinYear:
		from, to, ok := parseYears(target)
		if !ok {
			return res, need()
		}
		all, err := tx.Users().All()
		if err != nil {
			return res, fmt.Errorf("broadcast audience: %w", err)
		}
		for _, u := range all {
			if u.JoinYear >= from && u.JoinYear <= to {
				users = append(users, u)
			}
		}
		res.descArgs = []any{"From", from, "To", to}
	case audTopic:
		t, err := tx.Topics().ByName(target)
		if target == "" || errors.Is(err, store.ErrNotFound) {
			return res, need()
		}
		if err != nil {
			return res, fmt.Errorf("broadcast audience: %w", err)
		}
		ms, err := tx.Mentors().ByTopic(t.ID)
		if err != nil {
			return res, fmt.Errorf("broadcast audience: %w", err)
		}
		for _, mt := range ms {
			u, err := tx.Users().ByID(mt.UserID)
			if err != nil {
				return res, fmt.Errorf("broadcast audience: %w", err)
			}
			users = append(users, u)
		}
		res.descArgs = []any{"Topic", t.Name}
	case audChannel:
		ch, ok := handlers.ParseChannel(target)
		if here := text.Normalize(target); (here == "here" || here == "ここ") && at.Channel != "" {
			ch, ok = store.ChannelRef{Channel: at.Channel}, true
		}
		if !ok {
			return res, need()
		}
		to := bot.Address{Platform: at.Platform, Workspace: at.Workspace, Channel: ch.Channel}
		viewer := store.User{Locale: a.Config.DefaultLocale}
		res.msgs = []handlers.Outgoing{{To: to, Reply: bot.Reply{Title: a.T(viewer, "broadcast.title")}}}
		res.descArgs = []any{"Channel", handlers.ChannelLabel(ch)}
		return res, nil
	default:
		return res, &formError{field: "audience", key: "broadcast.error.audience"}
	}
	served := a.ServedPlatforms()
	for _, u := range users {
		// A forgotten person (admin forget) is a tombstone: no one to reach.
		if u.Deleted || served != nil && !served[u.Platform] {
			continue
		}
		res.msgs = append(res.msgs, handlers.Outgoing{To: handlers.DMAddress(u), Reply: bot.Reply{Title: a.T(u, "broadcast.title")}})
	}
	return res, nil
}

// parseYears reads "2015", "2015-2020" or "2015..2020".
func parseYears(s string) (int, int, bool) {
	s = strings.ReplaceAll(text.Normalize(s), "..", "-")
	from, to, isRange := strings.Cut(s, "-")
	f, err1 := strconv.Atoi(strings.TrimSpace(from))
	t, err2 := f, error(nil)
	if isRange {
		t, err2 = strconv.Atoi(strings.TrimSpace(to))
	}
	if err1 != nil || err2 != nil || f < 1900 || t > 2200 || t < f {
		return 0, 0, false
	}
	return f, t, true
}
