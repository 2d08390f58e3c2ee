package broadcast

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// maxReportFailures is how many failures a report lists.
const maxReportFailures = 10

// broadcastBatch loads the broadcast an argument names, for an admin.
func (a *Feature) broadcastBatch(u store.User, arg string) (store.OutboxBatch, error) {
	if !u.HasRole(store.RoleAdmin) {
		return store.OutboxBatch{}, bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	id, ok := handlers.ParseID(arg)
	if !ok {
		return store.OutboxBatch{}, bot.Errorf(bot.CodeInvalid, "error.bad_id", "ID", handlers.Clean(arg))
	}
	b, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.OutboxBatch, error) { return tx.Outbox().Batch(id) })
	if errors.Is(err, store.ErrNotFound) || err == nil && b.Kind != batchBroadcast {
		return store.OutboxBatch{}, bot.Errorf(bot.CodeNotFound, "broadcast.error.not_found", "ID", id)
	}
	if err != nil {
		return store.OutboxBatch{}, fmt.Errorf("broadcast %d: %w", id, err)
	}
	return b, nil
}

// broadcastSend releases a confirmed draft.
func (a *Feature) broadcastSend(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	b, err := a.broadcastBatch(u, m.Action.Value)
	if err != nil {
		return err
	}
	draft := b
	// Commit may run the function more than once: it reads draft, never
	// what an earlier run set.
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if b, err = tx.Outbox().ReleaseBatch(draft.ID, draft.NotBefore); err != nil {
			return err
		}
		a.WakeOnCommit(tx)
		return handlers.AuditTx(tx, u, auditBroadcast, fmt.Sprintf("#%d %s (%d)", b.ID, b.Label, b.Counts.Total()))
	})
	if errors.Is(err, store.ErrExists) {
		return bot.Errorf(bot.CodeConflict, "broadcast.error.not_draft", "ID", m.Action.Value)
	}
	if err != nil {
		return fmt.Errorf("send broadcast: %w", err)
	}
	a.Log.Info("broadcast released", "batch", b.ID, "recipients", b.Counts.Total())
	text := a.T(u, "broadcast.started", "ID", b.ID, "Count", b.Counts.Total())
	if b.NotBefore.After(a.Now()) {
		text = a.T(u, "broadcast.scheduled", "ID", b.ID, "Count", b.Counts.Total(), "At", b.NotBefore.In(a.Config.Location).Format("2006-01-02 15:04"))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// broadcastDiscard drops a draft.
func (a *Feature) broadcastDiscard(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	b, err := a.broadcastBatch(u, m.Action.Value)
	if err != nil {
		return err
	}
	if b.Status != store.BatchDraft {
		return bot.Errorf(bot.CodeConflict, "broadcast.error.not_draft", "ID", b.ID)
	}
	if err := a.Commit(ctx, func(tx *store.Tx) error { _, _, err := tx.Outbox().CancelBatch(b.ID); return err }); err != nil {
		return fmt.Errorf("discard broadcast: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "broadcast.discarded", "ID", b.ID)})
	return err
}

// broadcastCancel answers /soudan admin broadcast cancel ID.
func (a *Feature) broadcastCancel(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return a.UsageError(u, "usage.admin.broadcast.cancel")
	}
	b, err := a.broadcastBatch(u, m.Args[0])
	if err != nil {
		return err
	}
	// A finished or cancelled broadcast has nothing left to stop: say so,
	// and write no audit line.
	var n int
	finished := false
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		cur, err := tx.Outbox().Batch(b.ID)
		if err != nil {
			return err
		}
		if finished = cur.Status == store.BatchDone || cur.Status == store.BatchCancelled; finished {
			b = cur
			return nil
		}
		if b, n, err = tx.Outbox().CancelBatch(b.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditBroadcast, fmt.Sprintf("#%d cancel (%d)", b.ID, n))
	})
	if err != nil {
		return fmt.Errorf("cancel broadcast: %w", err)
	}
	if finished {
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "broadcast.already."+string(b.Status), "ID", b.ID)})
		return err
	}
	rep, err := a.broadcastReport(u, b.ID)
	if err != nil {
		return err
	}
	rep.Text = a.T(u, "broadcast.cancelled", "ID", b.ID, "Count", n) + "\n" + rep.Text
	rep.Ephemeral = !m.Direct
	_, err = r.Reply(ctx, rep)
	return err
}

