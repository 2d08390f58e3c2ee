package web

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBrowser opens the pages in headless Chromium (Debian's chromium
// package): a signed link, then each page, taking a screenshot of each
// (in $SOUDAN_ARTIFACTS, else a temporary directory) and reading the DOM
// Chromium built; it checks that every request the pages made stayed on
// this server and that a forged link is refused. It runs with
// SOUDAN_BROWSER_TEST=1 and fails without a browser, unless
// SOUDAN_BROWSER_TEST=skip-if-missing.
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
	var paths []string
	h := p.srv.Config.Handler
	p.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		h.ServeHTTP(w, r)
	})
	profile := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
			"--user-data-dir=" + profile, "--lang=ja", "--window-size=1000,2400", "--virtual-time-budget=3000",
			// Nothing but this server resolves: a request elsewhere fails
			// and shows in no page.
			"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"}
		out, err := exec.CommandContext(ctx, chrome, append(base, args...)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", args, err)
		}
		return string(out)
	}
	// The admin opens a link; the refresh page moves on to the home page.
	home := run("--dump-dom", p.linkFor(t, "admin"))
	if !strings.Contains(home, "エンゲージメント調査") {
		t.Fatalf("after the link, the DOM is not the home page:\n%s", home)
	}
	for _, pg := range []struct{ name, path string }{{"home", "/report/"}, {"survey", "/report/survey/7"}, {"stats", "/report/stats/2026-11"}} {
		run("--screenshot="+filepath.Join(art, "report-"+pg.name+".png"), p.srv.URL+pg.path)
		if fi, err := os.Stat(filepath.Join(art, "report-"+pg.name+".png")); err != nil || fi.Size() < 5000 {
			t.Errorf("screenshot of %s: %v (size %v)", pg.name, err, fi)
		}
	}
	dom := run("--dump-dom", p.srv.URL+"/report/survey/7")
	for _, dept := range []string{"会計課", "人事課"} {
		i := strings.Index(dom, `<th scope="row">`+dept+`</th>`)
		if i < 0 {
			t.Fatalf("no row of %s in the DOM", dept)
		}
		row := dom[i : i+strings.Index(dom[i:], "</tr>")]
		if strings.ContainsAny(tags.ReplaceAllString(row, ""), "0123456789") || !strings.Contains(row, "回答者が少ないため非表示") {
			t.Errorf("the DOM's row of %s: %s", dept, row)
		}
	}
	if !strings.Contains(dom, "<td>6</td><td>7</td><td>86%</td>") {
		t.Errorf("the response rate table of 総務課 (6 of 7) is not in the DOM")
	}
	stats := run("--dump-dom", p.srv.URL+"/report/stats/2026-11")
	if !strings.Contains(stats, "<td>12</td>") || !strings.Contains(stats, "キャリア") {
		t.Errorf("the stats DOM lacks its numbers")
	}
	// A forged link, in a fresh profile: refused.
	profile = t.TempDir()
	forged := run("--dump-dom", p.srv.URL+"/report/open?t=bDoxOjk5OTk5OTk5OTk6MDA.AAAA")
	if !strings.Contains(forged, "このリンクは無効です") && !strings.Contains(forged, "This link is not valid") {
		t.Errorf("a forged link was not refused:\n%s", forged)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, path := range paths {
		if !strings.HasPrefix(path, "/report/") && path != "/favicon.ico" {
			t.Errorf("the browser asked for %s", path)
		}
	}
	t.Logf("screenshots in %s; %d requests, all to this server", art, len(paths))
}
