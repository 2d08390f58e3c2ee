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
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
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
	ctx, cancel = context.WithTimeout(ctx, 240*time.Second)
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
	sorted := page("survey-sorted", p.srv.URL+"/report/survey/10?sort=item&item=enps&show=fav", chromedp.WaitVisible(chromedp.CSS("div.heatmap table")))
	stats := page("stats", p.srv.URL+"/report/stats/2026-11", chromedp.WaitVisible(chromedp.CSS("table")))
	conns := page("connections", p.srv.URL+"/report/connections/2026-Q4", chromedp.WaitVisible(chromedp.CSS("table")))
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
		for _, row := range rowsOf(thisRound(survey), dept) {
			if strings.ContainsAny(tags.ReplaceAllString(row, ""), "0123456789") || !strings.Contains(row, "回答者が少ないため非表示") {
				t.Errorf("the DOM's row of %s: %s", dept, row)
			}
		}
		if len(rowsOf(thisRound(survey), dept)) == 0 {
			t.Errorf("no row of %s in the DOM", dept)
		}
	}
	if !strings.Contains(survey, "<td>6</td><td>7</td><td>86%</td>") {
		t.Errorf("the response rate of 総務課 (6 of 7) is not in the DOM")
	}
	// The heatmap as Chromium built it from a sort link: promoters' share
	// by eNPS item, best first (会計課 and 総務課 +100, 人事課 -100).
	if heat := regexp.MustCompile(`(?s)<div class="heatmap">.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(sorted); heat == nil {
		t.Errorf("no heatmap in the sorted page")
	} else {
		var order []string
		for _, m := range regexp.MustCompile(`<th scope="row">([^<]*)</th><td[^>]*>([^<]*)</td>`).FindAllStringSubmatch(heat[1], -1) {
			order = append(order, m[1]+" "+m[2])
		}
		if want := []string{"組織全体 67%", "会計課 100% (+33)", "総務課 100% (+33)", "人事課 0% (-67)"}; strings.Join(order, "|") != strings.Join(want, "|") {
			t.Errorf("the sorted, favourable heatmap in the browser: got %q, want %q", order, want)
		}
	}
	if !strings.Contains(stats, "<td>12</td>") || !strings.Contains(stats, "キャリア") {
		t.Errorf("the stats DOM lacks its numbers")
	}
	if !strings.Contains(conns, "<td>1349</td>") || len(rowsOf(conns, "会計課")) == 0 {
		t.Errorf("the connections DOM lacks its numbers or the hidden 会計課")
	}
	for _, row := range rowsOf(conns, "会計課") {
		if strings.ContainsAny(tags.ReplaceAllString(row, ""), "0123456789") {
			t.Errorf("the connections DOM's row of 会計課 shows a number: %s", row)
		}
	}
	if !strings.Contains(forged, "このリンクは無効です") {
		t.Errorf("a forged link was not refused:\n%s", forged)
	}
	layout(t, ctx, p, art)
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

// measured is what measureJS reads from a page as Chromium laid it out.
type measured struct {
	Texts       int      // chart texts laid out
	Outside     []string // chart texts (part) outside their <svg>
	MinFont     float64  // the smallest chart text as rendered, px
	ScrollWidth float64  // document.scrollingElement.scrollWidth
	Viewport    float64  // the viewport's width (without a scroll bar)
	Wide        []string // elements reaching past the viewport, outside a box that scrolls
	Background  string   // the body's computed background colour
	LowContrast []string // chart texts whose colour hardly differs from the page's
	Clipped     []string // chart texts shortened with "…" and no <title> of the whole
	Footer      string   // the footer's text, "" when it is not rendered
	FooterShown bool     // the footer has a box
}

// measureJS measures the page: each chart <text>'s box against its
// <svg>'s (half a pixel of tolerance), the rendered size of chart text
// (its font size times the scale its SVG is drawn at), the page's scroll
// width, the background, the contrast of chart text with the page, and
// the footer.
const measureJS = `(() => {
  const lum = c => { const m = (c.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
  const bg = getComputedStyle(document.body).backgroundColor, lbg = lum(bg);
  const out = {Texts: 0, Outside: [], Clipped: [], Wide: [], MinFont: 0, ScrollWidth: document.scrollingElement.scrollWidth, Viewport: document.documentElement.clientWidth, Background: bg, LowContrast: [], Footer: "", FooterShown: false};
  let min = Infinity;
  for (const svg of document.querySelectorAll('svg')) {
    const s = svg.getBoundingClientRect();
    if (s.width === 0 || s.height === 0) continue;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      out.Texts++;
      const tt = t.querySelector('title'), shown = Array.from(t.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join('');
      if (shown.includes('…') && !(tt && tt.textContent.startsWith(shown.split('…')[0]))) out.Clipped.push(JSON.stringify(shown));
      const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      min = Math.min(min, px);
      const d = [r.left - s.left, s.right - r.right, r.top - s.top, s.bottom - r.bottom];
      if (d.some(x => x < -0.5)) out.Outside.push(JSON.stringify(shown) + ' by ' + d.map(x => Math.min(0, x).toFixed(0)).join('/'));
      if (!t.closest('.on-bar')) {
        const l = lum(getComputedStyle(t).fill), c = (Math.max(l, lbg) + 0.05) / (Math.min(l, lbg) + 0.05);
        if (c < 3) out.LowContrast.push(JSON.stringify(t.textContent) + ' ' + getComputedStyle(t).fill + ' on ' + bg);
      }
    }
  }
  out.MinFont = min === Infinity ? 0 : min;
  for (const e of document.body.querySelectorAll('*')) {
    if (e.parentElement && e.parentElement.closest('.scroll')) continue;
    const r = e.getBoundingClientRect();
    if (r.right > out.Viewport + 0.5 && out.Wide.length < 5) out.Wide.push(e.tagName.toLowerCase() + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') + ' ' + Math.round(r.left) + '-' + Math.round(r.right) + ' ' + JSON.stringify((e.textContent || '').slice(0, 30)));
  }
  const f = document.querySelector('footer');
  if (f) { const r = f.getBoundingClientRect(); out.FooterShown = getComputedStyle(f).display !== 'none' && r.height > 0; out.Footer = f.innerText; }
  return out;
})()`

// layout opens every page of every role (admin, hr, a manager) at 1280
// and 390 px, in dark mode and in print, and measures each: no chart text
// outside its chart, no sideways scroll, chart text of 10 px or more at
// 390 px, a dark background in dark mode with chart text that stands out
// on it, and in print the footer with the k rule, the date and who
// printed it. It logs the worst figures of all pages.
func layout(t *testing.T, ctx context.Context, p *pageEnv, art string) {
	t.Helper()
	roles := []struct {
		who   string
		paths []string
	}{
		// 9: the organisation under k, its headline in words.
		// The heatmap sorted and switched to favourable %.
		{"admin", []string{"/report/", "/report/survey/7", "/report/survey/7?by=tenure", "/report/survey/9", "/report/survey/10?sort=score&show=fav", "/report/stats/2026-11", "/report/connections/2026-Q4"}},
		{"人事C", []string{"/report/survey/7", "/report/survey/10?sort=item&item=manager", "/report/connections/2026-Q4"}},
		{"部長A", []string{"/report/survey/7", "/report/survey/9", "/report/survey/10?show=fav", "/report/connections/2026-Q4"}},
	}
	modes := []struct {
		name          string
		width         int64
		media, scheme string
	}{
		{"1280", 1280, "", "light"}, {"390", 390, "", "light"},
		{"1280-dark", 1280, "", "dark"}, {"390-dark", 390, "", "dark"},
		{"print", 800, "print", "light"}, {"print-dark", 800, "print", "dark"},
	}
	var outside, clipped, texts int
	var widest, smallest390 float64 = 0, 1e9
	lightBg := map[string]string{}
	for _, r := range roles {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(p.srv.URL+"/report/"), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		var signedIn bool
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('signout') !== null`)); err != nil {
			t.Fatal(err)
		} else if signedIn, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('signout') !== null`)); signedIn {
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.CSS("p.signedout"))); err != nil {
				t.Fatalf("sign out before %s: %v", r.who, err)
			}
		}
		start := time.Now()
		if err := chromedp.Do(ctx, chromedp.Navigate(p.linkFor(t, r.who)), chromedp.WaitVisible(chromedp.ID("open")), chromedp.Click(chromedp.ID("open")), chromedp.WaitVisible(chromedp.CSS("ul.list"))); err != nil {
			t.Fatalf("sign in as %s: %v", r.who, err)
		}
		for _, m := range modes {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(m.width, 900)); err != nil {
				t.Fatalf("viewport %d: %v", m.width, err)
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m.media,
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: m.scheme}}}); err != nil {
				t.Fatalf("emulate %s: %v", m.name, err)
			}
			for i, path := range r.paths {
				name := fmt.Sprintf("%s-%d-%s", r.who, i, m.name)
				if err := chromedp.Do(ctx, chromedp.Navigate(p.srv.URL+path), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
					t.Fatalf("%s: open %s: %v", name, path, err)
				}
				{
					if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
						_ = os.WriteFile(filepath.Join(art, "layout-"+name+".png"), png, 0o644)
					}
				}
				got, err := chromedp.Run(ctx, chromedp.Evaluate[measured](measureJS))
				if err != nil {
					t.Fatalf("%s: measure: %v", name, err)
				}
				texts += got.Texts
				t.Logf("%s: %v", name, time.Since(start).Round(time.Millisecond))
				outside += len(got.Outside)
				if len(got.Outside) > 0 {
					t.Errorf("%s %s: %d of %d chart texts fall outside their chart: %s", name, path, len(got.Outside), got.Texts, strings.Join(got.Outside, "; "))
				}
				clipped += len(got.Clipped)
				if len(got.Clipped) > 0 {
					t.Errorf("%s %s: %d chart texts are cut short with no <title> of the whole: %s", name, path, len(got.Clipped), strings.Join(got.Clipped, "; "))
				}
				if got.ScrollWidth > got.Viewport {
					t.Errorf("%s %s: the page scrolls sideways: %v px wide in a %v px viewport (%s)", name, path, got.ScrollWidth, got.Viewport, strings.Join(got.Wide, "; "))
				}
				if m.width == 390 {
					widest = max(widest, got.ScrollWidth)
					if got.Texts > 0 {
						smallest390 = min(smallest390, got.MinFont)
						if got.MinFont < 10 {
							t.Errorf("%s %s: chart text shrinks to %.1f px (want 10 or more)", name, path, got.MinFont)
						}
					}
				}
				if len(got.LowContrast) > 0 {
					t.Errorf("%s %s: %d chart texts hardly stand out from the page: %s", name, path, len(got.LowContrast), strings.Join(got.LowContrast[:min(3, len(got.LowContrast))], "; "))
				}
				key := r.who + path + fmt.Sprint(m.width)
				switch m.scheme {
				case "light":
					if m.media == "" {
						lightBg[key] = got.Background
					}
				case "dark":
					if m.media == "print" {
						break // paper: checked below
					}
					if got.Background == lightBg[key] {
						t.Errorf("%s %s: dark mode keeps the background %s", name, path, got.Background)
					}
				}
				if m.media == "print" {
					if got.Background != "rgb(255, 255, 255)" {
						t.Errorf("%s %s: a printed page's background is %s, not white paper", name, path, got.Background)
					}
					if !got.FooterShown || !strings.Contains(got.Footer, "最小人数") || !strings.Contains(got.Footer, r.who) || !regexp.MustCompile(`\d{4}-\d{2}-\d{2}`).MatchString(got.Footer) {
						t.Errorf("%s %s: the printed page lacks the footer with the k rule, the date and %s (shown %v): %q", name, path, r.who, got.FooterShown, got.Footer)
					}
					if strings.Contains(path, "survey") && !strings.Contains(got.Footer, "4 人未満") {
						t.Errorf("%s %s: the printed survey page's footer does not state its k (4): %q", name, path, got.Footer)
					}
				}
			}
		}
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("layout: %d chart texts measured, %d outside their chart, %d cut short without a title; at 390 px the widest page is %v px, the smallest chart text %.1f px", texts, outside, clipped, widest, smallest390)
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