// broadcastStatus answers /soudan admin broadcast status [ID]: the report
// of one broadcast, or the latest ones.
func (a *Feature) broadcastStatus(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) > 0 {
		b, err := a.broadcastBatch(u, m.Args[0])
		if err != nil {
			return err
		}
		rep, err := a.broadcastReport(u, b.ID)
		if err != nil {
			return err
		}
		rep.Ephemeral = !m.Direct
		_, err = r.Reply(ctx, rep)
		return err
	}
	bs, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.OutboxBatch, error) { return tx.Outbox().Batches(batchBroadcast, 5) })
	if err != nil {
		return fmt.Errorf("broadcast status: %w", err)
	}
	text := a.T(u, "broadcast.none")
	if len(bs) > 0 {
		lines := make([]string, len(bs))
		for i, b := range bs {
			lines[i] = a.T(u, "broadcast.line", "ID", b.ID, "Status", a.statusLabel(u, b),
				"Sent", b.Counts.Sent, "Total", b.Counts.Total(), "Label", b.Label)
		}
		text = strings.Join(lines, "\n")
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "broadcast.list.title"), Text: text})
	return err
}

// statusLabel names b's state for viewer: a released broadcast whose
// time has not come yet is scheduled, with its time, not sending.
func (a *Feature) statusLabel(viewer store.User, b store.OutboxBatch) string {
	if b.Status == store.BatchActive && b.NotBefore.After(a.Now()) {
		return a.T(viewer, "broadcast.status.scheduled", "At", b.NotBefore.In(a.Config.Location).Format("2006-01-02 15:04"))
	}
	return a.T(viewer, "broadcast.status."+string(b.Status))
}

// broadcastReport renders a broadcast's delivery report for viewer.
func (a *Feature) broadcastReport(viewer store.User, id uint64) (bot.Reply, error) {
	var rep store.OutboxReport
	names := map[int]string{} // failure index -> the recipient's name
	err := a.View(func(tx *store.Tx) (err error) {
		if rep, err = tx.Outbox().BatchReport(id, maxReportFailures); err != nil {
			return err
		}
		for i, f := range rep.Failures {
			if u, err := tx.Users().ByKey(store.UserKey{Platform: f.Platform, Workspace: f.Workspace, PlatformID: f.User}); f.Channel == "" && err == nil {
				names[i] = u.Name
			}
		}
		return nil
	})
	if err != nil {
		return bot.Reply{}, fmt.Errorf("broadcast report: %w", err)
	}
	b, c := rep.Batch, rep.Batch.Counts
	r := bot.Reply{
		Title: a.T(viewer, "broadcast.report.title", "ID", b.ID, "Status", a.statusLabel(viewer, b)),
		Text:  b.Label,
		Fields: []bot.Field{
			{Label: a.T(viewer, "broadcast.field.sent"), Value: strconv.Itoa(c.Sent)},
			{Label: a.T(viewer, "broadcast.field.failed"), Value: strconv.Itoa(c.Failed)},
			{Label: a.T(viewer, "broadcast.field.cancelled"), Value: strconv.Itoa(c.Cancelled)},
			{Label: a.T(viewer, "broadcast.field.waiting"), Value: strconv.Itoa(c.Pending + c.Sending)},
		},
		Anchor: "b" + strconv.FormatUint(b.ID, 10),
	}
	for i, f := range rep.Failures {
		who := handlers.Clean(f.Channel)
		if f.Channel == "" {
			who = handlers.Clean(f.User)
			if name, ok := names[i]; ok {
				who = a.T(viewer, "consult.name", "Name", handlers.Clean(name))
			}
		}
		r.Text += "\n" + a.T(viewer, "broadcast.report.failure", "Who", who, "Reason", f.Reason)
	}
	if more := c.Failed - len(rep.Failures); more > 0 {
		r.Text += "\n" + a.T(viewer, "broadcast.report.more", "Count", more)
	}
	return r, nil
}

// onBatchDone sends the admin who sent a broadcast its report once every
// message was sent, failed or cancelled. The report's key makes it one
// report however often the outbox reports the batch done.
func (a *Feature) onBatchDone(ctx context.Context, b store.OutboxBatch) {
	if b.Kind != batchBroadcast || b.CreatedBy == 0 {
		return
	}
	sender, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(b.CreatedBy) })
	if err != nil {
		a.Log.Warn("broadcast report: sender", "batch", b.ID, "err", err)
		return
	}
	rep, err := a.broadcastReport(sender, b.ID)
	if err != nil {
		a.Log.Warn("broadcast report", "batch", b.ID, "err", err)
		return
	}
	if err := a.Enqueue(ctx, handlers.Outgoing{To: handlers.DMAddress(sender), Reply: rep, Key: "broadcast.report:" + strconv.FormatUint(b.ID, 10)}); err != nil {
		a.Log.Warn("broadcast report", "batch", b.ID, "err", err)
	}
}
