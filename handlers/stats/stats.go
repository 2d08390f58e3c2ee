// Package stats is the programme's statistics: /soudan stats [YYYY-MM]
// for admins, and the same report sent to every admin on the first of
// each month for the month before. Figures come from the month index and
// the monthly counters the store keeps in the transactions of the records
// they count, never from decoding the whole history.
package stats

import (
	"context"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Options configure the statistics.
type Options struct {
	// Surveys gives the month's survey response rates; nil leaves the
	// survey section out.
	Surveys SurveyRates
	// Connections gives the quarter's connections figures; nil leaves
	// the connections section out.
	Connections Connections
	// Links, when set, give the monthly report a button to the month's
	// programme page (cmd passes the web pages' links).
	Links ReportLinks
}

// ReportLinks make a button to the programme page of a month ("2006-01")
// for a person; ok is false when the pages are not served.
type ReportLinks interface {
	StatsButton(u store.User, month string) (bot.Button, bool)
}

// Feature is the statistics command and the monthly report job.
type Feature struct {
	*handlers.Kit
	opt Options
}

// New returns the statistics feature.
func New(k *handlers.Kit, opt Options) *Feature {
	return &Feature{Kit: k, opt: opt}
}

// Register adds /soudan stats (admins only).
func (a *Feature) Register(rt *bot.Router) {
	rt.Command(bot.Command{
		Name:     "stats",
		Aliases:  []string{"統計"},
		UsageKey: "usage.stats",
		Role:     store.RoleAdmin,
		Handler:  a.stats,
		MaxWords: 1,
	})
}

// Jobs is the monthly report: at 9:00 on the first of each month, the
// month before to every admin.
func (a *Feature) Jobs() []handlers.Job {
	return []handlers.Job{{Name: "stats:monthly", Spec: "0 9 1 * *", Period: handlers.Monthly, Run: a.MonthlyReport}}
}

// stats answers /soudan stats [YYYY-MM]: the report of the month given,
// by default the current one.
func (a *Feature) stats(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	now := a.Now()
	current := a.Month(now)
	month := current
	switch len(m.Args) {
	case 0:
	case 1:
		var ok bool
		if month, ok = parseMonth(m.Args[0]); !ok {
			return bot.Errorf(bot.CodeInvalid, "stats.error.bad_month", "Arg", handlers.Clean(handlers.Excerpt(m.Args[0], 20)))
		}
		if month > current {
			return bot.Errorf(bot.CodeInvalid, "stats.error.future", "Month", month)
		}
	default:
		return a.UsageError(u, "usage.stats")
	}
	rep, err := a.Build(ctx, month, now)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.Render(a.Lang(u), rep)})
	return err
}
