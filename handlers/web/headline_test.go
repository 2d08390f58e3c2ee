package web

import (
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// headCardRe and headStatRe read a page's headline cards and their
// figures.
var (
	headSectionRe = regexp.MustCompile(`(?s)<section class="headline">(.*?)</section>`)
	headCardRe    = regexp.MustCompile(`(?s)<div class="card"><h3>(.*?)</h3>\s*<dl>(.*?)</dl>`)
	headStatRe    = regexp.MustCompile(`<div class="stat"><dt>(.*?)</dt><dd class="value( suppressed)?"[^>]*>(.*?)</dd>(?:<dd class="detail">(.*?)</dd>)?(?:<dd class="change">(.*?)</dd>)?</div>`)
)

// headStat is one figure of a headline card as the page writes it.
type headStat struct{ Label, Value, Detail, Change string }

// headCards are the cards of a page's headline, by name, unescaped.
func headCards(t *testing.T, body string) (names []string, cards map[string][]headStat, section string) {
	t.Helper()
	m := headSectionRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no headline:\n%s", body)
	}
	section = m[1]
	if i := strings.Index(section, "<h2>"); i < 0 || strings.Index(section, `<div class="cards">`) < i {
		t.Errorf("the headline does not open with its heading: %s", section)
	}
	if first := strings.Index(body, "<section"); first != strings.Index(body, `<section class="headline">`) {
		t.Errorf("the page does not open with the headline")
	}
	cards = map[string][]headStat{}
	for _, c := range headCardRe.FindAllStringSubmatch(section, -1) {
		name := html.UnescapeString(c[1])
		names = append(names, name)
		for _, s := range headStatRe.FindAllStringSubmatch(c[2], -1) {
			cards[name] = append(cards[name], headStat{html.UnescapeString(s[1]), html.UnescapeString(s[3]), html.UnescapeString(s[4]), html.UnescapeString(s[5])})
		}
	}
	return names, cards, html.UnescapeString(section)
}

// wantCard is the headline of g, with prev its figures in the previous
// round (period prevPeriod, "" for a first round; prev nil when the group
// was not in it), from the figures themselves.
func wantCard(g figures.GroupFigures, prev *figures.GroupFigures, prevPeriod string) []headStat {
	too := "回答者が少ないため非表示"
	f := g.Items["enps"]
	if !g.Shown || !f.Shown {
		return []headStat{{Label: "eNPS", Value: too}, {Label: "回答率", Value: too}}
	}
	enps := headStat{Label: "eNPS", Value: handlers.Signed(f.ENPS, 0), Change: "初回のため前回との比較はありません"}
	rate := headStat{Label: "回答率", Value: fmt.Sprintf("%.0f%%", g.ResponseRate), Detail: fmt.Sprintf("%d 人 / 対象 %d 人", g.N, g.Invited), Change: enps.Change}
	switch {
	case prevPeriod == "":
	case prev == nil:
		enps.Change = "前回（" + prevPeriod + "）にはこのグループの回答がありません"
		rate.Change = enps.Change
	default:
		pf := prev.Items["enps"]
		enps.Change = "前回（" + prevPeriod + "）の数値は非表示のため比較できません"
		rate.Change = enps.Change
		if prev.Shown && pf.Shown {
			enps.Change = fmt.Sprintf("前回（%s）比 %s", prevPeriod, handlers.Signed(f.ENPS-pf.ENPS, 0))
		}
		if prev.Shown {
			rate.Change = fmt.Sprintf("前回（%s）比 %s ポイント", prevPeriod, handlers.Signed(g.ResponseRate-prev.ResponseRate, 0))
		}
	}
	return []headStat{enps, rate}
}

// deptOf is a department's figures in res.
func deptOf(res figures.Figures, key string) figures.GroupFigures {
	if g := deptIn(res, key); g != nil {
		return *g
	}
	return figures.GroupFigures{}
}

// deptIn is a department's figures in res, nil when it has none.
func deptIn(res figures.Figures, key string) *figures.GroupFigures {
	for i := range res.Groups {
		if res.Groups[i].Key == key {
			return &res.Groups[i]
		}
	}
	return nil
}

