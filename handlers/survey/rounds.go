package survey

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
)

// Options configure the survey feature. The kit's Calendar decides on
// which days reminders go out and which is the first business day of a
// month.
type Options struct {
	// Scheduled are the surveys opened on their own on the first
	// business day of every month (with their default audience).
	Scheduled []string
	// RemindEvery is how many business days apart reminders go to those
	// who have not answered; 0 means 3.
	RemindEvery int
	// FollowUp are the thresholds of hr's follow-up list; zero means
	// DefaultFollowUp.
	FollowUp FollowUp
	// Links, when set, give the reports sent when a round closes a button
	// to the recipient's report page (cmd passes the web pages' links).
	Links ReportLinks
}

// ReportLinks make buttons to a round's report page for a person; ok is
// false when the pages are not served.
type ReportLinks interface {
	SurveyButton(u store.User, round uint64) (bot.Button, bool)
}

// Jobs are the survey jobs: opening scheduled rounds and reminding
// non-respondents each morning, and closing rounds past their deadline.
func (a *Feature) Jobs() []handlers.Job {
	return []handlers.Job{
		{Name: "survey:daily", Spec: "0 10 * * *", Period: handlers.Daily, Run: a.Daily},
		{Name: "survey:close", Spec: "*/15 * * * *", Run: a.CloseDue},
	}
}

// Daily opens the scheduled surveys' rounds on the first business day of
// a month and reminds the non-respondents of open rounds every
// RemindEvery business days. Run again on one day it changes nothing.
func (a *Feature) Daily(ctx context.Context, now time.Time) error {
	local := now.In(a.Config.Location)
	work, err := a.Calendar.IsWorkday(local)
	if err != nil || !work {
		return err
	}
	if first, err := a.firstWorkday(local); err != nil {
		return err
	} else if first {
		for _, id := range a.opt.Scheduled {
			if err := a.openScheduled(ctx, id, now); err != nil {
				a.Log.Error("survey: open the scheduled round", "survey", id, "err", err)
			}
		}
	}
	return a.remind(ctx, now)
}

// firstWorkday reports whether t is the first working day of its month.
func (a *Feature) firstWorkday(t time.Time) (bool, error) {
	for d := time.Date(t.Year(), t.Month(), 1, 12, 0, 0, 0, t.Location()); d.Day() < t.Day(); d = d.AddDate(0, 0, 1) {
		work, err := a.Calendar.IsWorkday(d)
		if err != nil || work {
			return false, err
		}
	}
	return true, nil
}

// openScheduled opens this period's round of a scheduled survey, unless
// it has one.
func (a *Feature) openScheduled(ctx context.Context, id string, now time.Time) error {
	err := a.Commit(ctx, func(tx *store.Tx) error {
		p, err := a.plan(tx, sendSpec{survey: id}, now)
		if err != nil {
			return err
		}
		if len(p.users) == 0 {
			return nil
		}
		r, err := a.open(tx, p, 0)
		if err != nil {
			return err
		}
		return handlers.AuditTx(tx, store.User{}, auditSend, fmt.Sprintf("round %d: %s %s, %d invited (schedule)", r.ID, r.SurveyID, r.Period, r.Invited))
	})
	if errors.Is(err, store.ErrRoundExists) {
		return nil
	}
	return err
}

