package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSurveyWalkthrough plays docs/surveys.md's walkthrough,
// testdata/walkthrough-survey.txt, on a fresh data file in a console
// started with -listen, as a new user would: departments, profiles, the
// manager and hr grants, a send with k=3, seven answers, the close, the
// chat reports, and /soudan report for admin, hr and the manager. Each of
// the three links the console prints is then opened over HTTP on the
// console's own listener, and the round's page shows each role what it
// may see: admin and hr every department with its figures, the manager
// 総務課 against the organisation and nothing of 人事課.
func TestSurveyWalkthrough(t *testing.T) {
	t.Parallel()
	consoleStores(t, func(t *testing.T, db string) {
		script := readScript(t, "walkthrough-survey.txt")
		in, feed := io.Pipe()
		m, stdout, stderr := newMain("")
		m.Stdin = in
		ctx := context.Background()
		if err := m.ParseFlags(ctx, []string{"console", storeFlag(db), db, "-listen", "127.0.0.1:0"}); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx) }()
		go func() { io.WriteString(feed, script) }()

		// The closing DMs to hr and the manager carry a link each; then
		// /soudan report answers admin, hr and the manager, in that order.
		linkRE := regexp.MustCompile(`<(http://127\.0\.0\.1:\d+/report/open\?t=[^>]+)>`)
		var links []string
		for deadline := time.Now().Add(60 * time.Second); len(links) < 3; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the console printed %d /soudan report links, want 3:\n%s\nstderr:\n%s", len(links), stdout, stderr)
			}
			links = linkRE.FindAllString(stdout.String(), -1)
		}
		out := stdout.String()
		wantContains(t, "the transcript", out,
			"部署「総務課」を追加しました",
			"中村部長（#9）に部局責任者（manager）", // the grant; its wording may name the department
			"・対象: 入庁8年目まで\n  ・人数: 7人", // the manager (1998) and hr (2005) are not asked
			"・表示する最小人数: 数値は3人以上",
			"・全体: 回答 7/7人（100%）",
			"回 #1 を締め切りました（回答 7/7人）",
			"[→ DM 小林]", "[→ DM 中村部長]",
			"・総務課: 回答 4/4人（100%）\n    ・友人や知人に、この職場で働くことをどのくらい勧めたいですか…: eNPS +25",
			"・人事課: 回答 3/3人（100%）\n    ・友人や知人に、この職場で働くことをどのくらい勧めたいですか…: eNPS ", // 0: its sign is the formatter's
			"・今の仕事は、自分にとって取り組む価値があると感じる: 平均 3.67",                             // 人事課
		)
		if strings.Contains(out, "⚠️") {
			t.Errorf("a step of the walkthrough was refused:\n%s", out)
		}

		adminLink, hrLink, mgrLink := trimLink(links[0]), trimLink(links[1]), trimLink(links[2])
		base := adminLink[:strings.Index(adminLink, "/report/")]
		pages := map[string]string{}
		for role, link := range map[string]string{"admin": adminLink, "hr": hrLink, "manager": mgrLink} {
			c := newPageClient(t)
			home := c.follow(link)
			ids := regexp.MustCompile(`/report/survey/(\d+)`).FindStringSubmatch(home)
			if ids == nil {
				t.Fatalf("%s's report home lists no survey round:\n%s", role, home)
			}
			code, page := c.get(base + "/report/survey/" + ids[1])
			if code != http.StatusOK {
				t.Fatalf("%s's round page: %d\n%s", role, code, page)
			}
			pages[role] = page
		}
		// The page's heatmap: one row per group, eNPS first, then the 1-5
		// items' averages ("+" is escaped by html/template).
		row := func(page, group string) string {
			_, heatmap, ok := strings.Cut(page, `<div class="heatmap">`)
			if !ok {
				return ""
			}
			heatmap, _, _ = strings.Cut(heatmap, "</table>")
			m := regexp.MustCompile(`<tr><th scope="row">` + group + `</th>(.*?)</tr>`).FindStringSubmatch(heatmap)
			if m == nil {
				return ""
			}
			return m[1]
		}
		for role, page := range pages {
			if r := row(page, "組織全体"); !strings.Contains(r, ">&#43;14<") || !strings.Contains(r, ">3.86<") {
				t.Errorf("%s's page: the organisation's row is %q, want eNPS +14 and 3.86", role, r)
			}
			if r := row(page, "総務課"); !strings.Contains(r, ">&#43;25 ") || !strings.Contains(r, ">4.50 ") {
				t.Errorf("%s's page: 総務課's row is %q, want eNPS +25 and 4.50", role, r)
			}
			if strings.Contains(page, `<td class="suppressed"`) {
				t.Errorf("%s's page hides a group of the walkthrough (k=3, groups of 4 and 3)", role)
			}
		}
		for _, role := range []string{"admin", "hr"} {
			if r := row(pages[role], "人事課"); !strings.Contains(r, ">3.67 ") {
				t.Errorf("%s's page: 人事課's row is %q, want its average 3.67", role, r)
			}
		}
		if strings.Contains(pages["manager"], "人事課") {
			t.Errorf("the manager of 総務課 sees 人事課:\n%s", pages["manager"])
		}

		feed.Close()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v\nstderr:\n%s", err, stderr)
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}

// trimLink takes the angle brackets off a link the console printed.
func trimLink(s string) string { return strings.Trim(s, "<>") }