// TestSurveyHeadline: each round's page opens with eNPS, participation
// and the change since the previous round, every number the round's
// figures (the change from the previous round's, as the chat report
// computes it): for admin and hr the organisation, its eNPS split and its
// participation over the rounds; for a manager the organisation and their
// department, without the extras. A first round has no change; a round
// whose organisation is under k shows no number, the words instead.
func TestSurveyHeadline(t *testing.T) {
	p := newPageEnv(t)
	for _, tc := range []struct {
		who   string
		round uint64
		dept  string // a manager's department
	}{
		{"admin", 7, ""}, {"人事C", 7, ""}, {"部長A", 7, "総務課"},
		{"人事C", 6, ""}, {"部長A", 6, "総務課"},
		{"admin", 9, ""}, {"人事C", 9, ""}, {"部長A", 9, "総務課"},
		// 会計課 was not in round 9.
		{"人事C", 10, ""}, {"部長A", 10, "総務課"}, {"部長B", 10, "会計課"},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.who, tc.round), func(t *testing.T) {
			_, body := p.signIn(t, tc.who).get(p.srv.URL + SurveyPath(tc.round))
			names, cards, section := headCards(t, body)
			res := fakeFigures(tc.round)
			var prev figures.Figures
			var prevOrg *figures.GroupFigures
			prevPeriod := ""
			if id := fakeRounds[tc.round].prev; id != 0 {
				prev, prevPeriod = fakeFigures(id), fakeRounds[id].period
				prevOrg = &prev.Org
			}
			want := map[string][]headStat{"組織全体": wantCard(res.Org, prevOrg, prevPeriod)}
			wantNames := []string{"組織全体"}
			if tc.dept != "" {
				want[tc.dept] = wantCard(deptOf(res, tc.dept), deptIn(prev, tc.dept), prevPeriod)
				wantNames = append(wantNames, tc.dept)
			}
			if !slices.Equal(names, wantNames) {
				t.Fatalf("headline cards: got %q, want %q", names, wantNames)
			}
			for name, w := range want {
				if got := cards[name]; !slices.Equal(got, w) {
					t.Errorf("%s's headline:\n got %+v\nwant %+v", name, got, w)
				}
			}
			// The organisation under k: not a number in its card.
			if !res.Org.Shown {
				card := headCardRe.FindStringSubmatch(section)
				if strings.ContainsAny(tags.ReplaceAllString(card[2], ""), "0123456789+%") {
					t.Errorf("the organisation is under k but its headline shows a number: %s", card[2])
				}
			}
			split := strings.Contains(section, "eNPS の内訳")
			trend := strings.Contains(section, "回答率の推移")
			if tc.dept != "" {
				if split || trend || strings.Contains(section, "eNPS の推移") {
					t.Errorf("a manager gets hr's extras: %s", section)
				}
				return
			}
			if !split || !trend {
				t.Fatalf("hr/admin's headline lacks the eNPS split or the participation over rounds: %s", section)
			}
			const hidden = `<td class="suppressed" data-suppressed="true">回答者が少ないため非表示</td>`
			// The split: promoters, passives and detractors of the
			// organisation and every group, or the words.
			splitRow := func(g figures.GroupFigures) string {
				if f := g.Items["enps"]; g.Shown && f.Shown {
					return fmt.Sprintf("<td>%.0f%%</td><td>%.0f%%</td><td>%.0f%%</td>", f.Promoters, f.Passives, f.Detractors)
				}
				return strings.Repeat(hidden, 3)
			}
			wantSplit := []string{`<th scope="row">組織全体</th>` + splitRow(res.Org)}
			for _, g := range res.Groups {
				wantSplit = append(wantSplit, `<th scope="row">`+g.Key+`</th>`+splitRow(g))
			}
			if got := tableRows(t, section, "eNPS の内訳（職場を薦めたい、部署別）"); !slices.Equal(got, wantSplit) {
				t.Errorf("eNPS split:\n got %q\nwant %q", got, wantSplit)
			}
			// eNPS and participation over the rounds up to this one,
			// oldest first, per group as each round released it; a group
			// not in a round is a dash.
			var rounds []uint64
			for _, id := range []uint64{6, 7, 9, 10} {
				if id <= tc.round {
					rounds = append(rounds, id)
				}
			}
			// Rows: the organisation, this round's groups in the page's
			// order, then those only earlier rounds had, latest first.
			keys := []string{""}
			for i := len(rounds) - 1; i >= 0; i-- {
				for _, g := range fakeFigures(rounds[i]).Groups {
					if !slices.Contains(keys, g.Key) {
						keys = append(keys, g.Key)
					}
				}
			}
			over := func(cellOf func(figures.GroupFigures) string) []string {
				var out []string
				for _, key := range keys {
					name, r := key, ""
					if key == "" {
						name = "組織全体"
					}
					for _, id := range rounds {
						res := fakeFigures(id)
						switch g := deptIn(res, key); {
						case key == "":
							r += cellOf(res.Org)
						case g == nil:
							r += `<td title="` + fakeRounds[id].period + ` の回にはこのグループの回答がありません">—</td>`
						default:
							r += cellOf(*g)
						}
					}
					out = append(out, `<th scope="row">`+name+`</th>`+r)
				}
				return out
			}
			wantENPS := over(func(g figures.GroupFigures) string {
				if f := g.Items["enps"]; g.Shown && f.Shown {
					return "<td>" + handlers.Signed(f.ENPS, 0) + "</td>"
				}
				return hidden
			})
			if got := tableRows(t, section, "eNPS の推移（職場を薦めたい、部署別）"); !slices.Equal(got, wantENPS) {
				t.Errorf("eNPS over rounds:\n got %q\nwant %q", got, wantENPS)
			}
			wantRate := over(func(g figures.GroupFigures) string {
				if g.Shown {
					return fmt.Sprintf("<td>%.0f%%（%d/%d）</td>", g.ResponseRate, g.N, g.Invited)
				}
				return hidden
			})
			if got := tableRows(t, section, "回答率の推移（部署別、かっこ内は回答者 / 対象者）"); !slices.Equal(got, wantRate) {
				t.Errorf("participation over rounds:\n got %q\nwant %q", got, wantRate)
			}
		})
	}
	// The fixture is what the cases mean: round 6 is a first round with
	// every department shown, 7 compares with it, 9's organisation is
	// under k, 10 is shown after it.
	if r6, r7, r9, r10 := fakeFigures(6), fakeFigures(7), fakeFigures(9), fakeFigures(10); !r6.Org.Shown || !deptOf(r6, "総務課").Shown || !r7.Org.Shown || !deptOf(r7, "総務課").Shown || r9.Org.Shown || !r10.Org.Shown || !deptOf(r10, "総務課").Shown || !deptOf(r10, "会計課").Shown || deptIn(r9, "会計課") != nil || fakeRounds[6].prev != 0 {
		t.Errorf("fixture: 6 org %v, 7 org %v, 9 org %v, 10 org %v", r6.Org.Shown, r7.Org.Shown, r9.Org.Shown, r10.Org.Shown)
	}
	// Round 10 says why it has no change.
	_, body := p.signIn(t, "人事C").get(p.srv.URL + SurveyPath(10))
	if _, cards, _ := headCards(t, body); cards["組織全体"][0].Change != "前回（2026-12）の数値は非表示のため比較できません" {
		t.Errorf("round 10 after a hidden round: %+v", cards["組織全体"])
	}
}

