package connections

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/connections/pairing"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// unmatched is a new hire a mentor programme could propose no mentor
// for, and why (a pairing.NoMentor code).
type unmatched struct {
	user   store.User
	reason string
}

// termLoad counts, in programme p, each mentor's new hires (proposed,
// or approved and not yet over on today) and the new hires who have one.
func termLoad(terms []store.MentorTerm, p uint64, today string) (load map[uint64]int, has map[uint64]bool) {
	load, has = map[uint64]int{}, map[uint64]bool{}
	for _, t := range terms {
		if t.ProgrammeID != p || !(t.State == store.TermProposed || (t.State == store.TermApproved && t.End >= today)) {
			continue
		}
		load[t.MentorID]++
		has[t.MenteeID] = true
	}
	return load, has
}

// proposals works out, in tx, a mentor for each new hire of mentor
// programme p who has no term in it yet, all at once: the assignment
// that gives the most new hires a mentor and, among those, matches the
// wishes and languages best (pairing.AssignMentors). Mentors are the
// available mentor profiles (not paused or on leave); a mentor is of
// another department, has room under p's capacity, and neither person
// is on the other's "don't pair me with" list nor was proposed to the
// other and declined by an admin. The terms are not stored.
func (a *Feature) proposals(tx *store.Tx, p store.ConnProgramme) ([]store.MentorTerm, []unmatched, error) {
	c := tx.Connections()
	ps := newPeople(tx)
	today := a.today()
	terms, err := c.Terms()
	if err != nil {
		return nil, nil, err
	}
	load, has := termLoad(terms, p.ID, today)
	avoid := map[pairing.ID][]pairing.ID{}
	for _, t := range terms {
		if t.ProgrammeID == p.ID && t.State == store.TermDeclined {
			avoid[pairing.ID(idText(t.MenteeID))] = append(avoid[pairing.ID(idText(t.MenteeID))], pairing.ID(idText(t.MentorID)))
		}
	}
	users, err := ps.all()
	if err != nil {
		return nil, nil, err
	}
	mentors, err := ps.mentors()
	if err != nil {
		return nil, nil, err
	}
	now := a.Now()
	in := pairing.MentorInput{SameDepartment: text.SameName, Avoid: avoid}
	fields := map[pairing.ID][]string{}
	byID := map[pairing.ID]store.User{}
	for _, mt := range mentors {
		u, err := ps.user(mt.UserID)
		if err != nil || u.Deleted || !mt.Available(now) {
			continue
		}
		id := pairing.ID(idText(u.ID))
		byID[id] = u
		fields[id] = append(ps.topicNames(mt.Topics), mt.JobType, mt.Career, mt.Message, mt.PostingPlace, a.TL("ja", "people.posting."+mt.Posting+".short"), a.TL("en", "people.posting."+mt.Posting+".short"), u.Department)
		in.Mentors = append(in.Mentors, pairing.Mentor{ID: id, Department: ps.dept(u.Department), Language: a.Lang(u), Capacity: p.Capacity, Load: load[u.ID]})
		if mem, err := c.Member(u.ID); err == nil {
			for _, o := range mem.Avoid {
				avoid[id] = append(avoid[id], pairing.ID(idText(o)))
			}
		}
	}
	for _, u := range users {
		mem, _ := c.Member(u.ID)
		if u.Deleted || has[u.ID] || !a.inAudience(ps, p, u, mem) || mem.Paused(today) {
			continue
		}
		if _, isMentor := ps.mentor(u.ID); isMentor {
			continue // a mentor is not a new hire to be mentored
		}
		id := pairing.ID(idText(u.ID))
		byID[id] = u
		for _, o := range mem.Avoid {
			avoid[id] = append(avoid[id], pairing.ID(idText(o)))
		}
		words := strings.FieldsFunc(mem.Prefer, func(r rune) bool { return unicode.IsSpace(r) || r == '、' || r == ',' })
		wish := map[pairing.ID]int{}
		for _, m := range in.Mentors {
			for _, w := range words {
				if text.Fold(w) != "" && text.MatchAll(w, fields[m.ID]...) {
					wish[m.ID]++
				}
			}
		}
		in.Mentees = append(in.Mentees, pairing.Mentee{ID: id, Department: ps.dept(u.Department), Language: a.Lang(u), Wish: wish})
	}
	res := pairing.AssignMentors(in)
	var out []store.MentorTerm
	for _, as := range res.Assignments {
		out = append(out, store.MentorTerm{ProgrammeID: p.ID, MenteeID: byID[as.Mentee].ID, MentorID: byID[as.Mentor].ID, State: store.TermProposed, Why: as.Why})
	}
	var none []unmatched
	for _, un := range res.Unassigned {
		none = append(none, unmatched{byID[un.Mentee], un.Reason})
	}
	return out, none, nil
}

