package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Batch kind and audit action of closing a round.
const (
	batchReports = "survey.reports"
	auditClose   = "survey.close"
)

// FollowUp are the care follow-up thresholds of confidential rounds: an
// answer at or below Low on a 1-5 item or LowNPS on a 0-10 item, or a
// 1-5 average that fell by Drop or more since the person's previous
// answer.
type FollowUp struct {
	Low    int
	LowNPS int
	Drop   float64
}

// DefaultFollowUp are the thresholds when none are configured.
var DefaultFollowUp = FollowUp{Low: 2, LowNPS: 4, Drop: 1}

// reportArgs is a parsed "survey report SURVEY [PERIOD] [--by department|tenure]".
type reportArgs struct {
	survey, period, by string
}

// parseReportArgs reads the report command's arguments.
func parseReportArgs(args []string) (reportArgs, bool) {
	ra := reportArgs{by: byDepartment}
	for i := 0; i < len(args); i++ {
		a := strings.TrimLeft(text.Normalize(args[i]), "-")
		switch {
		case a == "by" || a == "別":
			if i+1 >= len(args) {
				return ra, false
			}
			i++
			a = "by=" + text.Normalize(args[i])
			fallthrough
		case strings.HasPrefix(a, "by="):
			switch v := strings.TrimPrefix(a, "by="); v {
			case "department", "dept", "部署":
				ra.by = byDepartment
			case "tenure", "band", "年次", "在職年数":
				ra.by = byTenure
			default:
				return ra, false
			}
		case ra.survey == "":
			ra.survey = a
		case ra.period == "":
			ra.period = a // findRound reads it as a month, or says it is none
		default:
			return ra, false
		}
	}
	return ra, ra.survey != ""
}

// mayReport says whether u may read survey reports, and of which
// departments only (none for all).
func mayReport(u store.User) (only []string, ok bool) {
	switch {
	case u.HasRole(store.RoleAdmin), u.HasRole(store.RoleHR):
		return nil, true
	case u.HasRole(store.RoleManager) && len(u.ManagerOf) > 0:
		return u.ManagerOf, true
	}
	return nil, false
}

// reportCommand answers /soudan survey report: admins and hr see every
// group, a manager the organisation and their own department. Reports
// exist only for closed rounds: figures that change as answers come in
// could be differenced.
func (a *Feature) reportCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	only, ok := mayReport(u)
	if !ok {
		return bot.Errorf(bot.CodeForbidden, "survey.error.report_forbidden")
	}
	ra, ok := parseReportArgs(m.Args)
	if !ok {
		return a.UsageError(u, "usage.survey.report")
	}
	var f report
	var notes []string
	err := a.View(func(tx *store.Tx) error {
		round, err := a.findRound(tx, ra.survey, ra.period)
		if err != nil {
			return err
		}
		if round.Open() {
			return bot.Errorf(bot.CodeConflict, "survey.error.still_open", "Deadline", round.Deadline.In(a.Config.Location).Format("2006-01-02 15:04"))
		}
		if len(only) > 0 {
			ra.by, only = byDepartment, a.managedDepts(tx, only)
		}
		if f, err = figuresOf(tx, round, ra.by); err != nil {
			return err
		}
		if len(only) == 0 {
			notes, err = a.commentNotes(tx, u, round)
		}
		return err
	})
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, a.withEphemeral(m, a.reportReply(u, f, only, notes)))
	return err
}

// withEphemeral makes a reply in a channel visible to its reader only.
func (a *Feature) withEphemeral(m *bot.Message, rep bot.Reply) bot.Reply {
	rep.Ephemeral = !m.Direct
	return rep
}

// findRound is the round of a survey in a period, or its latest.
func (a *Feature) findRound(tx *store.Tx, surveyID, period string) (store.SurveyRound, error) {
	if period != "" {
		m, ok := handlers.ParseMonth(period)
		if !ok {
			return store.SurveyRound{}, bot.Errorf(bot.CodeInvalid, "survey.error.bad_month", "Arg", clip(period))
		}
		period = m
	}
	rounds, err := tx.Surveys().Rounds(surveyID)
	if err != nil {
		return store.SurveyRound{}, err
	}
	if len(rounds) == 0 {
		// A survey never sent, or no survey at all: say which.
		if _, err := surveyByID(tx, surveyID); err != nil {
			return store.SurveyRound{}, err
		}
	}
	for i := len(rounds) - 1; i >= 0; i-- {
		if period == "" || rounds[i].Period == period {
			return rounds[i], nil
		}
	}
	if period == "" {
		return store.SurveyRound{}, bot.Errorf(bot.CodeNotFound, "survey.error.no_rounds", "Survey", clip(surveyID))
	}
	return store.SurveyRound{}, bot.Errorf(bot.CodeNotFound, "survey.error.no_round_in", "Survey", clip(surveyID), "Period", clip(period))
}

