package main

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestReportPagesFromTheClosingDMs runs a survey round through the whole
// bot, closes it, and opens the link buttons of the closing DMs on the
// report pages: the manager of 総務課 sees their department and the
// organisation only, hr every department with 会計課 (3 people) and 人事課
// (hidden with it) marked too few; hr's link is refused in a browser
// where the manager is signed in.
func TestReportPagesFromTheClosingDMs(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(nil)
	defer srv.Close()
	fe := newFlowEnv(t, 3, func(o *botOptions) { o.Web.BaseURL = func() string { return srv.URL } })
	srv.Config.Handler = fe.bot.pages.Handler()
	depts := map[string][]string{"総務課": {"佐藤", "鈴木", "高橋", "田中", "伊藤"}, "人事課": {"渡辺", "山本", "中村", "小林", "清水"}, "会計課": {"加藤", "吉田", "山田"}}
	for d, people := range depts {
		fe.OK(bottest.Command("admin", "/soudan admin department add "+d))
		for _, p := range people {
			uid := fe.User(p).ID
			if _, err := storetest.Write(fe.St, func(tx *store.Tx) (store.User, error) {
				return tx.Users().Update(uid, func(u *store.User) error { u.Department, u.JoinYear = d, 2024; return nil })
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	fe.User("部長A")
	fe.User("人事C")
	fe.OK(bottest.Command("admin", "/soudan admin grant 部長A manager 総務課"))
	fe.OK(bottest.Command("admin", "/soudan admin grant 人事C hr"))
	turn := fe.OK(bottest.Command("admin", "/soudan survey send engagement"))
	confirm := turn.Replies[len(turn.Replies)-1].Buttons[0]
	turn = fe.OK(bottest.Press("admin", testenv.DM("admin"), confirm.ID, confirm.Value))
	prompts := map[string]bot.Button{}
	for _, d := range turn.Sent {
		if len(d.Reply.Buttons) > 0 {
			prompts[d.To.User] = d.Reply.Buttons[0]
		}
	}
	for _, people := range depts {
		for _, p := range people {
			b, ok := prompts[p]
			if !ok {
				t.Fatalf("no prompt to %s", p)
			}
			form := testenv.FormOf(t, fe.OK(bottest.Press(p, testenv.DM(p), b.ID, b.Value)))
			vals := map[string]string{}
			for _, in := range form.Inputs {
				if in.Kind == bot.InputScale {
					vals[in.Name] = strconv.Itoa(in.Max - 1)
				}
			}
			fe.OK(bottest.Submit(p, testenv.DM(p), form.ID, form.Value, vals))
		}
	}
	turn = fe.OK(bottest.Command("admin", "/soudan survey close engagement"))
	links := map[string]string{}
	for _, d := range turn.Sent {
		for _, b := range d.Reply.Buttons {
			if b.URL != "" {
				links[d.To.User] = b.URL
			}
		}
	}
	if links["部長A"] == "" || links["人事C"] == "" || !strings.Contains(links["部長A"], "next=%2Freport%2Fsurvey%2F") {
		t.Fatalf("closing DMs' link buttons: got %v, want the manager's and hr's survey pages", links)
	}
	mgr := newPageClient(t)
	page := mgr.follow(links["部長A"])
	if !strings.Contains(page, "総務課") || strings.Contains(page, "人事課") || strings.Contains(page, "会計課") {
		t.Errorf("the manager's page shows other departments:\n%s", page)
	}
	hr := newPageClient(t).follow(links["人事C"])
	for _, want := range []string{"総務課", "人事課", "会計課", "回答者が少ないため非表示"} {
		if !strings.Contains(hr, want) {
			t.Errorf("hr's page lacks %q", want)
		}
	}
	// hr's link again, in the manager's browser: refused.
	if code, _ := mgr.get(fe.OK(bottest.Command("人事C", "/soudan report")).Replies[0].Buttons[0].URL); code != http.StatusForbidden {
		t.Errorf("hr's link in the manager's browser: got %d, want 403", code)
	}
}

// pageClient is a browser: cookies kept, the refresh page followed by
// hand (as a browser does).
type pageClient struct {
	t      *testing.T
	c      *http.Client
	cookie string
	base   string
}

func newPageClient(t *testing.T) *pageClient {
	return &pageClient{t: t, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (p *pageClient) get(u string) (int, string) {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if p.cookie != "" {
		req.Header.Set("Cookie", p.cookie)
	}
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		p.cookie = c.Name + "=" + c.Value
	}
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// follow opens a link as a person does (the link's page, its button)
// and returns the page it leads to.
func (p *pageClient) follow(link string) string {
	p.t.Helper()
	code, body := p.get(link)
	if code != http.StatusOK {
		p.t.Fatalf("open %s: %d %s", link, code, body)
	}
	vals := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`).FindAllStringSubmatch(body, -1) {
		vals.Set(m[1], html.UnescapeString(m[2]))
	}
	base := link[:strings.Index(link, "/report/")]
	req, _ := http.NewRequest(http.MethodPost, base+"/report/open", strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin") // as a browser posts the page's own form
	resp, err := p.c.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		p.cookie = c.Name + "=" + c.Value
	}
	if resp.StatusCode != http.StatusSeeOther {
		p.t.Fatalf("the button of %s: %d", link, resp.StatusCode)
	}
	code, body = p.get(base + resp.Header.Get("Location"))
	if code != http.StatusOK {
		p.t.Fatalf("page %s: %d %s", resp.Header.Get("Location"), code, body)
	}
	return body
}
