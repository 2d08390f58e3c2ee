package connections

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/connections/pairing"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Reasons a person in a programme's audience sits a round out by their own
// choice; the matcher's reasons (odd, no_partner, too_few) come on top.
const (
	sitOutPaused  = "paused"
	sitOutSkipped = "skipped"
)

// errNobody is a round with nobody to group: nothing is stored.
var errNobody = errors.New("connections: nobody takes part")

// planned is a round worked out but not stored: the matcher's input and
// result, and who sat out by their own choice.
type planned struct {
	prog    store.ConnProgramme
	period  string
	in      pairing.Input
	res     pairing.Result
	sitOut  []store.ConnLeftOut // paused or skipping
	ps      *people
	members map[uint64]store.ConnMember
}

// plan works out p's round of the period now falls in, in tx: the
// audience, who sits out, the matcher's input (profiles, the programme's
// history, the confidential lists, a seed of the programme and period)
// and its groups. The same store and period give the same plan, so a
// preview shows what run will form.
func (a *Feature) plan(tx *store.Tx, p store.ConnProgramme, now time.Time) (planned, error) {
	local := now.In(a.Config.Location)
	pl := planned{prog: p, period: periodOf(p.Cadence, local), ps: newPeople(tx), members: map[uint64]store.ConnMember{}}
	c := tx.Connections()
	ms, err := c.Members()
	if err != nil {
		return pl, err
	}
	for _, m := range ms {
		pl.members[m.UserID] = m
	}
	users, err := pl.ps.all()
	if err != nil {
		return pl, err
	}
	today := local.Format(dateFormat)
	served := a.ServedPlatforms()
	avoid := map[pairing.ID][]pairing.ID{}
	for _, u := range users {
		mem := pl.members[u.ID]
		if u.Deleted || (served != nil && !served[u.Platform]) || !a.inAudience(pl.ps, p, u, mem) {
			continue
		}
		switch {
		case mem.Paused(today):
			pl.sitOut = append(pl.sitOut, store.ConnLeftOut{UserID: u.ID, Reason: sitOutPaused})
			continue
		case mem.Skip:
			pl.sitOut = append(pl.sitOut, store.ConnLeftOut{UserID: u.ID, Reason: sitOutSkipped})
			continue
		}
		pl.in.People = append(pl.in.People, a.person(pl.ps, u))
		for _, o := range mem.Avoid {
			avoid[pairing.ID(idText(u.ID))] = append(avoid[pairing.ID(idText(u.ID))], pairing.ID(idText(o)))
		}
	}
	rounds, err := c.Rounds(p.ID, historyRounds)
	if err != nil {
		return pl, err
	}
	for _, r := range rounds {
		for _, g := range r.Groups {
			pg := pairing.PastGroup{Round: r.Number, Met: g.Met()}
			for _, id := range g.Members {
				pg.Members = append(pg.Members, pairing.ID(idText(id)))
			}
			pl.in.History.Groups = append(pl.in.History.Groups, pg)
		}
	}
	pl.in.Rules = pairing.Rules{Size: pairing.Size(p.Size), AllowThree: p.AllowThree, CrossDepartment: p.CrossDepartment,
		SeniorYears: p.SeniorYears, Cooldown: p.Cooldown, Avoid: avoid}
	pl.in.Round, pl.in.Year, pl.in.Seed = p.Rounds+1, local.Year(), seedOf(p.ID, pl.period)
	if pl.res, err = pairing.Pair(pl.in); err != nil {
		return pl, fmt.Errorf("form groups: %w", err)
	}
	return pl, nil
}

// inAudience reports whether u is among the people p groups: not left,
// joined when p is opt-in, in one of p's departments and join years when
// it names them.
func (a *Feature) inAudience(ps *people, p store.ConnProgramme, u store.User, mem store.ConnMember) bool {
	if mem.Left || (p.OptIn && !mem.Joined) {
		return false
	}
	if len(p.Departments) > 0 {
		d := ps.dept(u.Department)
		if !slices.ContainsFunc(p.Departments, func(x string) bool { return d != "" && text.SameName(x, d) }) {
			return false
		}
	}
	if (p.JoinFrom != 0 || p.JoinTo != 0) && u.JoinYear == 0 {
		return false
	}
	return (p.JoinFrom == 0 || u.JoinYear >= p.JoinFrom) && (p.JoinTo == 0 || u.JoinYear <= p.JoinTo)
}

// person is u as the matcher sees them: the profile of /soudan profile
// and, for a mentor, their topics.
func (a *Feature) person(ps *people, u store.User) pairing.Person {
	pp := pairing.Person{ID: pairing.ID(idText(u.ID)), Department: ps.dept(u.Department), JoinYear: u.JoinYear, Posting: u.Posting,
		Languages: []string{a.Lang(u)}}
	if mt, ok := ps.mentor(u.ID); ok {
		pp.Topics = ps.topicNames(mt.Topics)
		if pp.Posting == "" {
			pp.Posting = mt.Posting
		}
	}
	return pp
}

// userID reads a matcher id back.
func userID(id pairing.ID) uint64 {
	n, _ := strconv.ParseUint(string(id), 10, 64)
	return n
}