// statusCommand answers /soudan survey status: each open round's response
// rate, overall and by department; a department too small to show (or
// hidden against differencing) says so.
func (a *Feature) statusCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if !u.HasRole(store.RoleAdmin) && !u.HasRole(store.RoleHR) {
		return bot.Errorf(bot.CodeForbidden, "survey.error.admin_hr_only")
	}
	var replies []bot.Reply
	err := a.View(func(tx *store.Tx) error {
		rounds, err := tx.Surveys().OpenRounds()
		if err != nil {
			return err
		}
		for _, round := range rounds {
			rel, err := release(tx, round)
			if err != nil {
				return err
			}
			res := rel.Figures(nil, byDepartment)
			rep := bot.Reply{Title: a.T(u, "survey.status.title", "ID", round.ID, "Survey", handlers.Clean(surveydef.Text(round.Survey.Title).In(a.Lang(u))), "Period", round.Period,
				"Deadline", round.Deadline.In(a.Config.Location).Format("2006-01-02 15:04"))}
			rep.Fields = append(rep.Fields, a.rateField(u, a.T(u, "survey.group.org"), res.Org))
			for _, g := range res.Groups {
				rep.Fields = append(rep.Fields, a.rateField(u, a.groupLabel(u, byDepartment, g.Key), g))
			}
			replies = append(replies, rep)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(replies) == 0 {
		_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.status.none")})
		return err
	}
	for _, rep := range replies {
		if _, err := r.Reply(ctx, a.withEphemeral(m, rep)); err != nil {
			return err
		}
	}
	return nil
}

// rateField is a group's response rate, or that it is too small.
func (a *Feature) rateField(u store.User, label string, g figures.GroupFigures) bot.Field {
	if !g.Shown {
		return bot.Field{Label: label, Value: a.T(u, "survey.report.too_few")}
	}
	return bot.Field{Label: label, Value: a.T(u, "survey.report.responses", "N", g.N, "Invited", g.Invited, "Rate", pct(g.ResponseRate))}
}

// closeCommand answers /soudan survey close ROUND|SURVEY: it closes the
// round now and sends its reports.
func (a *Feature) closeCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) != 1 {
		return a.UsageError(u, "usage.survey.close")
	}
	var round store.SurveyRound
	err := a.View(func(tx *store.Tx) error {
		arg := text.Normalize(m.Args[0])
		if id, err := strconv.ParseUint(strings.TrimPrefix(arg, "#"), 10, 64); err == nil {
			round, err = tx.Surveys().Round(id)
			if errors.Is(err, store.ErrNotFound) {
				return bot.Errorf(bot.CodeNotFound, "survey.error.no_round", "Round", id)
			}
			return err
		}
		var err error
		round, err = a.findRound(tx, arg, "")
		return err
	})
	if err != nil {
		return err
	}
	closed, org, err := a.closeRound(ctx, round.ID, u)
	if err != nil {
		return err
	}
	if !closed {
		return bot.Errorf(bot.CodeConflict, "survey.error.already_closed", "Round", round.ID)
	}
	text := a.T(u, "survey.closed_few", "ID", round.ID, "K", round.MinGroup)
	if org.Shown {
		text = a.T(u, "survey.closed", "ID", round.ID, "N", org.N, "Invited", org.Invited)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// closingReports are the messages a closed round sends: each department's
// managers get their department against the organisation, hr the whole
// report (and, in confidential mode, the care follow-up list), admins a
// notice. Their keys name the round and the person, so a close run twice
// sends nothing twice.
func (a *Feature) closingReports(tx *store.Tx, r store.SurveyRound) ([]handlers.Outgoing, error) {
	f, err := figuresOf(tx, r, byDepartment)
	if err != nil {
		return nil, err
	}
	managers, err := tx.Users().WithRole(store.RoleManager)
	if err != nil {
		return nil, err
	}
	hr, err := tx.Users().WithRole(store.RoleHR)
	if err != nil {
		return nil, err
	}
	admins, err := tx.Users().WithRole(store.RoleAdmin)
	if err != nil {
		return nil, err
	}
	var follow []string
	if r.Mode == store.SurveyConfidential {
		if follow, err = a.followUps(tx, r); err != nil {
			return nil, err
		}
	}
	var out []handlers.Outgoing
	add := func(u store.User, kind string, rep bot.Reply) {
		if a.opt.Links != nil && kind != "admin" {
			if b, ok := a.opt.Links.SurveyButton(u, r.ID); ok {
				rep.Buttons = append(rep.Buttons, b)
			}
		}
		rep.Key = "survey:" + kind + ":" + strconv.FormatUint(r.ID, 10) + ":" + strconv.FormatUint(u.ID, 10)
		out = append(out, handlers.Outgoing{To: handlers.DMAddress(u), Reply: rep, Key: rep.Key})
	}
	sent := map[uint64]bool{}
	for _, u := range hr {
		notes, err := a.commentNotes(tx, u, r)
		if err != nil {
			return nil, err
		}
		if r.Mode == store.SurveyConfidential {
			notes = append(notes, a.T(u, "survey.followup.title", "Count", len(follow)))
			notes = append(notes, follow...)
		}
		add(u, "hr", a.reportReply(u, f, nil, notes))
		sent[u.ID] = true
	}
	for _, u := range managers {
		if sent[u.ID] || len(u.ManagerOf) == 0 {
			continue
		}
		add(u, "manager", a.reportReply(u, f, a.managedDepts(tx, u.ManagerOf), nil))
		sent[u.ID] = true
	}
	for _, u := range admins {
		if sent[u.ID] {
			continue
		}
		title := handlers.Clean(surveydef.Text(r.Survey.Title).In(a.Lang(u)))
		text := a.T(u, "survey.closed_notice_few", "ID", r.ID, "Survey", title, "Period", r.Period, "K", r.MinGroup)
		if org := f.res.Org; org.Shown {
			text = a.T(u, "survey.closed_notice", "ID", r.ID, "Survey", title, "Period", r.Period, "N", org.N, "Invited", org.Invited, "Survey_ID", r.SurveyID)
		}
		add(u, "admin", bot.Reply{Text: text})
	}
	return out, nil
}

// followUps lists, for hr, the people of a confidential round whose
// answers fell below the thresholds or dropped sharply since their
// previous answer, one line each.
func (a *Feature) followUps(tx *store.Tx, r store.SurveyRound) ([]string, error) {
	rounds, err := tx.Surveys().Rounds(r.SurveyID)
	if err != nil {
		return nil, err
	}
	var prev *store.SurveyRound
	for i := range rounds {
		if rounds[i].Period < r.Period && rounds[i].Mode == store.SurveyConfidential {
			prev = &rounds[i]
		}
	}
	var lines []string
	err = tx.Surveys().Responses(r.ID, func(resp store.SurveyResponse) error {
		var reasons []string
		for _, it := range r.Survey.Items {
			v, ok := resp.Scores[it.ID]
			if !ok {
				continue
			}
			if (it.Kind == store.ItemScale1to5 && v <= a.opt.FollowUp.Low) || (it.Kind == store.ItemScale0to10 && v <= a.opt.FollowUp.LowNPS) {
				reasons = append(reasons, fmt.Sprintf("%s=%d", it.ID, v))
			}
		}
		if prev != nil {
			if old, err := tx.Surveys().ConfidentialResponse(prev.ID, resp.UserID); err == nil {
				if d := avg5(r.Survey, old) - avg5(r.Survey, resp); d >= a.opt.FollowUp.Drop {
					reasons = append(reasons, fmt.Sprintf("Δ-%.1f", d))
				}
			}
		}
		if len(reasons) == 0 {
			return nil
		}
		name := fmt.Sprintf("#%d", resp.UserID)
		if u, err := tx.Users().ByID(resp.UserID); err == nil {
			name = handlers.Clean(u.Name)
		}
		lines = append(lines, fmt.Sprintf("・%s（%s）: %s", name, handlers.Clean(resp.Department), strings.Join(reasons, ", ")))
		return nil
	})
	slices.Sort(lines)
	return lines, err
}

// avg5 is the average of a response's 1-5 items (NaN with none).
func avg5(s store.Survey, resp store.SurveyResponse) float64 {
	sum, n := 0, 0
	for _, it := range s.Items {
		if v, ok := resp.Scores[it.ID]; ok && it.Kind == store.ItemScale1to5 {
			sum += v
			n++
		}
	}
	if n == 0 {
		return nan
	}
	return float64(sum) / float64(n)
}

// commentNotes are a closed round's comments for u: organisation-wide,
// shuffled, undated, and only with MinComments respondents or more.
func (a *Feature) commentNotes(tx *store.Tx, u store.User, r store.SurveyRound) ([]string, error) {
	cs, err := comments(tx, r)
	if err != nil || len(cs) == 0 {
		return nil, err
	}
	out := []string{a.T(u, "survey.report.comments", "Count", len(cs), "K", r.MinComments)}
	for _, c := range cs {
		out = append(out, "・"+handlers.Excerpt(handlers.Clean(c), 300))
	}
	return out, nil
}
