package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// TestBrowser drives the pages in headless Chromium (Debian's chromium
// package) through chromedp: it opens a signed link and presses its
// button, takes a screenshot of each page (in $SOUDAN_ARTIFACTS, else a
// temporary directory), reads the DOM Chromium built (suppressed cells
// say so, tables hold the right numbers), records every request the pages
// make (none may leave this server), and checks that a forged link is
// refused. It runs with SOUDAN_BROWSER_TEST=1 and fails without a
// browser, unless SOUDAN_BROWSER_TEST=skip-if-missing.
func TestBrowser(t *testing.T) {
	mode := os.Getenv("SOUDAN_BROWSER_TEST")
	if mode == "" {
		t.Skip("set SOUDAN_BROWSER_TEST=1 to run the pages in headless Chromium")
	}
	chrome := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chrome = p
			break
		}
	}
	if chrome == "" {
		if mode == "skip-if-missing" {
			t.Skip("no chromium on PATH (SOUDAN_BROWSER_TEST=skip-if-missing)")
		}
		t.Fatal("no chromium on PATH: apt-get install chromium")
	}
	art := os.Getenv("SOUDAN_ARTIFACTS")
	if art == "" {
		art = t.TempDir()
	}
	if err := os.MkdirAll(art, 0o755); err != nil {
		t.Fatal(err)
	}
	p := newPageEnv(t)
	var mu sync.Mutex
	var served, posts []string
	h := p.srv.Config.Handler
	p.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served = append(served, r.Method+" "+r.URL.Path)
		if r.Method == http.MethodPost {
			posts = append(posts, fmt.Sprintf("%s Origin=%q Sec-Fetch-Site=%q", r.URL.Path, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site")))
		}
		mu.Unlock()
		h.ServeHTTP(w, r)
	})
	// The attacker's site (another host: localhost, not 127.0.0.1) has a
	// page whose form posts the attacker's own link to the report pages:
	// login CSRF. The victim's browser must not be signed in by it.
	attackerLink, _ := url.Parse(p.linkFor(t, "部長A"))
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><body><form method="post" action="%s/report/open">`+
			`<input type="hidden" name="t" value="%s"><input type="hidden" name="next" value="/report/">`+
			`<button type="submit" id="go">win a prize</button></form></body></html>`, p.srv.URL, html.EscapeString(attackerLink.Query().Get("t")))
	}))
	defer evil.Close()
	evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)

	actx, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.WindowSize(1000, 1400),
		chromedp.Flag("lang", "ja"), chromedp.Flag("accept-lang", "ja"))...)
	defer cancel()
	var requested []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requested = append(requested, e.Request.URL)
			mu.Unlock()
		}
	}))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("chromium: enable the network events: %v", err)
	}
	// page opens path (or, with path "", stays), waits for the element
	// sel, takes a screenshot named name and returns the DOM.
	page := func(name, path string, sel chromedp.Action[chromedp.Void]) string {
		t.Helper()
		if path != "" {
			if err := chromedp.Do(ctx, chromedp.Navigate(path)); err != nil {
				t.Fatalf("%s: navigate: %v", name, err)
			}
		}
		if err := chromedp.Do(ctx, sel); err != nil {
			t.Fatalf("%s: wait: %v", name, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("%s: screenshot: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(art, "report-"+name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		dom, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatalf("%s: DOM: %v", name, err)
		}
		return dom
	}
	page("attacker", evilURL, chromedp.WaitVisible(chromedp.ID("go")))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("go"))); err != nil {
		t.Fatalf("press the attacker's button: %v", err)
	}
	attacked := page("attacked", "", chromedp.WaitVisible(chromedp.CSS("p.refused")))
	if !strings.Contains(attacked, "レポート画面そのものから送られたものではない") {
		t.Errorf("the attacker's cross-site post was not refused as such:\n%s", attacked)
	}
	if dom := page("after-attack", p.srv.URL+"/report/", chromedp.WaitVisible(chromedp.CSS("p.refused"))); strings.Contains(dom, "ログイン中") {
		t.Errorf("the attacker's post signed the browser in:\n%s", dom)
	}
	page("open", p.linkFor(t, "admin"), chromedp.WaitVisible(chromedp.ID("open")))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("open"))); err != nil {
		t.Fatalf("press the link's button: %v", err)
	}
	home := page("home", "", chromedp.WaitVisible(chromedp.CSS("ul.list")))
	survey := page("survey", p.srv.URL+"/report/survey/7", chromedp.WaitVisible(chromedp.CSS("table")))
	stats := page("stats", p.srv.URL+"/report/stats/2026-11", chromedp.WaitVisible(chromedp.CSS("table")))
	forged := page("forged", p.srv.URL+"/report/open?t=bDoxOjk5OTk5OTk5OTk6MDA.AAAA", chromedp.WaitVisible(chromedp.CSS("p.refused")))
	if !strings.Contains(home, "としてログイン中") {
		t.Errorf("the home page does not say who is signed in")
	}
	page("before-signout", p.srv.URL+"/report/", chromedp.WaitVisible(chromedp.ID("signout")))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("signout"))); err != nil {
		t.Fatalf("press sign-out: %v", err)
	}
	if dom := page("signed-out", "", chromedp.WaitVisible(chromedp.CSS("p.signedout"))); !strings.Contains(dom, "ログアウトしました") {
		t.Errorf("sign-out page:\n%s", dom)
	}
	if dom := page("after-signout", p.srv.URL+"/report/", chromedp.WaitVisible(chromedp.CSS("p.refused"))); strings.Contains(dom, "ログイン中") {
		t.Errorf("still signed in after sign-out")
	}
	if !strings.Contains(home, "エンゲージメント調査") || !strings.Contains(home, "/report/stats/") {
		t.Errorf("the admin's home page after the link:\n%s", home)
	}
	for _, dept := range []string{"会計課", "人事課"} {
		for _, row := range rowsOf(survey, dept) {
			if strings.ContainsAny(tags.ReplaceAllString(row, ""), "0123456789") || !strings.Contains(row, "回答者が少ないため非表示") {
				t.Errorf("the DOM's row of %s: %s", dept, row)
			}
		}
		if len(rowsOf(survey, dept)) == 0 {
			t.Errorf("no row of %s in the DOM", dept)
		}
	}
	if !strings.Contains(survey, "<td>6</td><td>7</td><td>86%</td>") {
		t.Errorf("the response rate of 総務課 (6 of 7) is not in the DOM")
	}
	if !strings.Contains(stats, "<td>12</td>") || !strings.Contains(stats, "キャリア") {
		t.Errorf("the stats DOM lacks its numbers")
	}
	if !strings.Contains(forged, "このリンクは無効です") {
		t.Errorf("a forged link was not refused:\n%s", forged)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, u := range requested {
		if !strings.HasPrefix(u, p.srv.URL+"/") && !strings.HasPrefix(u, evilURL) {
			t.Errorf("the page requested %s", u)
		}
	}
	t.Logf("screenshots in %s; the browser requested %d URLs, all on this server (or the attacker's page): %v", art, len(requested), served)
	t.Logf("posts the browser made: %q", posts)
}

// rowsOf are the cells of the table rows headed dept.
func rowsOf(dom, dept string) []string {
	var out []string
	head := `<th scope="row">` + dept + `</th>`
	for rest := dom; ; {
		i := strings.Index(rest, head)
		if i < 0 {
			return out
		}
		rest = rest[i+len(head):]
		out = append(out, rest[:strings.Index(rest, "</tr>")])
	}
}