// TestSurveyHeadlineInEnglish: the headline's words come from the English
// catalog too.
func TestSurveyHeadlineInEnglish(t *testing.T) {
	p := newPageEnv(t)
	uid := p.e.User("人事C").ID
	if _, err := storetest.Write(p.e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Locale = "en"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	_, body := p.signIn(t, "人事C").get(p.srv.URL + SurveyPath(7))
	_, _, section := headCards(t, body)
	for _, want := range []string{"This round at a glance", "+22 since 2026-10", "-1 points since 2026-10", "14 of 17 invited", "eNPS split (職場を薦めたい, By department)", "eNPS over the last rounds", "Participation over the last rounds (By department"} {
		if !strings.Contains(section, want) {
			t.Errorf("English headline lacks %q: %s", want, section)
		}
	}
	if m := untranslated.FindString(body); m != "" {
		t.Errorf("the English page shows a catalog key: %q", m)
	}
}

// tableRows are the rows (head cell and cells, unescaped captions) of the
// table captioned caption in section.
func tableRows(t *testing.T, section, caption string) []string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<caption>` + regexp.QuoteMeta(caption) + `</caption>.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(section)
	if m == nil {
		t.Fatalf("no table captioned %q in %s", caption, section)
	}
	var rows []string
	for _, r := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(m[1], -1) {
		rows = append(rows, r[1])
	}
	return rows
}
