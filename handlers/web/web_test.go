package web

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// clock is a test clock that can move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration)   { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func (c *clock) Set(t time.Time)       { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) String() string        { return c.Now().String() }
func (c *clock) since(t time.Time) any { return c.Now().Sub(t) }

// fakeRounds are the rounds of fakeSurveys: 6 the first (every
// department shown), 7 the one the home page lists, 9 one where the
// organisation is under k (3 respondents, k = 4), 10 one after it (no
// change: the previous figures are hidden). prev is the previous round.
var fakeRounds = map[uint64]struct {
	period string
	prev   uint64
	cells  []figures.Cell
}{
	6:  {"2026-10", 0, []figures.Cell{group("総務課", 6, 8, 4), group("人事課", 5, 9, 3), group("会計課", 4, 2, 3)}},
	7:  {"2026-11", 6, []figures.Cell{group("総務課", 6, 10, 5), group("人事課", 5, 3, 2), group("会計課", 3, 9, 4)}},
	9:  {"2026-12", 7, []figures.Cell{group("総務課", 2, 10, 5), group("人事課", 1, 3, 2)}},
	10: {"2027-01", 9, []figures.Cell{group("総務課", 6, 9, 4), group("人事課", 5, 6, 3), group("会計課", 4, 10, 4)}},
}

// pageEnv is the feature on a test bot and an HTTP server of its pages.
type pageEnv struct {
	e   *testenv.Env
	f   *Feature
	srv *httptest.Server
	c   *clock
}

