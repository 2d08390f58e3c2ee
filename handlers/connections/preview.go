package connections

import (
	"context"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/connections/pairing"
	"github.com/soudan/soudan/store"
)

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