// run answers /soudan admin coffee run NAME: the round of this period is
// formed and everyone told (mentor programmes propose terms instead).
func (a *Feature) run(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	p, err := a.programmeArg(u, m, "usage.admin.coffee.run")
	if err != nil {
		return err
	}
	if p.Kind == store.ConnMentor {
		return a.proposeTerms(ctx, m, r, p)
	}
	rd, pl, err := a.form(ctx, p.ID, a.Now(), u)
	if errors.Is(err, store.ErrConnRoundExists) {
		return bot.Errorf(bot.CodeConflict, "conn.error.round_exists", "Name", p.Name, "Period", periodOf(p.Cadence, a.Now().In(a.Config.Location)))
	}
	if errors.Is(err, errNobody) {
		return bot.Errorf(bot.CodeInvalid, "conn.error.nobody", "Name", p.Name)
	}
	if err != nil {
		return err
	}
	var details string
	err = a.View(func(tx *store.Tx) error {
		pl.ps.tx = tx // the commit's transaction is over: read names in a new one
		details = a.describe(u, pl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("run %s: %w", p.Name, err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.run.done", "Name", p.Name, "Round", rd.Number, "Groups", len(rd.Groups),
		"People", len(pl.in.People), "LeftOut", len(rd.LeftOut)) + "\n" + details})
	return err
}

// form forms p's round of now's period in one commit: the previous round
// is closed (ignored check-ins counted, three in a row pause a member),
// the new round stored with its groups and the people left out, skips
// used up, and the introductions and left-out notices queued in the
// outbox under keys naming the round and the person. by is the admin who
// ran it, the zero user for the schedule. A second call in the period
// fails with store.ErrConnRoundExists: no group is formed twice, and
// nothing is queued twice.
func (a *Feature) form(ctx context.Context, programme uint64, now time.Time, by store.User) (store.ConnRound, planned, error) {
	var rd store.ConnRound
	var pl planned
	local := now.In(a.Config.Location)
	err := a.Commit(ctx, func(tx *store.Tx) error {
		c := tx.Connections()
		p, err := c.Programme(programme)
		if err != nil {
			return err
		}
		period := periodOf(p.Cadence, local)
		if _, err := c.RoundFor(p.ID, period); err == nil {
			return store.ErrConnRoundExists
		}
		var msgs []handlers.Outgoing
		if msgs, err = a.closeRounds(tx, p); err != nil {
			return err
		}
		if p, err = c.Programme(programme); err != nil {
			return err
		}
		if pl, err = a.plan(tx, p, now); err != nil {
			return err
		}
		if len(pl.in.People) == 0 {
			// Nobody to group: the period stays open, so people who
			// join later in it are grouped by the next run.
			return errNobody
		}
		// The calendar's closed days are read through tx: the calendar's
		// own read would be a transaction nested in this one.
		cal, err := a.CalendarIn(tx)
		if err != nil {
			return err
		}
		midDays, endDays := checkinDays(p.Cadence)
		mid, err := addWorkdays(cal, local, midDays)
		if err != nil {
			return err
		}
		end, err := addWorkdays(cal, local, endDays)
		if err != nil {
			return err
		}
		rd = store.ConnRound{ProgrammeID: p.ID, Period: pl.period, Quarter: quarterOf(local), Seed: pl.in.Seed,
			MidOn: mid.Format(dateFormat), EndOn: end.Format(dateFormat), CreatedBy: by.ID}
		for _, g := range pl.res.Groups {
			var ids []uint64
			for _, id := range g.Members {
				ids = append(ids, userID(id))
			}
			rd.Groups = append(rd.Groups, store.ConnGroup{Members: ids})
		}
		for _, lo := range pl.res.LeftOut {
			rd.LeftOut = append(rd.LeftOut, store.ConnLeftOut{UserID: userID(lo.ID), Reason: string(lo.Reason)})
		}
		rd.LeftOut = append(rd.LeftOut, pl.sitOut...)
		for _, rx := range pl.res.Relaxed {
			rd.Relaxed = append(rd.Relaxed, store.ConnRelaxed{UserID: userID(rx.ID), Relaxation: int(rx.Relaxation)})
		}
		if rd, err = c.AddRound(rd); err != nil {
			return err
		}
		for _, so := range pl.sitOut {
			if so.Reason != sitOutSkipped {
				continue
			}
			if _, err := c.UpdateMember(so.UserID, func(m *store.ConnMember) error { m.Skip = false; return nil }); err != nil {
				return err
			}
		}
		intro, err := a.introductions(cal, pl, rd, local)
		if err != nil {
			return err
		}
		msgs = append(msgs, intro...)
		if len(msgs) > 0 {
			if _, err := a.EnqueueTx(tx, nil, msgs...); err != nil {
				return err
			}
		}
		return handlers.AuditTx(tx, by, auditRun, fmt.Sprintf("#%d %s round %d (%s): %d groups, %d left out", p.ID, p.Name, rd.Number, rd.Period, len(rd.Groups), len(rd.LeftOut)))
	})
	return rd, pl, err
}

// runScheduled forms, on a business day, the round of every programme
// with Auto whose current period has none, unless the programme was
// created after the period began (its first scheduled round waits for a
// period of its own, so an admin can preview first).
func (a *Feature) runScheduled(ctx context.Context, now time.Time) error {
	local := now.In(a.Config.Location)
	work, err := a.Calendar.IsWorkday(local)
	if err != nil || !work {
		return err
	}
	progs, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.ConnProgramme, error) { return tx.Connections().Programmes() })
	if err != nil {
		return fmt.Errorf("scheduled rounds: %w", err)
	}
	for _, p := range progs {
		if !p.Auto || p.Kind == store.ConnMentor || p.CreatedAt.After(periodStart(p.Cadence, local)) {
			continue
		}
		if _, _, err := a.form(ctx, p.ID, now, store.User{}); err != nil && !errors.Is(err, store.ErrConnRoundExists) && !errors.Is(err, errNobody) {
			a.Log.Error("connections: scheduled round", "programme", p.ID, "err", err)
		}
	}
	return nil
}
