package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Actions, batch kind and audit action of sending a survey.
const (
	actionSend       = "survey.send"
	actionSendCancel = "survey.send.cancel"
	batchPrompts     = "survey"
	auditSend        = "survey.send"
)

// surveyByID is the definition of the survey with id: the built-in one
// or an imported one, as stored.
func surveyByID(tx *store.Tx, id string) (store.Survey, error) {
	if id == surveydef.EngagementID {
		return record(surveydef.Engagement()), nil
	}
	s, err := tx.Surveys().ByID(id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Survey{}, bot.Errorf(bot.CodeNotFound, "survey.error.unknown", "Survey", clip(id))
	}
	return s, err
}

// planned is a round about to open: the round, who it asks, and the
// prompt each of them gets.
type planned struct {
	spec    sendSpec // with every default filled in
	round   store.SurveyRound
	invites []store.SurveyInvite
	users   []store.User
}

// plan resolves sp at now in tx: the survey, the audience (people the bot
// can reach on a platform it serves) and the round's settings.
func (a *Feature) plan(tx *store.Tx, sp sendSpec, now time.Time) (planned, error) {
	s, err := surveyByID(tx, sp.survey)
	if err != nil {
		return planned{}, err
	}
	sp = sp.withDefaults(s)
	local := now.In(a.Config.Location)
	deadline := endOfDay(local.AddDate(0, 0, defaultDays))
	if sp.deadline != "" {
		d, _ := time.ParseInLocation(specDateFormat, sp.deadline, a.Config.Location)
		deadline = endOfDay(d)
		if !deadline.After(now) || deadline.Sub(now) > maxDays*24*time.Hour {
			return planned{}, bot.Errorf(bot.CodeInvalid, "survey.error.bad_deadline_range", "Date", sp.deadline, "Max", maxDays)
		}
	}
	p := planned{spec: sp, round: store.SurveyRound{
		SurveyID: s.ID, Period: local.Format("2006-01"), Survey: s, Mode: sp.mode,
		MinGroup: sp.k, MinComments: max(sp.k, defaultKText), Audience: sp.String(), Deadline: deadline,
	}}
	if sp.audience == audDept {
		for i, name := range sp.depts {
			d, err := tx.Departments().ByName(name)
			if errors.Is(err, store.ErrNotFound) {
				return planned{}, bot.Errorf(bot.CodeNotFound, "survey.department.error.not_found", "Name", clip(name))
			}
			if err != nil {
				return planned{}, err
			}
			sp.depts[i] = d.Name
		}
		// The round and its confirmation name departments canonically.
		p.spec, p.round.Audience = sp, sp.String()
	}
	users, err := tx.Users().All()
	if err != nil {
		return planned{}, fmt.Errorf("survey audience: %w", err)
	}
	served := a.ServedPlatforms()
	fy := fiscalYear(local)
	for _, u := range users {
		if u.Deleted || (served != nil && !served[u.Platform]) {
			continue
		}
		dept := a.canonicalDept(tx, u.Department)
		switch sp.audience {
		case audYears:
			if u.JoinYear == 0 || fy-u.JoinYear+1 > sp.years {
				continue
			}
		case audDept:
			if !slices.Contains(sp.depts, dept) {
				continue
			}
		case audRole:
			if sp.role == "mentor" {
				if _, err := tx.Mentors().ByUser(u.ID); err != nil {
					continue
				}
			} else if !u.HasRole(sp.role) {
				continue
			}
		}
		p.users = append(p.users, u)
		p.invites = append(p.invites, store.SurveyInvite{UserID: u.ID, Department: dept, Band: tenureBand(u.JoinYear, local)})
	}
	return p, nil
}

// canonicalDept is the canonical name of a free-text department, or the
// text itself (cleaned) when no department of the list has that name.
func (a *Feature) canonicalDept(tx *store.Tx, name string) string {
	if text.Fold(name) == "" {
		return ""
	}
	if d, err := tx.Departments().ByName(name); err == nil {
		return d.Name
	}
	return handlers.Clean(name)
}