func newPageEnv(t testing.TB) *pageEnv {
	t.Helper()
	c := &clock{t: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)}
	e := testenv.New(t, testenv.Options{Clock: c.Now})
	p := &pageEnv{e: e, c: c}
	p.srv = httptest.NewServer(nil)
	t.Cleanup(p.srv.Close)
	p.f = New(e.Kit, Options{BaseURL: func() string { return p.srv.URL }, Surveys: fakeSurveys{}, Programme: fakeProgramme{}, Connections: fakeConnections{}})
	p.srv.Config.Handler = p.f.Handler()
	e.Register(p.f)
	for name, role := range map[string][2]string{"部長A": {store.RoleManager, "総務課"}, "部長B": {store.RoleManager, "会計課"}, "人事C": {store.RoleHR, ""}} {
		uid := e.User(name).ID
		if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(uid, func(u *store.User) error {
				u.Roles, u.ManagerOf = []string{role[0]}, store.DepartmentNames{role[1]}
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// linkFor asks the bot for a link as name.
func (p *pageEnv) linkFor(t *testing.T, name string) string {
	t.Helper()
	turn := p.e.OK(bottest.Command(name, "/soudan report"))
	if len(turn.Replies) != 1 || len(turn.Replies[0].Buttons) != 1 || turn.Replies[0].Buttons[0].URL == "" {
		t.Fatalf("/soudan report as %s: got %+v, want one reply with a link button", name, turn.Replies)
	}
	return turn.Replies[0].Buttons[0].URL
}

// browser is a client with its own cookies that does not follow
// redirects.
type browser struct {
	t *testing.T
	c *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar := &cookieJar{m: map[string]*http.Cookie{}}
	return &browser{t: t, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// cookieJar keeps cookies by name (the test server is plain HTTP on
// 127.0.0.1).
type cookieJar struct {
	mu sync.Mutex
	m  map[string]*http.Cookie
}

func (j *cookieJar) SetCookies(_ *url.URL, cs []*http.Cookie) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, c := range cs {
		j.m[c.Name] = c
	}
}

func (j *cookieJar) Cookies(*url.URL) []*http.Cookie {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []*http.Cookie
	for _, c := range j.m {
		out = append(out, c)
	}
	return out
}

// get fetches u and returns the response and its body.
func (b *browser) get(u string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Language", "ja")
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// post posts form values to u, from this site.
func (b *browser) post(u string, vals url.Values, origin string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "ja")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// formValues are the hidden inputs of the open page.
func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	vals := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		vals.Set(m[1], html.UnescapeString(m[2]))
	}
	if vals.Get("t") == "" {
		t.Fatalf("no token in the open page's form:\n%s", body)
	}
	return vals
}

// open opens link as a person does: the link's page, then its button;
// it returns the button's answer.
func (b *browser) open(link string) *http.Response {
	b.t.Helper()
	resp, body := b.get(link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<form method="post" action="/report/open">`) {
		b.t.Fatalf("open %s: got %d %q, want 200 and the button", link, resp.StatusCode, body)
	}
	checkHeaders(b.t, resp)
	u, _ := url.Parse(link)
	resp, body = b.post(u.Scheme+"://"+u.Host+"/report/open", formValues(b.t, body), u.Scheme+"://"+u.Host)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("the link's button: got %d %q, want 303", resp.StatusCode, body)
	}
	return resp
}

func TestLinkOpensASessionAndTheHomePage(t *testing.T) {
	p := newPageEnv(t)
	link := p.linkFor(t, "人事C")
	if !strings.HasPrefix(link, p.srv.URL+"/report/open?t=") {
		t.Fatalf("link = %q, want the base URL's /report/open", link)
	}
	// A link scanner fetching the link uses nothing up.
	if resp, _ := newBrowser(t).get(link); resp.StatusCode != http.StatusOK || len(resp.Cookies()) != 0 {
		t.Fatalf("a scanner's GET: got %d with cookies %v, want 200 and none", resp.StatusCode, resp.Cookies())
	}
	b := newBrowser(t)
	resp := b.open(link)
	if loc := resp.Header.Get("Location"); loc != "/report/" {
		t.Errorf("after the button: Location %q, want /report/", loc)
	}
	ck := resp.Cookies()
	if len(ck) != 1 || ck[0].Name != cookieName || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode || ck[0].Path != "/report/" || ck[0].Secure {
		t.Fatalf("session cookie: got %+v, want HttpOnly, SameSite=Strict, Path /report/, not Secure over http", ck)
	}
	if ck[0].MaxAge != int(DefaultSessionTTL.Seconds()) {
		t.Errorf("session lifetime: got %d s, want %v", ck[0].MaxAge, DefaultSessionTTL)
	}
	resp, body := b.get(p.srv.URL + "/report/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "エンゲージメント調査 (2026-11)") {
		t.Fatalf("home: got %d %q", resp.StatusCode, body)
	}
	checkHeaders(t, resp)
	if strings.Contains(body, "/report/stats/") {
		t.Errorf("hr's home links the programme statistics, which are for admins")
	}
	// The same link again in the same browser is harmless.
	b.open(link)
	// A post from another site (login CSRF) is refused.
	other := newBrowser(t)
	_, page := other.get(p.linkFor(t, "部長A"))
	if resp, _ := other.post(p.srv.URL+"/report/open", formValues(t, page), "https://evil.example"); resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
		t.Errorf("a cross-site post: got %d with cookies %v, want 403 and none", resp.StatusCode, resp.Cookies())
	}
	// After a working day the session ends.
	p.c.Add(DefaultSessionTTL + time.Minute)
	if resp, body := b.get(p.srv.URL + "/report/"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "ログイン") {
		t.Errorf("after the session: got %d %q, want 403 saying the session ended", resp.StatusCode, body)
	}
}

// checkHeaders checks the security headers of a page.
func checkHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	for k, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
		"Cache-Control":           "no-store",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := resp.Header.Get(k); got != want {
			t.Errorf("%s: got %q, want %q", k, got, want)
		}
	}
}

func TestRefusedLinks(t *testing.T) {
	p := newPageEnv(t)
	link := p.linkFor(t, "部長A")
	u, _ := url.Parse(link)
	tok := u.Query().Get("t")
	payload, sig, _ := strings.Cut(tok, ".")
	raw, _ := tokenEncoding.DecodeString(payload)
	other := strings.Replace(string(raw), ":"+itoa(p.e.User("部長A").ID)+":", ":"+itoa(p.e.User("人事C").ID)+":", 1)
	withTok := func(t string) string { return p.srv.URL + "/report/open?t=" + url.QueryEscape(t) }
	cases := []struct{ name, url, want string }{
		{"tampered: another user's id, same signature", withTok(tokenEncoding.EncodeToString([]byte(other)) + "." + sig), "書き換え"},
		{"forged: signed with another key", withTok(sign([]byte("not the bot's secret, 32 bytes.."), claims{Kind: kindLink, User: p.e.User("人事C").ID, Exp: p.c.Now().Add(time.Hour)})), "書き換え"},
		{"a session token as a link", withTok(sign(p.f.secret, claims{Kind: kindSession, User: 1, Exp: p.c.Now().Add(time.Hour)})), "書き換え"},
		{"no token", p.srv.URL + "/report/open", "無効"},
		{"signature altered", withTok(payload + "." + sig[:len(sig)-2] + "AA"), "無効"},
	}
	for _, c := range cases {
		resp, body := newBrowser(t).get(c.url)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, c.want) || len(resp.Cookies()) != 0 {
			t.Errorf("%s: got %d %q and cookies %v, want 403 saying %q and no cookie", c.name, resp.StatusCode, body, resp.Cookies(), c.want)
		}
		checkHeaders(t, resp)
	}
	// The genuine link still works once...
	b := newBrowser(t)
	b.open(link)
	// ...and not in another browser (forwarded).
	if resp, body := newBrowser(t).get(link); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "すでに使われて") {
		t.Errorf("a used link in another browser: got %d %q, want 403 already used", resp.StatusCode, body)
	}
	// Someone else's link opened where 部長A is signed in.
	if resp, body := b.get(p.linkFor(t, "人事C")); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "別の人") {
		t.Errorf("another user's link: got %d %q, want 403 belongs to someone else", resp.StatusCode, body)
	}
	// An expired link.
	late := p.linkFor(t, "部長B")
	p.c.Add(DefaultLinkTTL)
	if resp, body := newBrowser(t).get(late); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "有効期限") {
		t.Errorf("expired link: got %d %q, want 403 expired", resp.StatusCode, body)
	}
	// No session at all.
	if resp, body := newBrowser(t).get(p.srv.URL + "/report/survey/7"); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "/soudan report") {
		t.Errorf("no session: got %d %q, want 403 telling how to get a link", resp.StatusCode, body)
	}
}

// signIn opens a fresh link of name in a new browser.
func (p *pageEnv) signIn(t *testing.T, name string) *browser {
	t.Helper()
	b := newBrowser(t)
	b.open(p.linkFor(t, name))
	return b
}

// tags are HTML tags, to read a page's text.
var tags = regexp.MustCompile(`<[^>]*>`)

// untranslated is a catalog key left in a page.
var untranslated = regexp.MustCompile(`\bweb\.[a-z_]+`)

var externalURL = regexp.MustCompile(`(?i)(https?:)?//[a-z0-9]|src=|<script|url\(`)

func TestSurveyPage(t *testing.T) {
	p := newPageEnv(t)
	resp, body := p.signIn(t, "人事C").get(p.srv.URL + "/report/survey/7")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("hr's survey page: %d %s", resp.StatusCode, body)
	}
	checkHeaders(t, resp)
	if m := externalURL.FindString(body); m != "" {
		t.Errorf("the page refers outside itself or runs script: %q", m)
	}
	if m := untranslated.FindString(body); m != "" {
		t.Errorf("the page shows a catalog key: %q", m)
	}
	for _, want := range []string{"<svg", "総務課", "人事課", "会計課", "組織全体", "eNPS", "<table"} {
		if !strings.Contains(body, want) {
			t.Errorf("hr's page lacks %q", want)
		}
	}
	// 会計課 (3) is too small and 人事課 (5, the next smallest) is hidden
	// with it against differencing: their cells of this round say so in
	// words (the tables over the rounds show earlier rounds' figures).
	for _, dept := range []string{"会計課", "人事課"} {
		row := regexp.MustCompile(`<tr><th scope="row">`+dept+`</th>(.*?)</tr>`).FindAllStringSubmatch(thisRound(body), -1)
		if len(row) == 0 {
			t.Fatalf("no row of %s", dept)
		}
		for _, r := range row {
			if strings.ContainsAny(tags.ReplaceAllString(r[1], ""), "0123456789") {
				t.Errorf("a suppressed row of %s shows a number: %s", dept, r[1])
			}
			if !strings.Contains(r[1], "回答者が少ないため非表示") {
				t.Errorf("a suppressed row of %s does not say so: %s", dept, r[1])
			}
		}
	}
	// 総務課's heatmap: eNPS +100 (all 10s), 1.00 above the organisation.
	if !strings.Contains(body, "&#43;100 (&#43;") || !strings.Contains(body, `class="hp3"`) {
		t.Errorf("總務課's heatmap cells are not there: %s", body)
	}
	// A manager sees their department and the organisation only.
	_, mgr := p.signIn(t, "部長A").get(p.srv.URL + "/report/survey/7")
	if !strings.Contains(mgr, "総務課") || strings.Contains(mgr, "人事課") || strings.Contains(mgr, "会計課") {
		t.Errorf("manager of 総務課 sees other departments: %s", mgr)
	}
	// A member is refused.
	if resp, _ := p.signIn(t, "佐藤").get(p.srv.URL + "/report/survey/7"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a member's survey page: got %d, want 403", resp.StatusCode)
	}
	if resp, _ := p.signIn(t, "人事C").get(p.srv.URL + "/report/survey/8"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown round: got %d, want 404", resp.StatusCode)
	}
}

func TestStatsPageAdminsOnly(t *testing.T) {
	p := newPageEnv(t)
	if resp, _ := p.signIn(t, "人事C").get(p.srv.URL + "/report/stats/2026-11"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("hr's stats page: got %d, want 403", resp.StatusCode)
	}
	b := p.signIn(t, "admin")
	resp, body := b.get(p.srv.URL + "/report/stats/2026-11")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin's stats page: %d %s", resp.StatusCode, body)
	}
	if m := externalURL.FindString(body); m != "" {
		t.Errorf("the page refers outside itself: %q", m)
	}
	if m := untranslated.FindString(body); m != "" {
		t.Errorf("the page shows a catalog key: %q", m)
	}
	for _, want := range []string{"<svg", "<td>12</td>", "1.5 時間", "5.0 時間", "8.5", "キャリア", "2026-06", "2026-11"} {
		if !strings.Contains(body, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
	for _, bad := range []string{"2027-01", "2026-13", "x", "1900-01", "1999-12", "2026-1"} { // the rule of /soudan stats
		if resp, _ := b.get(p.srv.URL + "/report/stats/" + bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("stats of %s: got %d, want 404", bad, resp.StatusCode)
		}
	}
	if resp, _ := b.get(p.srv.URL + "/report/style.css"); resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
		t.Errorf("style.css: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestReportCommandWithoutBaseURL(t *testing.T) {
	e := testenv.New(t, testenv.Options{})
	e.Register(New(e.Kit, Options{}))
	if s := e.Refused(bottest.Command("佐藤", "/soudan report")); !strings.Contains(s, "提供していません") || !strings.Contains(s, "管理者に相談") {
		t.Errorf("no base URL: got %q", s)
	}
	// An admin is told the settings that serve the pages.
	e.Cmd("admin", "/soudan help")
	uid := e.User("admin").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Roles = []string{store.RoleAdmin}; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if s := e.Refused(bottest.Command("admin", "/soudan report")); !strings.Contains(s, "-listen :8080") || !strings.Contains(s, "-report-url") || strings.Contains(s, "管理者に相談") {
		t.Errorf("no base URL, as admin: got %q, want the settings named", s)
	}
}

// overRoundsRe matches the tables of a page over the last rounds (their
// captions say 推移): their rows hold earlier rounds' figures.
var overRoundsRe = regexp.MustCompile(`(?s)<table>\s*<caption>[^<]*推移[^<]*</caption>.*?</table>`)

// thisRound is body without its tables over the last rounds.
func thisRound(body string) string { return overRoundsRe.ReplaceAllString(body, "") }
