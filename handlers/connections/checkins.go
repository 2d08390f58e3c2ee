package connections

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
	"github.com/soudan/soudan/store"
)

// answers are the check-in buttons' answers, in the order shown.
var answers = []string{store.AnswerMet, store.AnswerPlanned, store.AnswerMissed}

// sendDueCheckins sends, for the latest open round of every programme,
// the check-in stages whose day has come.
func (a *Feature) sendDueCheckins(ctx context.Context, now time.Time) error {
	today := now.In(a.Config.Location).Format(dateFormat)
	progs, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.ConnProgramme, error) { return tx.Connections().Programmes() })
	if err != nil {
		return fmt.Errorf("check-ins: %w", err)
	}
	for _, p := range progs {
		for _, stage := range []string{checkinMid, checkinEnd} {
			if _, err := a.sendCheckin(ctx, p.ID, stage, today); err != nil {
				return fmt.Errorf("check-ins of %s: %w", p.Name, err)
			}
		}
	}
	return nil
}

// sendCheckin sends the stage's check-in of p's latest round to every
// member of its groups, if the round is open, the stage not sent yet and
// its day (dueBy "2006-01-02"; "" for now) has come. The stage is marked
// sent in the commit that queues the messages, each keyed by the round,
// the stage and the person, so a second call sends nothing. It reports
// whether it sent.
func (a *Feature) sendCheckin(ctx context.Context, programme uint64, stage, dueBy string) (bool, error) {
	sent := false
	err := a.Commit(ctx, func(tx *store.Tx) error {
		sent = false
		c := tx.Connections()
		p, err := c.Programme(programme)
		if err != nil {
			return err
		}
		rs, err := c.Rounds(programme, 1)
		if err != nil || len(rs) == 0 {
			return err
		}
		rd := rs[0]
		due := rd.MidOn
		if stage == checkinEnd {
			due = rd.EndOn
		}
		if rd.Closed || rd.Sent(stage) || (dueBy != "" && dueBy < due) {
			return nil
		}
		if _, err := c.UpdateRound(rd.ID, func(r *store.ConnRound) error { r.Checkins = append(r.Checkins, stage); return nil }); err != nil {
			return err
		}
		ps := newPeople(tx)
		var msgs []handlers.Outgoing
		for _, g := range rd.Groups {
			var names []string
			for _, id := range g.Members {
				if x, err := ps.user(id); err == nil {
					names = append(names, x.Name)
				}
			}
			for _, id := range g.Members {
				x, err := ps.user(id)
				if err != nil {
					return err
				}
				rep := a.checkinMessage(x, p, rd, stage, names)
				msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
			}
		}
		sent = true
		_, err = a.EnqueueTx(tx, nil, msgs...)
		return err
	})
	return sent, err
}

// checkinMessage asks x whether their group of rd met, with the three
// answers as buttons.
func (a *Feature) checkinMessage(x store.User, p store.ConnProgramme, rd store.ConnRound, stage string, names []string) bot.Reply {
	var others []string
	for _, n := range names {
		if n != x.Name {
			others = append(others, n)
		}
	}
	rep := bot.Reply{
		Key:  fmt.Sprintf("conn:checkin:%d:%s:%d", rd.ID, stage, x.ID),
		Text: a.T(x, "conn.checkin."+stage, "Name", p.Name, "Round", rd.Number, "Names", a.ListText(x, others, "conn.none")),
	}
	for _, ans := range answers {
		style := ""
		if ans == store.AnswerMet {
			style = bot.StylePrimary
		}
		rep.Buttons = append(rep.Buttons, bot.Button{ID: actionCheckin, Label: a.T(x, "conn.answer."+ans), Value: strconv.FormatUint(rd.ID, 10) + ":" + ans, Style: style})
	}
	return rep
}