// managedDept is the group key of the department a manager manages, as
// reports name it: the department's name when their ManagerOf is that
// department's own name (granting stores it so); otherwise their
// ManagerOf as it is. A manager of a department merged into another keeps
// a name that is now only an alias of the other, and must not be taken
// for that other's manager: they see their old department's past groups,
// not the department it went into (an admin grants them that one).
func (a *Feature) managedDept(tx *store.Tx, managerOf string) string {
	if text.Fold(managerOf) == "" {
		return ""
	}
	if d, err := tx.Departments().ByName(managerOf); err == nil && text.SameName(d.Name, managerOf) {
		return d.Name
	}
	return handlers.Clean(managerOf)
}

// managedDepts are the group keys of the departments a manager manages
// (managedDept of each of managerOf), without repeats.
func (a *Feature) managedDepts(tx *store.Tx, managerOf []string) []string {
	var out []string
	for _, n := range managerOf {
		if d := a.managedDept(tx, n); d != "" && !slices.ContainsFunc(out, func(o string) bool { return text.SameName(o, d) }) {
			out = append(out, d)
		}
	}
	return out
}

// endOfDay is the last second of t's day.
func endOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 23, 59, 59, 0, t.Location())
}

// open opens the planned round in tx and queues a prompt for everyone it
// asks, as one outbox batch.
func (a *Feature) open(tx *store.Tx, p planned, by uint64) (store.SurveyRound, error) {
	p.round.OpenedBy = by
	r, err := tx.Surveys().OpenRound(p.round, p.invites)
	if err != nil {
		return store.SurveyRound{}, err
	}
	msgs := make([]handlers.Outgoing, 0, len(p.users))
	for _, u := range p.users {
		reply := a.prompt(u, r, "")
		msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(u), Reply: reply, Key: reply.Key})
	}
	if len(msgs) > 0 {
		if _, err := a.EnqueueTx(tx, &store.OutboxBatch{Kind: batchPrompts, CreatedBy: by, Label: r.SurveyID + " " + r.Period}, msgs...); err != nil {
			return store.SurveyRound{}, err
		}
	}
	return r, nil
}

// prompt is the DM asking u to answer r, or reminding them.
// remindOn is the date of a reminder ("2006-01-02"), "" for the prompt
// sent when the round opens; with the round and the person it keys the
// message, so that nothing is sent twice.
func (a *Feature) prompt(u store.User, r store.SurveyRound, remindOn string) bot.Reply {
	lang := a.Lang(u)
	title, key := "survey.prompt.title", "survey:prompt:"
	if remindOn != "" {
		title, key = "survey.remind.title", "survey:remind:"+remindOn+":"
	}
	return bot.Reply{
		Key:   key + strconv.FormatUint(r.ID, 10) + ":" + strconv.FormatUint(u.ID, 10),
		Title: a.T(u, title, "Survey", handlers.Clean(surveydef.Text(r.Survey.Title).In(lang))),
		Text: a.T(u, "survey.prompt.text", "Deadline", r.Deadline.In(a.Config.Location).Format("2006-01-02 15:04"),
			"Mode", a.T(u, "survey.mode."+r.Mode)),
		Buttons: []bot.Button{{ID: actionAnswer, Label: a.T(u, "survey.prompt.button"), Value: strconv.FormatUint(r.ID, 10), Style: bot.StylePrimary}},
	}
}