// previewTerms shows the mentors a mentor programme would propose now,
// saving nothing.
func (a *Feature) previewTerms(ctx context.Context, m *bot.Message, r bot.Responder, p store.ConnProgramme) error {
	u := handlers.UserFrom(ctx)
	var lines []string
	err := a.View(func(tx *store.Tx) error {
		ts, none, err := a.proposals(tx, p)
		if err != nil {
			return err
		}
		lines = a.termLines(u, newPeople(tx), ts, none)
		return nil
	})
	if err != nil {
		return fmt.Errorf("preview %s: %w", p.Name, err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.terms.preview", "Name", p.Name) + "\n" + strings.Join(lines, "\n")})
	return err
}

// termLines are proposals and the new hires without one in words.
func (a *Feature) termLines(u store.User, ps *people, ts []store.MentorTerm, none []unmatched) []string {
	var lines []string
	for _, t := range ts {
		lines = append(lines, a.termLine(u, ps, t))
	}
	for _, n := range none {
		lines = append(lines, a.T(u, "conn.terms.none_for", "Name", handlers.Clean(n.user.Name), "Reason", a.T(u, "conn.terms.reason."+n.reason)))
	}
	if len(lines) == 0 {
		lines = append(lines, a.T(u, "conn.terms.nobody"))
	}
	return lines
}

// termLine is one proposal: the new hire, the mentor, and why.
func (a *Feature) termLine(u store.User, ps *people, t store.MentorTerm) string {
	mentee, _ := ps.user(t.MenteeID)
	mentor, _ := ps.user(t.MentorID)
	var why []string
	for _, w := range t.Why {
		why = append(why, a.T(u, "conn.terms.why."+w))
	}
	return a.T(u, "conn.terms.line", "Mentee", handlers.Clean(mentee.Name), "MenteeProfile", a.profileLine(u, ps, mentee),
		"Mentor", handlers.Clean(mentor.Name), "MentorProfile", a.profileLine(u, ps, mentor), "Why", strings.Join(why, a.T(u, "people.list_sep")))
}

// proposeTerms answers /soudan admin coffee run for a mentor programme:
// the proposals are stored, each waiting for an admin's approval, and
// shown with approve and decline buttons. Nobody is told until approved.
func (a *Feature) proposeTerms(ctx context.Context, m *bot.Message, r bot.Responder, p store.ConnProgramme) error {
	u := handlers.UserFrom(ctx)
	var stored []store.MentorTerm
	var none []unmatched
	var ps *people
	err := a.Commit(ctx, func(tx *store.Tx) error {
		ts, nn, err := a.proposals(tx, p)
		if err != nil {
			return err
		}
		stored, none, ps = nil, nn, newPeople(tx)
		for _, t := range ts {
			t, err := tx.Connections().AddTerm(t)
			if err != nil {
				return err
			}
			stored = append(stored, t)
		}
		return handlers.AuditTx(tx, u, auditRun, fmt.Sprintf("#%d %s: %d mentor terms proposed", p.ID, p.Name, len(stored)))
	})
	if err != nil {
		return fmt.Errorf("propose mentors: %w", err)
	}
	// Replies go after the read: a reply may write (the console saves its
	// state), and a write waiting behind an open read would never start.
	var replies []bot.Reply
	err = a.View(func(tx *store.Tx) error {
		ps.tx = tx // the commit's transaction is over: read names in a new one
		replies = append(replies, bot.Reply{Text: a.T(u, "conn.terms.proposed", "Name", p.Name, "N", len(stored))})
		for _, t := range stored {
			id := strconv.FormatUint(t.ID, 10)
			replies = append(replies, bot.Reply{Text: a.termLine(u, ps, t), Buttons: []bot.Button{
				{ID: actionTermApprove, Label: a.T(u, "conn.terms.approve"), Value: id, Style: bot.StylePrimary},
				{ID: actionTermDecline, Label: a.T(u, "conn.terms.decline"), Value: id, Style: bot.StyleDanger},
			}})
		}
		if len(none) > 0 || len(stored) == 0 {
			replies = append(replies, bot.Reply{Text: strings.Join(a.termLines(u, ps, nil, none), "\n")})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("propose mentors: %w", err)
	}
	for _, rep := range replies {
		rep.Ephemeral = !m.Direct
		if _, err := r.Reply(ctx, rep); err != nil {
			return err
		}
	}
	return nil
}

// approveTerm is the approve button: an admin only. The term runs from
// today for the programme's months, and the new hire and the mentor each
// get an introduction, keyed by the term and the person.
func (a *Feature) approveTerm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.decideTerm(ctx, m, r, true)
}

// declineTerm is the decline button: an admin only.
func (a *Feature) declineTerm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.decideTerm(ctx, m, r, false)
}

// decideTerm approves or declines a proposed term.
func (a *Feature) decideTerm(ctx context.Context, m *bot.Message, r bot.Responder, approve bool) error {
	u := handlers.UserFrom(ctx)
	if !u.HasRole(store.RoleAdmin) {
		return bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	id, ok := handlers.ParseID(m.Action.Value)
	if !ok {
		return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
	}
	local := a.Now().In(a.Config.Location)
	var t store.MentorTerm
	err := a.Commit(ctx, func(tx *store.Tx) error {
		c := tx.Connections()
		old, err := c.Term(id)
		if err != nil {
			return err
		}
		if old.State != store.TermProposed {
			return bot.Errorf(bot.CodeConflict, "conn.terms.decided")
		}
		p, err := c.Programme(old.ProgrammeID)
		if err != nil {
			return err
		}
		if approve {
			// The proposal may be days old: a mentor filled up by other
			// approvals, paused, moved into the new hire's department, or a
			// new hire given a mentor by an earlier proposal since.
			if err := a.recheckTerm(tx, p, old); err != nil {
				return err
			}
		}
		if t, err = c.UpdateTerm(id, func(t *store.MentorTerm) error {
			t.DecidedBy = u.ID
			if !approve {
				t.State = store.TermDeclined
				return nil
			}
			t.State, t.Start, t.End = store.TermApproved, local.Format(dateFormat), local.AddDate(0, p.TermMonths, -1).Format(dateFormat)
			return nil
		}); err != nil {
			return err
		}
		if err := handlers.AuditTx(tx, u, auditTermDecision, fmt.Sprintf("term #%d: %s", t.ID, t.State)); err != nil {
			return err
		}
		if !approve {
			return nil
		}
		msgs, err := a.termIntroductions(tx, p, t, local)
		if err != nil {
			return err
		}
		_, err = a.EnqueueTx(tx, nil, msgs...)
		return err
	})
	if err != nil {
		return staleAction(err, fmt.Sprintf("decide mentor term %d", id))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.terms."+t.State, "ID", t.ID, "Start", t.Start, "End", t.End)})
	return err
}

// recheckTerm refuses, with a bot.Error the admin reads, to approve
// proposed term t of programme p when the rules it was proposed under no
// longer hold. A refused proposal stays proposed: the admin declines it
// and runs the programme again for a fresh proposal.
func (a *Feature) recheckTerm(tx *store.Tx, p store.ConnProgramme, t store.MentorTerm) error {
	ps := newPeople(tx)
	mentee, err := ps.user(t.MenteeID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	mentor, err2 := ps.user(t.MentorID)
	if err2 != nil && !errors.Is(err2, store.ErrNotFound) {
		return err2
	}
	if err != nil || err2 != nil || mentee.Deleted || mentor.Deleted {
		return bot.Errorf(bot.CodeConflict, "conn.terms.recheck.gone")
	}
	mt, ok := ps.mentor(mentor.ID)
	if !ok || !mt.Available(a.Now()) {
		return bot.Errorf(bot.CodeConflict, "conn.terms.recheck.unavailable", "Mentor", handlers.Clean(mentor.Name))
	}
	md, ed := ps.dept(mentor.Department), ps.dept(mentee.Department)
	if md == "" || ed == "" || text.SameName(md, ed) {
		return bot.Errorf(bot.CodeConflict, "conn.terms.recheck.department", "Mentor", handlers.Clean(mentor.Name), "Mentee", handlers.Clean(mentee.Name))
	}
	terms, err := tx.Connections().Terms()
	if err != nil {
		return err
	}
	today, running := a.today(), 0
	for _, o := range terms {
		if o.ID == t.ID || o.ProgrammeID != p.ID || o.State != store.TermApproved || o.End < today {
			continue
		}
		if o.MenteeID == t.MenteeID {
			return bot.Errorf(bot.CodeConflict, "conn.terms.recheck.mentored", "Mentee", handlers.Clean(mentee.Name))
		}
		if o.MentorID == t.MentorID {
			running++
		}
	}
	if running >= p.Capacity {
		return bot.Errorf(bot.CodeConflict, "conn.terms.recheck.capacity", "Mentor", handlers.Clean(mentor.Name), "N", running, "Capacity", p.Capacity)
	}
	// The lists are confidential: the admin learns that a rule no longer
	// holds, not whose list it is.
	for _, pair := range [][2]uint64{{mentee.ID, mentor.ID}, {mentor.ID, mentee.ID}} {
		mem, err := tx.Connections().Member(pair[0])
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if slices.Contains(mem.Avoid, pair[1]) {
			return bot.Errorf(bot.CodeConflict, "conn.terms.recheck.rules")
		}
	}
	return nil
}

// termIntroductions are the DMs of an approved term: the new hire learns
// who their mentor is, the mentor who their new hire is, each with the
// other's one-line profile, the term and suggested times.
func (a *Feature) termIntroductions(tx *store.Tx, p store.ConnProgramme, t store.MentorTerm, local time.Time) ([]handlers.Outgoing, error) {
	ps := newPeople(tx)
	mentee, err := ps.user(t.MenteeID)
	if err != nil {
		return nil, err
	}
	mentor, err := ps.user(t.MentorID)
	if err != nil {
		return nil, err
	}
	cal, err := a.CalendarIn(tx)
	if err != nil {
		return nil, err
	}
	sl, err := a.suggestTimes(cal, local, []store.User{mentee, mentor})
	if err != nil {
		return nil, err
	}
	var msgs []handlers.Outgoing
	for _, pair := range [][2]store.User{{mentee, mentor}, {mentor, mentee}} {
		x, other := pair[0], pair[1]
		key := "conn.term.intro.mentee"
		if x.ID == mentor.ID {
			key = "conn.term.intro.mentor"
		}
		rep := bot.Reply{
			Key:   fmt.Sprintf("conn:term:%d:%d", t.ID, x.ID),
			Title: a.T(x, "conn.term.intro.title", "Name", p.Name),
			Text: a.T(x, key, "Other", handlers.Clean(other.Name), "Profile", a.profileLine(x, ps, other), "Start", t.Start, "End", t.End,
				"Times", a.slotText(x, sl)),
		}
		msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
	}
	return msgs, nil
}

// activeTerms are the terms of kind approved that overlap [from, to]
// ("2006-01-02"), by mentee.
func activeTerms(ts []store.MentorTerm, from, to string) map[uint64]bool {
	out := map[uint64]bool{}
	for _, t := range ts {
		if (t.State == store.TermApproved || t.State == store.TermEnded) && t.Start != "" && t.Start <= to && t.End >= from {
			out[t.MenteeID] = true
		}
	}
	return out
}

// sortedKeys are m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