// remind sends the reminders due today: to each open round's invitees
// who have not answered, on every RemindEvery-th business day after it
// opened, before its deadline. Nobody is named anywhere but in their own
// DM.
func (a *Feature) remind(ctx context.Context, now time.Time) error {
	var rounds []store.SurveyRound
	if err := a.View(func(tx *store.Tx) (err error) { rounds, err = tx.Surveys().OpenRounds(); return err }); err != nil {
		return fmt.Errorf("survey reminders: %w", err)
	}
	local := now.In(a.Config.Location)
	today := local.Format(specDateFormat)
	for _, r := range rounds {
		if !now.Before(r.Deadline) {
			continue
		}
		n, err := a.workdaysSince(r.OpenedAt.In(a.Config.Location), local)
		if err != nil {
			return err
		}
		if n == 0 || n%a.opt.RemindEvery != 0 {
			continue
		}
		err = a.Commit(ctx, func(tx *store.Tx) error {
			first, err := tx.Surveys().MarkReminded(r.ID, today)
			if err != nil || !first {
				return err
			}
			var msgs []handlers.Outgoing
			err = tx.Surveys().Invites(r.ID, func(in store.SurveyInvite) error {
				if in.Responded {
					return nil
				}
				u, err := tx.Users().ByID(in.UserID)
				if errors.Is(err, store.ErrNotFound) {
					return nil
				}
				if err != nil {
					return err
				}
				reply := a.prompt(u, r, today)
				msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(u), Reply: reply, Key: reply.Key})
				return nil
			})
			if err != nil || len(msgs) == 0 {
				return err
			}
			_, err = a.EnqueueTx(tx, &store.OutboxBatch{Kind: batchPrompts, Label: r.SurveyID + " " + r.Period + " reminder " + today}, msgs...)
			return err
		})
		if err != nil {
			return fmt.Errorf("survey reminders of round %d: %w", r.ID, err)
		}
	}
	return nil
}

// workdaysSince counts the working days after from's day up to and
// including to's day.
func (a *Feature) workdaysSince(from, to time.Time) (int, error) {
	n := 0
	start := time.Date(from.Year(), from.Month(), from.Day(), 12, 0, 0, 0, to.Location()).AddDate(0, 0, 1)
	end := time.Date(to.Year(), to.Month(), to.Day(), 12, 0, 0, 0, to.Location())
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		work, err := a.Calendar.IsWorkday(d)
		if err != nil {
			return 0, err
		}
		if work {
			n++
		}
	}
	return n, nil
}

// CloseDue closes the open rounds whose deadline has passed.
func (a *Feature) CloseDue(ctx context.Context, now time.Time) error {
	var rounds []store.SurveyRound
	if err := a.View(func(tx *store.Tx) (err error) { rounds, err = tx.Surveys().OpenRounds(); return err }); err != nil {
		return fmt.Errorf("close survey rounds: %w", err)
	}
	for _, r := range rounds {
		if now.Before(r.Deadline) {
			continue
		}
		if _, _, err := a.closeRound(ctx, r.ID, store.User{}); err != nil {
			return err
		}
	}
	return nil
}

// closeRound closes a round and queues its reports (managers, hr,
// admins) in the same commit. It reports false for a round already
// closed, and the organisation's figures (counts only when shown).
func (a *Feature) closeRound(ctx context.Context, id uint64, by store.User) (bool, figures.GroupFigures, error) {
	var closed bool
	var org figures.GroupFigures
	err := a.Commit(ctx, func(tx *store.Tx) error {
		r, ok, err := tx.Surveys().CloseRound(id, Release)
		if err != nil || !ok {
			closed = false
			return err
		}
		closed = true
		rel, err := release(tx, r)
		if err != nil {
			return err
		}
		org = rel.Figures(nil, "").Org
		msgs, err := a.closingReports(tx, r)
		if err != nil {
			return err
		}
		if len(msgs) > 0 {
			if _, err := a.EnqueueTx(tx, &store.OutboxBatch{Kind: batchReports, Label: r.SurveyID + " " + r.Period + " reports"}, msgs...); err != nil {
				return err
			}
		}
		return handlers.AuditTx(tx, by, auditClose, closeAudit(r, org))
	})
	if err != nil {
		return false, figures.GroupFigures{}, fmt.Errorf("close survey round %d: %w", id, err)
	}
	return closed, org, nil
}

// closeAudit is the audit entry of a closed round: the counts only when
// the organisation's may be shown.
func closeAudit(r store.SurveyRound, org figures.GroupFigures) string {
	if !org.Shown {
		return fmt.Sprintf("round %d: %s %s, fewer than %d answered", r.ID, r.SurveyID, r.Period, r.MinGroup)
	}
	return fmt.Sprintf("round %d: %s %s, %d of %d answered", r.ID, r.SurveyID, r.Period, org.N, org.Invited)
}