// sendSurvey answers /soudan survey send: it shows the audience and the
// round's settings with buttons to open the round or cancel.
func (a *Feature) sendSurvey(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	sp, berr := parseSpec(m.Args)
	if berr != nil {
		if berr.Code == bot.CodeUsage {
			return a.UsageError(u, "usage.survey.send")
		}
		return berr
	}
	var p planned
	var exists bool
	err := a.View(func(tx *store.Tx) (err error) {
		if p, err = a.plan(tx, sp, a.Now()); err != nil {
			return err
		}
		_, err = tx.Surveys().RoundFor(p.round.SurveyID, p.round.Period)
		exists = err == nil
		if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if exists {
		return bot.Errorf(bot.CodeConflict, "survey.error.round_exists", "Survey", p.round.SurveyID, "Period", p.round.Period)
	}
	if len(p.users) == 0 {
		return bot.Errorf(bot.CodeInvalid, "survey.error.nobody")
	}
	_, err = r.Reply(ctx, bot.Reply{
		Ephemeral: !m.Direct,
		Title:     a.T(u, "survey.confirm.title", "Survey", handlers.Clean(surveydef.Text(p.round.Survey.Title).In(a.Lang(u))), "Period", p.round.Period),
		Fields:    a.roundFields(u, p.round, len(p.users)),
		Buttons: []bot.Button{
			{ID: actionSend, Label: a.T(u, "survey.confirm.send"), Value: p.spec.String(), Style: bot.StylePrimary},
			{ID: actionSendCancel, Label: a.T(u, "survey.confirm.cancel"), Value: p.spec.String(), Style: bot.StyleDanger},
		},
	})
	return err
}

// roundFields describe a round's settings to u.
func (a *Feature) roundFields(u store.User, r store.SurveyRound, count int) []bot.Field {
	sp, _ := parseSpec(splitSpec(r.Audience))
	return []bot.Field{
		{Label: a.T(u, "survey.field.audience"), Value: a.audienceLabel(u, sp)},
		{Label: a.T(u, "survey.field.count"), Value: a.T(u, "survey.count", "Count", count)},
		{Label: a.T(u, "survey.field.mode"), Value: a.T(u, "survey.mode."+r.Mode)},
		{Label: a.T(u, "survey.field.k"), Value: a.T(u, "survey.k", "K", r.MinGroup, "KText", r.MinComments)},
		{Label: a.T(u, "survey.field.deadline"), Value: r.Deadline.In(a.Config.Location).Format("2006-01-02 15:04")},
	}
}

// audienceLabel says who a spec asks, in u's language.
func (a *Feature) audienceLabel(u store.User, sp sendSpec) string {
	switch sp.audience {
	case audYears:
		return a.T(u, "survey.audience.years", "Years", sp.years)
	case audDept:
		return a.T(u, "survey.audience.dept", "Departments", a.ListText(u, sp.depts, "survey.none"))
	case audRole:
		return a.T(u, "survey.audience.role", "Role", sp.role)
	}
	return a.T(u, "survey.audience.everyone")
}

// confirmSend opens the round an admin confirmed: the round, one prompt
// per person and the audit entry in one commit.
func (a *Feature) confirmSend(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if !u.HasRole(store.RoleAdmin) {
		return bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	sp, berr := parseSpec(splitSpec(m.Action.Value))
	if berr != nil {
		return berr
	}
	var round store.SurveyRound
	err := a.Commit(ctx, func(tx *store.Tx) error {
		p, err := a.plan(tx, sp, a.Now())
		if err != nil {
			return err
		}
		if len(p.users) == 0 {
			return bot.Errorf(bot.CodeInvalid, "survey.error.nobody")
		}
		if round, err = a.open(tx, p, u.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditSend, fmt.Sprintf("round %d: %s %s, %d invited", round.ID, round.SurveyID, round.Period, round.Invited))
	})
	if errors.Is(err, store.ErrRoundExists) {
		return bot.Errorf(bot.CodeConflict, "survey.error.round_exists", "Survey", sp.survey, "Period", a.Now().In(a.Config.Location).Format("2006-01"))
	}
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.sent", "ID", round.ID, "Count", round.Invited, "Period", round.Period)})
	return err
}

// cancelSend drops a survey send the admin did not confirm.
func (a *Feature) cancelSend(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.send_cancelled")})
	return err
}

// splitSpec splits a spec's String form into arguments.
func splitSpec(s string) []string { return strings.Split(s, specSep) }
