// Package connections makes connections between people happen and counts
// them: coffee pairs across departments, cafés of three or four (juniors
// with a senior), a mentor for each new hire for a fixed term, and 1on1s.
// Members join, leave, pause and skip with /soudan coffee; admins define
// programmes with /soudan admin coffee (cadence, group size, who takes
// part, rules), preview a round as a dry run and run it; the matcher
// (handlers/connections/pairing, a pure leaf) forms the groups. Every
// introduction and check-in goes through the outbox under a key that
// names the round and the person, and a round is stored once per period,
// so a crash or a repeated run never forms a group twice nor introduces
// anyone twice. The quarter's figures per department obey the survey's
// k rule (handlers/figures).
package connections

import (
	"context"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Actions and audit actions of the connections feature.
const (
	actionCheckin      = "conn.checkin"      // value "round:answer"
	actionResume       = "conn.resume"       // the auto-pause DM's one-click resume
	actionTermApprove  = "conn.term.approve" // value: term id
	actionTermDecline  = "conn.term.decline" // value: term id
	auditProgrammeAdd  = "connections.programme.add"
	auditProgrammeSet  = "connections.programme.set"
	auditRun           = "connections.run"
	auditTermDecision  = "connections.term"
	defaultK           = 5 // the survey's usual minimum group size
	minK, maxK         = 3, 50
	historyRounds      = 52 // the past rounds the matcher weighs (a year of weekly rounds)
	maxSettingArgs     = 20
	maxProgrammeName   = 40
	checkinMid         = "mid"
	checkinEnd         = "end"
	jobDaily           = "connections:daily"
	dateFormat         = "2006-01-02"
	maxOneOnOneAgeDays = 400 // how far back a 1on1 may be logged
)

// Options configure the connections feature.
type Options struct {
	// K is the smallest group of people whose figures are shown; default
	// 5, at least 3 (as surveys).
	K int
}

// Feature is the connections feature.
type Feature struct {
	*handlers.Kit
	opt Options
}

// New returns the connections feature.
func New(k *handlers.Kit, opt Options) *Feature {
	if opt.K < minK {
		opt.K = defaultK
	}
	return &Feature{Kit: k, opt: opt}
}

// Register adds /soudan coffee, /soudan 1on1 and /soudan admin coffee,
// the check-in, resume and mentor-approval buttons.
func (a *Feature) Register(rt *bot.Router) {
	a.DescribeAudit(auditProgrammeAdd, "conn.audit.programme_add")
	a.DescribeAudit(auditProgrammeSet, "conn.audit.programme_set")
	a.DescribeAudit(auditRun, "conn.audit.run")
	a.DescribeAudit(auditTermDecision, "conn.audit.term")
	rt.Command(bot.Command{
		Name: "coffee", Aliases: []string{"コーヒー", "つながり"}, UsageKey: "usage.coffee",
		Sub: []bot.Command{
			{Name: "join", Aliases: []string{"参加"}, UsageKey: "usage.coffee.join", Handler: a.join},
			{Name: "leave", Aliases: []string{"退会", "やめる"}, UsageKey: "usage.coffee.leave", Handler: a.leave},
			{Name: "pause", Aliases: []string{"休止", "一時休止"}, UsageKey: "usage.coffee.pause", Handler: a.pause},
			{Name: "resume", Aliases: []string{"再開"}, UsageKey: "usage.coffee.resume", Handler: a.resume},
			{Name: "skip", Aliases: []string{"スキップ", "今回休む"}, UsageKey: "usage.coffee.skip", Handler: a.skip},
			{Name: "history", Aliases: []string{"履歴"}, UsageKey: "usage.coffee.history", Handler: a.history},
			{Name: "avoid", Aliases: []string{"組まない"}, UsageKey: "usage.coffee.avoid", Handler: a.avoid},
			{Name: "prefer", Aliases: []string{"希望"}, UsageKey: "usage.coffee.prefer", Handler: a.prefer},
			// Admins and hr see every department, a manager theirs:
			// Figures decides, as the survey's report does.
			{Name: "stats", Aliases: []string{"統計"}, UsageKey: "usage.coffee.stats", Handler: a.stats},
		},
	})
	rt.Command(bot.Command{
		Name: "1on1", Aliases: []string{"ワンオンワン", "面談"}, UsageKey: "usage.oneonone",
		Sub: []bot.Command{
			{Name: "log", Aliases: []string{"記録"}, UsageKey: "usage.oneonone.log", Handler: a.logOneOnOne},
		},
	})
	rt.Command(bot.Command{Name: "admin", Role: store.RoleAdmin, Sub: []bot.Command{
		{Name: "coffee", Aliases: []string{"コーヒー", "つながり"}, UsageKey: "usage.admin.coffee", Sub: []bot.Command{
			{Name: "add", Aliases: []string{"追加"}, UsageKey: "usage.admin.coffee.add", Handler: a.addProgramme},
			{Name: "set", Aliases: []string{"設定"}, UsageKey: "usage.admin.coffee.set", Handler: a.setProgramme},
			{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.admin.coffee.list", Handler: a.listProgrammes},
			{Name: "preview", Aliases: []string{"プレビュー", "試行"}, UsageKey: "usage.admin.coffee.preview", Handler: a.preview},
			{Name: "run", Aliases: []string{"実行"}, UsageKey: "usage.admin.coffee.run", Handler: a.run},
			{Name: "checkin", Aliases: []string{"確認"}, UsageKey: "usage.admin.coffee.checkin", Handler: a.checkinNow},
		}},
	}})
	rt.Action(actionCheckin, a.answerCheckin)
	rt.Action(actionResume, a.resumeAction)
	rt.Action(actionTermApprove, a.approveTerm)
	rt.Action(actionTermDecline, a.declineTerm)
}

// Jobs: each morning, the check-ins that are due and the rounds the
// programmes' cadences call for.
func (a *Feature) Jobs() []handlers.Job {
	return []handlers.Job{{Name: jobDaily, Spec: "0 10 * * *", Period: handlers.Daily, Run: a.Daily}}
}

// Daily sends the check-ins due today and, on a business day, forms the
// round of every scheduled programme whose period has none yet (so a day
// missed while the bot was down is caught up on the next business day of
// the period). Run again on one day it changes nothing: rounds are once
// per period, and check-ins are marked sent in the commit that queues
// them.
func (a *Feature) Daily(ctx context.Context, now time.Time) error {
	if err := a.sendDueCheckins(ctx, now); err != nil {
		return err
	}
	return a.runScheduled(ctx, now)
}
