package stats

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// reportPeriod is the period key the monthly report of month claims.
func reportPeriod(month string) string { return "stats:report:" + month }

// MonthlyReport sends the report of the month before now to every admin,
// by DM through the outbox, each in their language. The claim of the
// month's period key and the messages commit together, so the report goes
// out once across restarts, catch-ups and overlapping runs.
func (a *Feature) MonthlyReport(ctx context.Context, now time.Time) error {
	month := previousMonth(now, a.Config.Location)
	key := reportPeriod(month)
	var claimed bool
	if err := a.View(func(tx *store.Tx) (err error) {
		_, claimed, err = tx.PeriodClaimedAt(key)
		return err
	}); err != nil {
		return fmt.Errorf("monthly stats %s: %w", month, err)
	}
	if claimed {
		return nil
	}
	rep, err := a.Build(ctx, month, now)
	if err != nil {
		return fmt.Errorf("monthly stats: %w", err)
	}
	text := map[string]string{}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		first, err := tx.ClaimPeriod(key)
		if err != nil || !first {
			return err
		}
		admins, err := tx.Users().WithRole(store.RoleAdmin)
		if err != nil {
			return err
		}
		msgs := make([]handlers.Outgoing, 0, len(admins))
		for _, ad := range admins {
			lang := a.Lang(ad)
			if _, ok := text[lang]; !ok {
				text[lang] = a.TL(lang, "stats.monthly.intro", "Month", month) + "\n" + a.Render(lang, rep)
			}
			k := key + ":" + strconv.FormatUint(ad.ID, 10)
			rep := bot.Reply{Text: text[lang], Key: k}
			if a.opt.Links != nil {
				if b, ok := a.opt.Links.StatsButton(ad, month); ok {
					rep.Buttons = []bot.Button{b}
				}
			}
			msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(ad), Reply: rep, Key: k})
		}
		_, err = a.EnqueueTx(tx, nil, msgs...)
		return err
	})
	if err != nil {
		return fmt.Errorf("monthly stats %s: %w", month, err)
	}
	return nil
}
