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
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Why codes of a proposed mentor term, and why a new hire got none.
const (
	whyOtherDept  = "other_department"
	whyPreference = "preference" // matched the mentee's wish
	whyLanguage   = "shared_language"
	noMentorDept  = "no_department" // the new hire's department is unknown: "another department" cannot be kept
	noMentorFree  = "no_mentor"     // every mentor of another department is at capacity
)

// unmatched is a new hire a mentor programme could propose no mentor
// for, and why.
type unmatched struct {
	user   store.User
	reason string
}

// proposals works out, in tx, a mentor for each new hire of mentor
// programme p who has no term in it yet: available mentors (a mentor
// profile, not paused or on leave) of another department with room
// under p's capacity, the best match of the new hire's wish first (each
// word of it found in the mentor's topics, job type, career, message or
// posting), then a shared language, then the lightest load, then the
// longest-registered mentor. New hires are served in the order they
// joined the bot, and each proposal takes a place at once. The terms are
// not stored.
func (a *Feature) proposals(tx *store.Tx, p store.ConnProgramme) ([]store.MentorTerm, []unmatched, error) {
	c := tx.Connections()
	ps := newPeople(tx)
	today := a.today()
	terms, err := c.Terms()
	if err != nil {
		return nil, nil, err
	}
	load := map[uint64]int{}
	has := map[uint64]bool{}
	for _, t := range terms {
		if t.ProgrammeID != p.ID || !(t.State == store.TermProposed || (t.State == store.TermApproved && t.End >= today)) {
			continue
		}
		load[t.MentorID]++
		has[t.MenteeID] = true
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
	type cand struct {
		u      store.User
		mt     store.Mentor
		fields []string
	}
	var cands []cand
	for _, mt := range mentors {
		u, err := ps.user(mt.UserID)
		if err != nil || u.Deleted || !mt.Available(now) {
			continue
		}
		fields := append(ps.topicNames(mt.Topics), mt.JobType, mt.Career, mt.Message, mt.PostingPlace, a.TL("ja", "people.posting."+mt.Posting+".short"), a.TL("en", "people.posting."+mt.Posting+".short"), u.Department)
		cands = append(cands, cand{u, mt, fields})
	}
	var out []store.MentorTerm
	var none []unmatched
	for _, u := range users {
		mem, _ := c.Member(u.ID)
		if u.Deleted || has[u.ID] || !a.inAudience(ps, p, u, mem) || mem.Paused(today) {
			continue
		}
		if _, isMentor := ps.mentor(u.ID); isMentor {
			continue // a mentor is not a new hire to be mentored
		}
		dept := ps.dept(u.Department)
		if dept == "" {
			none = append(none, unmatched{u, noMentorDept})
			continue
		}
		words := strings.FieldsFunc(mem.Prefer, func(r rune) bool { return unicode.IsSpace(r) || r == '、' || r == ',' })
		best, bestScore := -1, -1
		var bestWhy []string
		for i, cd := range cands {
			md := ps.dept(cd.u.Department)
			if cd.u.ID == u.ID || md == "" || text.SameName(md, dept) || load[cd.u.ID] >= p.Capacity {
				continue
			}
			score, why := 0, []string{whyOtherDept}
			matched := 0
			for _, w := range words {
				if text.Fold(w) != "" && text.MatchAll(w, cd.fields...) {
					matched++
				}
			}
			if matched > 0 {
				score += 2 * matched
				why = append(why, whyPreference)
			}
			if a.Lang(cd.u) == a.Lang(u) {
				score++
				why = append(why, whyLanguage)
			}
			if score > bestScore || (score == bestScore && load[cd.u.ID] < load[cands[best].u.ID]) {
				best, bestScore, bestWhy = i, score, why
			}
		}
		if best < 0 {
			none = append(none, unmatched{u, noMentorFree})
			continue
		}
		load[cands[best].u.ID]++
		out = append(out, store.MentorTerm{ProgrammeID: p.ID, MenteeID: u.ID, MentorID: cands[best].u.ID, State: store.TermProposed, Why: bestWhy})
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
	var be *bot.Error
	switch {
	case errors.As(err, &be):
		return be
	case errors.Is(err, store.ErrNotFound):
		return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
	case err != nil:
		return fmt.Errorf("decide mentor term %d: %w", id, err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "conn.terms."+t.State, "ID", t.ID, "Start", t.Start, "End", t.End)})
	return err
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
	sl, err := a.suggestTimes(local, []store.User{mentee, mentor})
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
