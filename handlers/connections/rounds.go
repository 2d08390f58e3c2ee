package connections

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
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

// seedOf is the seed of a programme's round in a period: the same preview
// and run, different rounds.
func seedOf(programme uint64, period string) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%s", programme, period)
	return h.Sum64()
}

// userID reads a matcher id back.
func userID(id pairing.ID) uint64 {
	n, _ := strconv.ParseUint(string(id), 10, 64)
	return n
}

// periodOf is the period of cadence that t (local) falls in: "2026-W49",
// "2026-F25" (ISO weeks paired: 49 and 50 are F25), or "2026-12".
func periodOf(cadence string, t time.Time) string {
	y, w := t.ISOWeek()
	switch cadence {
	case cadenceWeekly:
		return fmt.Sprintf("%d-W%02d", y, w)
	case cadenceFortnightly:
		return fmt.Sprintf("%d-F%02d", y, (w+1)/2)
	}
	return t.Format("2006-01")
}

// periodStart is the first day of t's period of cadence (local midnight).
func periodStart(cadence string, t time.Time) time.Time {
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
	switch cadence {
	case cadenceWeekly, cadenceFortnightly:
		day = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // back to Monday
		if _, w := day.ISOWeek(); cadence == cadenceFortnightly && w%2 == 0 {
			day = day.AddDate(0, 0, -7)
		}
		return day
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// quarterOf is t's calendar quarter, "2026-Q4".
func quarterOf(t time.Time) string {
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// checkinDays are the business days after a round's start when the
// midway and the final check-ins are due, by cadence.
func checkinDays(cadence string) (mid, end int) {
	switch cadence {
	case cadenceWeekly:
		return 2, 4
	case cadenceFortnightly:
		return 5, 9
	}
	return 10, 18
}

// addWorkdays is the day n business days after t (the kit's calendar:
// weekends, Japan's holidays and the admins' closed days do not count).
func (a *Feature) addWorkdays(t time.Time, n int) (time.Time, error) {
	d := t
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		work, err := a.Calendar.IsWorkday(d)
		if err != nil {
			return t, err
		}
		if work {
			i++
		}
	}
	return d, nil
}

// preview answers /soudan admin coffee preview NAME: the groups the next
// run would form and why, the rules each kept, who sits out and why;
// nothing is saved or sent.
func (a *Feature) preview(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	p, err := a.programmeArg(u, m, "usage.admin.coffee.preview")
	if err != nil {
		return err
	}
	if p.Kind == store.ConnMentor {
		return a.previewTerms(ctx, m, r, p)
	}
	var text string
	err = a.View(func(tx *store.Tx) error {
		pl, err := a.plan(tx, p, a.Now())
		if err != nil {
			return err
		}
		text = a.T(u, "conn.preview.title", "Name", p.Name, "Round", pl.in.Round, "Period", pl.period) + "\n" + a.describe(u, pl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("preview %s: %w", p.Name, err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// describe is a plan in words for an admin: each group with its members'
// one-line profiles, what made it and the rules it kept; the relaxations;
// who is left out and why; the rules over the round. The confidential
// lists are reported as one line that holds whatever they say, so no
// preview tells that anyone asked not to meet anyone.
func (a *Feature) describe(u store.User, pl planned) string {
	var b strings.Builder
	name := func(id pairing.ID) string {
		if x, err := pl.ps.user(userID(id)); err == nil {
			return handlers.Clean(x.Name)
		}
		return string(id)
	}
	if len(pl.res.Groups) == 0 {
		b.WriteString(a.T(u, "conn.preview.no_groups") + "\n")
	}
	for i, g := range pl.res.Groups {
		var who []string
		for _, id := range g.Members {
			x, _ := pl.ps.user(userID(id))
			who = append(who, name(id)+a.T(u, "conn.paren", "Text", a.profileLine(u, pl.ps, x)))
		}
		fmt.Fprintf(&b, "%d. %s\n", i+1, strings.Join(who, " × "))
		var why []string
		for _, rs := range groupReasons(g.Reasons) {
			why = append(why, a.T(u, "conn.reason."+string(rs.Code), "Rounds", rs.Rounds, "Years", rs.Years, "Count", rs.Count))
		}
		if len(why) > 0 {
			b.WriteString("   " + a.T(u, "conn.preview.why", "Reasons", strings.Join(why, a.T(u, "people.list_sep"))) + "\n")
		}
		var checks []string
		for _, c := range g.Checks {
			if c.Rule == pairing.RuleAvoid {
				continue
			}
			mark := "✓"
			switch {
			case c.Relaxed:
				mark = a.T(u, "conn.check.relaxed")
			case !c.Met:
				mark = "✗"
			}
			checks = append(checks, a.T(u, "conn.rule."+string(c.Rule))+" "+mark)
		}
		if len(checks) > 0 {
			b.WriteString("   " + a.T(u, "conn.preview.rules", "Checks", strings.Join(checks, a.T(u, "people.list_sep"))) + "\n")
		}
	}
	for _, rx := range pl.res.Relaxed {
		b.WriteString(a.T(u, "conn.preview.relaxed", "Name", name(rx.ID), "How", a.T(u, fmt.Sprintf("conn.relax.%d", rx.Relaxation))) + "\n")
	}
	for _, lo := range pl.res.LeftOut {
		b.WriteString(a.T(u, "conn.preview.left_out", "Name", name(lo.ID), "Reason", a.T(u, "conn.left_reason."+string(lo.Reason))) + "\n")
	}
	for _, so := range pl.sitOut {
		b.WriteString(a.T(u, "conn.preview.sit_out", "Name", name(pairing.ID(idText(so.UserID))), "Reason", a.T(u, "conn.left_reason."+so.Reason)) + "\n")
	}
	for _, rr := range pl.res.Report {
		if rr.Rule == pairing.RuleAvoid {
			continue
		}
		b.WriteString(a.T(u, "conn.preview.report", "Rule", a.T(u, "conn.rule."+string(rr.Rule)), "Met", rr.Met, "Relaxed", rr.Relaxed, "Unmet", rr.Unmet) + "\n")
	}
	b.WriteString(a.T(u, "conn.preview.confidential"))
	return b.String()
}

// profileLine is x's one-line profile as viewer reads it: department,
// join year, posting, language, topics; what is not filled in is left
// out.
func (a *Feature) profileLine(viewer store.User, ps *people, x store.User) string {
	var parts []string
	if d := ps.dept(x.Department); d != "" {
		parts = append(parts, d)
	}
	if x.JoinYear != 0 {
		parts = append(parts, a.T(viewer, "conn.joined_year", "Year", x.JoinYear))
	}
	posting := x.Posting
	mt, isMentor := ps.mentor(x.ID)
	if posting == "" && isMentor {
		posting = mt.Posting
	}
	switch posting {
	case store.PostingHQ, store.PostingOverseas, store.PostingOther:
		parts = append(parts, a.T(viewer, "people.posting."+posting+".short"))
	}
	if a.Lang(x) == "en" {
		parts = append(parts, "English")
	} else {
		parts = append(parts, "日本語")
	}
	if isMentor {
		if ts := ps.topicNames(mt.Topics); len(ts) > 0 {
			parts = append(parts, a.T(viewer, "conn.topics", "Topics", strings.Join(ts, a.T(viewer, "people.list_sep"))))
		}
	}
	return handlers.Clean(strings.Join(parts, " · "))
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
		midDays, endDays := checkinDays(p.Cadence)
		mid, err := a.addWorkdays(local, midDays)
		if err != nil {
			return err
		}
		end, err := a.addWorkdays(local, endDays)
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
		intro, err := a.introductions(pl, rd, local)
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

// introductions are, for each group of rd, one group DM where the
// platform opens one (groupAddress), else one DM per member, naming the
// others with their one-line profiles and suggesting times; and a DM to
// everyone the matcher left out saying why (nobody is left out
// silently; those who paused or skipped chose it). Each is keyed by the
// round and the person, or the round and the group.
func (a *Feature) introductions(pl planned, rd store.ConnRound, local time.Time) ([]handlers.Outgoing, error) {
	var msgs []handlers.Outgoing
	for gi, g := range rd.Groups {
		var members []store.User
		for _, id := range g.Members {
			x, err := pl.ps.user(id)
			if err != nil {
				return nil, err
			}
			members = append(members, x)
		}
		slots, err := a.suggestTimes(local, members)
		if err != nil {
			return nil, err
		}
		if to, ok := a.groupAddress(members); ok {
			msgs = append(msgs, a.groupIntroduction(pl, rd, gi, members, slots, to))
			continue
		}
		for _, x := range members {
			var lines []string
			for _, o := range members {
				if o.ID != x.ID {
					lines = append(lines, "・"+handlers.Clean(o.Name)+a.T(x, "conn.paren", "Text", a.profileLine(x, pl.ps, o)))
				}
			}
			rep := bot.Reply{
				Key:   fmt.Sprintf("conn:intro:%d:%d", rd.ID, x.ID),
				Title: a.T(x, "conn.intro.title", "Name", pl.prog.Name, "Round", rd.Number),
				Text: a.T(x, "conn.intro.text", "Others", strings.Join(lines, "\n"), "Times", a.slotText(x, slots),
					"Mid", rd.MidOn, "End", rd.EndOn),
			}
			msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
		}
	}
	for _, lo := range rd.LeftOut {
		if lo.Reason == sitOutPaused || lo.Reason == sitOutSkipped {
			continue
		}
		x, err := pl.ps.user(lo.UserID)
		if err != nil {
			return nil, err
		}
		rep := bot.Reply{
			Key:  fmt.Sprintf("conn:left:%d:%d", rd.ID, x.ID),
			Text: a.T(x, "conn.left.text", "Name", pl.prog.Name, "Reason", a.T(x, "conn.left_reason."+lo.Reason)),
		}
		msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
	}
	return msgs, nil
}

// groupAddress is the group DM of members when one message can
// introduce them all: two or more people, all on one platform and
// workspace whose sender opens group conversations (bot.GroupOpener:
// Slack), all of one language (the message is written in one). The users
// are sorted, so the same people make the same address.
func (a *Feature) groupAddress(members []store.User) (bot.Address, bool) {
	if len(members) < 2 {
		return bot.Address{}, false
	}
	first := members[0]
	var users []string
	for _, x := range members {
		if x.PlatformID == "" || x.Platform != first.Platform || x.Workspace != first.Workspace || a.Lang(x) != a.Lang(first) {
			return bot.Address{}, false
		}
		users = append(users, x.PlatformID)
	}
	if _, ok := bot.SenderFor(a.Send, first.Platform).(bot.GroupOpener); !ok {
		return bot.Address{}, false
	}
	slices.Sort(users)
	return bot.Address{Platform: first.Platform, Workspace: first.Workspace, Users: users}, true
}

// groupIntroduction is the one message that introduces group gi of rd
// to all its members at once, in their shared language, keyed by the
// round and the group so that a crash never sends it twice.
func (a *Feature) groupIntroduction(pl planned, rd store.ConnRound, gi int, members []store.User, sl slots, to bot.Address) handlers.Outgoing {
	x := members[0] // every member reads the same language
	var lines []string
	for _, o := range members {
		lines = append(lines, "・"+handlers.Clean(o.Name)+a.T(x, "conn.paren", "Text", a.profileLine(x, pl.ps, o)))
	}
	rep := bot.Reply{
		Key:   fmt.Sprintf("conn:intro:%d:g%d", rd.ID, gi),
		Title: a.T(x, "conn.intro.title", "Name", pl.prog.Name, "Round", rd.Number),
		Text: a.T(x, "conn.intro.group_text", "Members", strings.Join(lines, "\n"), "Times", a.slotText(x, sl),
			"Mid", rd.MidOn, "End", rd.EndOn),
	}
	return handlers.Outgoing{To: to, Reply: rep, Key: rep.Key}
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

// groupReasons gives each kind of reason once for a whole group, in the
// order the pairs first gave it: a group of three has three pairs, and
// "first time, other department" said three times reads as noise. Of a
// kind with a figure it keeps the one that says most about the group:
// the widest seniority gap, the most shared topics, the longest since
// two of them last met.
func groupReasons(rs []pairing.Reason) []pairing.Reason {
	var out []pairing.Reason
	at := map[pairing.ReasonCode]int{}
	for _, r := range rs {
		i, ok := at[r.Code]
		if !ok {
			at[r.Code] = len(out)
			out = append(out, r)
			continue
		}
		o := &out[i]
		o.Years, o.Count, o.Rounds = max(o.Years, r.Years), max(o.Count, r.Count), max(o.Rounds, r.Rounds)
	}
	return out
}
