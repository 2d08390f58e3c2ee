package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// fakeConnections is a quarter as the connections feature would release
// it at k=5: the organisation, 総務課 and a department with a long name
// shown, 会計課 (too few) hidden; a manager sees their own department,
// and someone with no role is refused, as the feature does.
type fakeConnections struct{}

const longDept = "国際協力局地域連携推進課（アジア・大洋州担当）"

func (fakeConnections) ConnectionsQuarter(_ context.Context, u store.User, q string) (ConnQuarter, error) {
	var only string
	switch {
	case u.HasRole(store.RoleAdmin), u.HasRole(store.RoleHR):
	case u.HasRole(store.RoleManager):
		only = u.ManagerOf[0]
	default:
		return ConnQuarter{}, bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	out := ConnQuarter{Quarter: q, From: "2026-10-01", To: "2026-12-31", K: 5,
		Org: ConnRow{Shown: true, People: 41, Active: 30, OneOnOnes: 1349, Groups: 37, Met: 29, MentorsShown: true, NewHires: 9, Mentored: 7}}
	if q == "2026-Q2" {
		out.Org = ConnRow{} // an early quarter with too few people: hidden
	}
	for _, r := range []ConnRow{
		{Name: "会計課"},
		// Their new hires (3 and 5, of whom 3 and 3 with a mentor) are
		// under k as the mentor release counts them: coverage hidden.
		{Name: longDept, Shown: true, People: 14, Active: 11, OneOnOnes: 512, Groups: 15, Met: 12},
		{Name: "総務課", Shown: true, People: 20, Active: 14, OneOnOnes: 700, Groups: 20, Met: 15},
	} {
		if only == "" || r.Name == only {
			out.Departments = append(out.Departments, r)
		}
	}
	return out, nil
}

func TestConnectionsPage(t *testing.T) {
	p := newPageEnv(t)
	resp, body := p.signIn(t, "人事C").get(p.srv.URL + "/report/connections/2026-Q4")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("hr's connections page: %d %s", resp.StatusCode, body)
	}
	checkHeaders(t, resp)
	if m := externalURL.FindString(body); m != "" {
		t.Errorf("the page refers outside itself or runs script: %q", m)
	}
	if m := untranslated.FindString(body); m != "" {
		t.Errorf("the page shows a catalog key: %q", m)
	}
	for _, want := range []string{"<svg", "<td>1349</td>", "<td>700</td>", longDept, "<td>78%</td>", "5 人未満", "/report/connections/2026-Q3"} {
		if !strings.Contains(body, want) {
			t.Errorf("hr's page lacks %q", want)
		}
	}
	if strings.Contains(body, "/report/connections/2027-Q1") {
		t.Errorf("the page links to a future quarter")
	}
	// 会計課 is hidden: its cells say so in words, no number.
	rows := regexp.MustCompile(`<tr><th scope="row">会計課</th>(.*?)</tr>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 2 {
		t.Fatalf("%d rows of 会計課, want 2 (activity, coverage)", len(rows))
	}
	for _, r := range rows {
		if strings.ContainsAny(tags.ReplaceAllString(r[1], ""), "0123456789") || !strings.Contains(r[1], "人数が少ないため非表示") {
			t.Errorf("会計課's row shows numbers: %s", r[1])
		}
	}
	// 総務課's activity is shown, its mentor coverage hidden in words.
	rows = regexp.MustCompile(`<tr><th scope="row">総務課</th>(.*?)</tr>`).FindAllStringSubmatch(body, -1)
	if len(rows) != 2 || !strings.Contains(rows[0][1], "700") || strings.ContainsAny(tags.ReplaceAllString(rows[1][1], ""), "0123456789") || !strings.Contains(rows[1][1], "人数が少ないため非表示") {
		t.Errorf("総務課's rows (activity shown, coverage hidden): %q", rows)
	}
	// 2026-Q2, the organisation hidden: the trend's row says so in words.
	if row := regexp.MustCompile(`<tr><th scope="row">2026-Q2</th>(.*?)</tr>`).FindStringSubmatch(body); row == nil || strings.ContainsAny(tags.ReplaceAllString(row[1], ""), "0123456789") {
		t.Errorf("the hidden quarter's trend row: %v", row)
	}

	// A manager: their department only.
	_, mine := p.signIn(t, "部長A").get(p.srv.URL + "/report/connections/2026-Q4")
	if !strings.Contains(mine, "<td>700</td>") || strings.Contains(mine, "会計課") || strings.Contains(mine, longDept) {
		t.Errorf("部長A's page shows other departments or lacks 総務課")
	}
	// Nobody else, and no future or malformed quarter.
	if resp, body := p.signIn(t, "someone").get(p.srv.URL + "/report/connections/2026-Q4"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a member's connections page: %d, want 403\n%s", resp.StatusCode, body)
	}
	b := p.signIn(t, "人事C")
	for _, q := range []string{"2027-Q1", "2026-Q5", "2026q4", "1999-Q1"} {
		if resp, _ := b.get(p.srv.URL + "/report/connections/" + q); resp.StatusCode != http.StatusNotFound {
			t.Errorf("quarter %s: %d, want 404", q, resp.StatusCode)
		}
	}
	// The home page links the current quarter for those who may see it.
	if _, home := b.get(p.srv.URL + "/report/"); !strings.Contains(home, `href="/report/connections/2026-Q4"`) {
		t.Errorf("hr's home page lacks the connections link")
	}
	if _, home := p.signIn(t, "someone").get(p.srv.URL + "/report/"); strings.Contains(home, "/report/connections/") {
		t.Errorf("a member's home page links the connections figures")
	}
}
