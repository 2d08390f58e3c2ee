package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// purgeBatch is how many records one purge transaction removes at most,
// so the purge never holds the write lock long.
const purgeBatch = 200

// auditPurge is the audit action of each purge batch.
const auditPurge = "retention.purge"

// Purger removes one kind of record kept longer than the retention, in
// bounded batches: Purge removes at most limit records older than before
// in tx and reports how many it removed and whether more wait. It must be
// idempotent (a second call finds nothing) and keep the aggregates reports
// need. The retention job calls the built-in consultation purger and then
// every Options.Purgers in order; survey raw responses plug in here.
type Purger struct {
	Name  string // what it purges, for the audit log and logs: "consultations"
	Purge func(tx *store.Tx, before time.Time, limit int) (n int, more bool, err error)
}

// consultationPurger purges finished consultations (store.PurgeConsultations).
var consultationPurger = Purger{
	Name: "consultations",
	Purge: func(tx *store.Tx, before time.Time, limit int) (int, bool, error) {
		return tx.PurgeConsultations(before, limit)
	},
}

// Jobs returns the retention purge when a retention is configured.
func (a *Feature) Jobs() []handlers.Job {
	if a.opt.RetentionMonths <= 0 {
		return nil
	}
	return []handlers.Job{{Name: "retention:purge", Spec: "0 5 * * *", Period: handlers.Daily, Run: a.PurgeExpired}}
}

// PurgeExpired is the daily retention job: every purger removes what is
// older than RetentionMonths before now, a batch per transaction, each
// batch with its audit entry. With no retention it does nothing.
func (a *Feature) PurgeExpired(ctx context.Context, now time.Time) error {
	if a.opt.RetentionMonths <= 0 {
		return nil
	}
	before := now.AddDate(0, -a.opt.RetentionMonths, 0)
	for _, p := range append([]Purger{consultationPurger}, a.opt.Purgers...) {
		total, err := a.purge(ctx, p, before)
		a.Log.Info("retention: purged", "kind", p.Name, "count", total, "before", before.Format(time.DateOnly))
		if err != nil {
			return fmt.Errorf("retention purge of %s: %w", p.Name, err)
		}
	}
	return nil
}

// purge runs p in batches until nothing older than before is left, and
// returns how many records it removed.
func (a *Feature) purge(ctx context.Context, p Purger, before time.Time) (int, error) {
	total := 0
	for more := true; more; {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n int
		err := a.Commit(ctx, func(tx *store.Tx) (err error) {
			if n, more, err = p.Purge(tx, before, purgeBatch); err != nil || n == 0 {
				return err
			}
			detail := fmt.Sprintf("%s: %d (before %s)", p.Name, n, before.In(a.Config.Location).Format(time.DateOnly))
			return handlers.AuditTx(tx, store.User{}, auditPurge, detail)
		})
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}
