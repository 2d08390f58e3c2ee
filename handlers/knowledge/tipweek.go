package knowledge

import (
	"context"
	"fmt"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Tip of the week: every Monday morning one well-rated tip (at least one
// helpful vote, the most helpful first) that was not posted in the last
// tipWeekRest weeks is posted to the configured channels, through the
// outbox.
const (
	tipWeekJob  = "knowledge:tip-of-week"
	tipWeekSpec = "0 10 * * 1" // Mondays 10:00, in the configured time zone
	tipWeekRest = 12 * 7 * 24 * time.Hour
)

// Options configure the knowledge feature.
type Options struct {
	// TipOfWeek are the channels the tip of the week is posted to; none:
	// no tip of the week.
	TipOfWeek []bot.Address
}

// NewWith returns the knowledge feature with options.
func NewWith(k *handlers.Kit, opt Options) *Feature { return &Feature{Kit: k, opt: opt} }

// Jobs is the tip of the week, when it has channels.
func (a *Feature) Jobs() []handlers.Job {
	if len(a.opt.TipOfWeek) == 0 {
		return nil
	}
	return []handlers.Job{{Name: tipWeekJob, Spec: tipWeekSpec, Period: handlers.Weekly, Run: a.TipOfWeek}}
}

// TipOfWeek posts the tip of the week of now's ISO week: the most helpful
// tip not posted in the last tipWeekRest weeks. The posts, the tip's mark
// and the week's claim commit together, so a week posts at most once
// however often the job runs. No tip with a helpful vote left to post:
// nothing is posted.
func (a *Feature) TipOfWeek(ctx context.Context, now time.Time) error {
	year, wk := now.In(a.Config.Location).ISOWeek()
	week := fmt.Sprintf("%d-W%02d", year, wk)
	var tip store.Tip
	err := a.View(func(tx *store.Tx) error {
		return tx.BestTips(func(t store.Tip) (bool, error) {
			if t.Helpful < 1 {
				return false, nil
			}
			at, ok, err := tx.TipFeaturedAt(t.ID)
			if err != nil {
				return false, err
			}
			if ok && now.Sub(at) < tipWeekRest {
				return true, nil
			}
			tip = t
			return false, nil
		})
	})
	if err != nil {
		return fmt.Errorf("tip of the week: %w", err)
	}
	if tip.ID == 0 {
		a.Log.Info("tip of the week: no well-rated tip left to post", "week", week)
		return nil
	}
	viewer := store.User{Locale: a.Config.DefaultLocale}
	var msgs []handlers.Outgoing
	for _, to := range a.opt.TipOfWeek {
		r := a.tipReply(viewer, tip)
		r.Title = a.T(viewer, "tip.week.title", "Title", r.Title)
		key := "tipweek:" + week + ":" + to.Platform + ":" + to.Channel
		r.Key = key
		msgs = append(msgs, handlers.Outgoing{To: to, Reply: r, Key: key})
	}
	posted := false
	err = a.Commit(ctx, func(tx *store.Tx) error {
		first, err := tx.ClaimPeriod(tipWeekJob + ":posted:" + week)
		if err != nil || !first {
			return err
		}
		if err := tx.MarkTipFeatured(tip.ID); err != nil {
			return err
		}
		_, err = a.EnqueueTx(tx, nil, msgs...)
		posted = err == nil
		return err
	})
	if err != nil {
		return fmt.Errorf("tip of the week: %w", err)
	}
	if posted {
		a.Log.Info("tip of the week posted", "week", week, "tip", tip.ID, "channels", len(msgs))
	}
	return nil
}
