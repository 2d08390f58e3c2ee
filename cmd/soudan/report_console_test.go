package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConsoleReportPages is the "done when": a dozen people in
// three departments answer three monthly rounds in the console started
// with -listen; the manager of 総務課 and hr ask /soudan report, and their
// links, opened over HTTP on the console's listener, show the manager
// their department against the organisation over three rounds and hr
// every department, 会計課 (three people) marked too few; a forged link
// is refused.
func TestConsoleReportPages(t *testing.T) {
	t.Parallel()
	db := t.TempDir() + "/report.db"
	in, feed := io.Pipe()
	m, stdout, stderr := newMain("")
	m.Stdin = in
	var mu sync.Mutex
	now := fixedNow
	m.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ctx := context.Background()
	if err := m.ParseFlags(ctx, []string{"console", "-db", db, "-console-user", "admin", "-listen", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	say := func(lines ...string) {
		t.Helper()
		if _, err := io.WriteString(feed, strings.Join(lines, "\n")+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	// waitFor waits until stdout holds n matches of re.
	waitFor := func(re *regexp.Regexp, n int) []string {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if ms := re.FindAllString(stdout.String(), -1); len(ms) >= n {
				return ms
			}
		}
		t.Fatalf("no %d× %s in the console's output:\n%s\nstderr:\n%s", n, re, stdout, stderr)
		return nil
	}
	depts := []struct {
		name   string
		people []string
		enps   []int // per round
	}{
		{"総務課", []string{"佐藤", "鈴木", "高橋", "田中", "伊藤"}, []int{9, 8, 10}},
		{"人事課", []string{"渡辺", "山本", "中村", "小林", "清水"}, []int{7, 6, 8}},
		{"会計課", []string{"加藤", "吉田", "山田"}, []int{0, 1, 2}},
	}
	lines := []string{":as admin", "/soudan admin department add 総務課", "/soudan admin department add 人事課", "/soudan admin department add 会計課"}
	for _, d := range depts {
		for i, p := range d.people {
			lines = append(lines, ":as "+p, "/soudan profile", fmt.Sprintf(":submit department=%s join_year=%d language=ja", d.name, 2024-i))
		}
	}
	lines = append(lines, ":as 部長A", "/soudan help", ":as 人事C", "/soudan help",
		":as admin", "/soudan admin grant 部長A manager 総務課", "/soudan admin grant 人事C hr")
	say(lines...)
	closed := regexp.MustCompile(`を締め切りました`)
	for round := range 3 {
		lines = []string{":as admin", "/soudan survey send engagement", ":press 1"}
		for _, d := range depts {
			for _, p := range d.people {
				lines = append(lines, ":as "+p, ":press 1", fmt.Sprintf(":submit recommend=%d meaning=4 growth=%d support=4 health=3 ease=4", d.enps[round], 3+round%2))
			}
		}
		say(append(lines, ":as admin", "/soudan survey close engagement")...)
		waitFor(closed, round+1)
		mu.Lock()
		now = now.AddDate(0, 1, 0)
		mu.Unlock()
	}
	say(":as 部長A", "/soudan report", ":as 人事C", "/soudan report")
	links := waitFor(regexp.MustCompile(`<(http://127\.0\.0\.1:\d+/report/open\?t=[^>]+)>`), 2)
	// The closing DMs carry links too; the last two are /soudan report's.
	mgrLink, hrLink := strings.Trim(links[len(links)-2], "<>"), strings.Trim(links[len(links)-1], "<>")
	mgr := newPageClient(t)
	home := mgr.follow(mgrLink)
	id := regexp.MustCompile(`/report/survey/(\d+)`).FindAllStringSubmatch(home, -1)
	if len(id) != 3 {
		t.Fatalf("the manager's home lists %d rounds, want 3:\n%s", len(id), home)
	}
	base := mgrLink[:strings.Index(mgrLink, "/report/")]
	code, page := mgr.get(base + "/report/survey/" + id[0][1])
	if code != http.StatusOK || !strings.Contains(page, "総務課") || strings.Contains(page, "人事課") || strings.Contains(page, "会計課") {
		t.Errorf("the manager's page (%d) shows other departments, or not theirs:\n%s", code, page)
	}
	periods := map[string]bool{}
	for _, m := range regexp.MustCompile(`<th scope="row">(\d{4}-\d{2})</th>`).FindAllStringSubmatch(page, -1) {
		periods[m[1]] = true
	}
	if len(periods) != 3 {
		t.Errorf("the manager's trend tables show rounds %v, want 3", periods)
	}
	hr := newPageClient(t)
	hr.follow(hrLink)
	code, page = hr.get(base + "/report/survey/" + id[0][1])
	if code != http.StatusOK || !strings.Contains(page, "人事課") || !strings.Contains(page, `<th scope="row">会計課</th><td class="suppressed"`) {
		t.Errorf("hr's page (%d) does not show every department with 会計課 too few:\n%s", code, page)
	}
	// The quarter's connections: 1on1s within 総務課 and 人事課 (five
	// people each take part) and one in 会計課 (two): hr's page shows the
	// organisation and hides 会計課 in words; the manager's shows 総務課
	// alone. The home pages link the quarter.
	say(":as 佐藤", "/soudan 1on1 log @鈴木", ":as 高橋", "/soudan 1on1 log @田中", ":as 伊藤", "/soudan 1on1 log @佐藤",
		":as 渡辺", "/soudan 1on1 log @山本", ":as 中村", "/soudan 1on1 log @小林", ":as 清水", "/soudan 1on1 log @渡辺",
		":as 加藤", "/soudan 1on1 log @吉田")
	waitFor(regexp.MustCompile(`1on1を記録しました`), 7)
	_, hrHome := hr.get(base + "/report/")
	q := regexp.MustCompile(`/report/connections/(\d{4}-Q\d)`).FindStringSubmatch(hrHome)
	if q == nil {
		t.Fatalf("hr's home page has no connections link")
	}
	code, page = hr.get(base + "/report/connections/" + q[1])
	if code != http.StatusOK || !strings.Contains(page, "<td>7</td>") || !strings.Contains(page, `<th scope="row">会計課</th><td class="suppressed"`) {
		t.Errorf("hr's connections page (%d) lacks the organisation's 7 1on1s or shows 会計課:\n%s", code, page)
	}
	code, page = mgr.get(base + "/report/connections/" + q[1])
	if code != http.StatusOK || !strings.Contains(page, "総務課") || strings.Contains(page, "人事課") || strings.Contains(page, "会計課") {
		t.Errorf("the manager's connections page (%d) shows other departments, or not theirs:\n%s", code, page)
	}
	if code, page := newPageClient(t).get(base + "/report/open?t=bDoxOjk5OTk5OTk5OTk6MDA.AAAA"); code != http.StatusForbidden || !strings.Contains(page, "無効") {
		t.Errorf("a forged link: got %d %s", code, page)
	}
	feed.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v\nstderr:\n%s", err, stderr)
	}
	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if strings.Contains(stderr.String(), "t=") {
		t.Errorf("a token reached the log:\n%s", stderr)
	}
}