// checkinNow answers /soudan admin coffee checkin NAME: the next check-in
// stage of the programme's latest round goes out now, whatever its day.
func (a *Feature) checkinNow(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	p, err := a.programmeArg(u, m, "usage.admin.coffee.checkin")
	if err != nil {
		return err
	}
	var stage string
	for _, st := range []string{checkinMid, checkinEnd} {
		sent, err := a.sendCheckin(ctx, p.ID, st, "")
		if err != nil {
			return fmt.Errorf("check-in %s: %w", p.Name, err)
		}
		if sent {
			stage = st
			break
		}
	}
	key := "conn.checkin.sent." + stage
	if stage == "" {
		key = "conn.checkin.nothing"
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key, "Name", p.Name)})
	return err
}

// answerCheckin is a check-in button: the answer is recorded in the
// presser's group (a later answer replaces an earlier one) and their run
// of ignored check-ins ends.
func (a *Feature) answerCheckin(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	idText, ans, _ := strings.Cut(m.Action.Value, ":")
	id, err := strconv.ParseUint(idText, 10, 64)
	if err != nil || !slices.Contains(answers, ans) {
		return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
	}
	uid := u.ID
	err = a.Commit(ctx, func(tx *store.Tx) error {
		c := tx.Connections()
		_, in, err := c.AnswerCheckin(id, uid, ans)
		if err != nil {
			return err
		}
		if !in {
			return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
		}
		_, err = c.UpdateMember(uid, func(mem *store.ConnMember) error { mem.Ignored = 0; return nil })
		return err
	})
	if err != nil {
		return staleAction(err, "check-in answer")
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.checkin.thanks."+ans)})
	return err
}

// closeRounds closes p's open rounds as its next round begins: every
// group member who answered no check-in has one more ignored round, and
// whoever reaches store.IgnoreLimit in a row is paused, with a DM that
// says so and resumes in one click. It returns those DMs, to queue in
// the same commit.
func (a *Feature) closeRounds(tx *store.Tx, p store.ConnProgramme) ([]handlers.Outgoing, error) {
	c := tx.Connections()
	rs, err := c.Rounds(p.ID, 1) // every earlier round was closed when the one after it began
	if err != nil {
		return nil, err
	}
	ps := newPeople(tx)
	var msgs []handlers.Outgoing
	for _, rd := range rs {
		if rd.Closed {
			continue
		}
		for _, g := range rd.Groups {
			for _, id := range g.Members {
				if g.Answer(id) != "" {
					continue
				}
				mem, err := c.UpdateMember(id, func(mem *store.ConnMember) error {
					mem.Ignored++
					if mem.Ignored < store.IgnoreLimit || mem.AutoPaused {
						return nil
					}
					mem.AutoPaused = true
					return nil
				})
				if errors.Is(err, store.ErrNotFound) {
					continue // a user record gone: nothing to count
				}
				if err != nil {
					return nil, err
				}
				if mem.AutoPaused && mem.Ignored == store.IgnoreLimit {
					x, err := ps.user(id)
					if err != nil {
						return nil, err
					}
					rep := bot.Reply{
						Key:     fmt.Sprintf("conn:paused:%d:%d", rd.ID, id),
						Text:    a.T(x, "conn.auto_paused", "N", store.IgnoreLimit),
						Buttons: []bot.Button{{ID: actionResume, Label: a.T(x, "conn.resume.button"), Value: "1", Style: bot.StylePrimary}},
					}
					msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
				}
			}
		}
		if _, err := c.UpdateRound(rd.ID, func(r *store.ConnRound) error { r.Closed = true; return nil }); err != nil {
			return nil, err
		}
	}
	return msgs, nil
}

// staleAction is the error of a button's action that failed: the app
// error it carries as is, a record that is gone (the button outlived its
// round or term) as "this button is out of date", anything else wrapped
// with what the action was doing.
func staleAction(err error, doing string) error {
	var be *bot.Error
	switch {
	case errors.As(err, &be):
		return be
	case errors.Is(err, store.ErrNotFound):
		return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
	}
	return fmt.Errorf("%s: %w", doing, err)
}
