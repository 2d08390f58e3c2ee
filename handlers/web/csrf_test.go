package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// postWith posts form values to u with exactly the given headers (Origin,
// Sec-Fetch-Site: "" leaves one out), as b, and returns the answer.
func (b *browser) postWith(u string, vals url.Values, hdr map[string]string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "ja")
	for k, v := range hdr {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// Login CSRF: another site's form posting the attacker's own link to the
// victim's browser must not sign the victim in as the attacker. The link
// page sends no Referer, and Chromium posts its form with "Origin: null";
// accepting null let any site's form (a sandboxed frame, a data: URL,
// also null) sign victims in. Now Fetch Metadata decides, and without it
// only the configured origin will do.
func TestLoginCSRFIsRefused(t *testing.T) {
	p := newPageEnv(t)
	attacker := newBrowser(t)
	_, page := attacker.get(p.linkFor(t, "部長A"))
	vals := formValues(t, page) // the attacker's own, unused token
	for _, tc := range []struct{ name, origin, site string }{
		{"Origin null, no Fetch Metadata", "null", ""},
		{"Origin null, cross-site", "null", "cross-site"},
		{"another origin, cross-site", "https://evil.example", "cross-site"},
		{"a sibling subdomain, same-site", "https://evil.127.0.0.1.example", "same-site"},
		{"typed or bookmarked (none)", "", "none"},
		{"this origin, but the browser says cross-site", p.srv.URL, "cross-site"},
		{"neither header", "", ""},
		{"another origin, no Fetch Metadata", "https://evil.example", ""},
	} {
		victim := newBrowser(t)
		resp, body := victim.postWith(p.srv.URL+pathOpen, vals, map[string]string{"Origin": tc.origin, "Sec-Fetch-Site": tc.site})
		if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 || !strings.Contains(body, "レポート画面そのものから送られたものではない") {
			t.Errorf("%s: got %d, cookies %v, want 403 saying so and no session", tc.name, resp.StatusCode, resp.Cookies())
		}
		if resp, _ := victim.get(p.srv.URL + "/report/"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: the victim's browser is signed in (home: %d)", tc.name, resp.StatusCode)
		}
	}
	// Refused, the attacker's link was not used up, and the pages' own
	// post (Chromium: same-origin, and Origin null under no-referrer) works.
	resp, _ := attacker.postWith(p.srv.URL+pathOpen, vals, map[string]string{"Origin": "null", "Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) != 1 {
		t.Fatalf("the page's own post: got %d, cookies %v; want 303 and a session", resp.StatusCode, resp.Cookies())
	}
}

// Behind a proxy that rewrites Host, the page's own post carries the
// public origin: it is compared with the configured report URL's, not
// with Host (which refused the page's own post), and an Origin that
// names the inner address is not the site's.
func TestOriginIsTheReportURLs(t *testing.T) {
	p := newPageEnv(t)
	const public = "https://reports.example.jp"
	f := New(p.e.Kit, Options{BaseURL: func() string { return public + "/" }, Surveys: fakeSurveys{}, Programme: fakeProgramme{}, Connections: fakeConnections{}})
	inner := httptest.NewServer(f.Handler())
	t.Cleanup(inner.Close)
	for _, tc := range []struct {
		origin string
		want   int
	}{
		{"https://evil.example", http.StatusForbidden},
		{inner.URL, http.StatusForbidden}, // the Host the proxy sends, not the site
		{"http://reports.example.jp", http.StatusForbidden},
		{public, http.StatusSeeOther},
		{"https://REPORTS.example.jp:443", http.StatusSeeOther},
	} {
		b := newBrowser(t)
		_, page := b.get(strings.Replace(p.linkFor(t, "人事C"), p.srv.URL, inner.URL, 1))
		if resp, _ := b.postWith(inner.URL+pathOpen, formValues(t, page), map[string]string{"Origin": tc.origin}); resp.StatusCode != tc.want {
			t.Errorf("Origin %s behind the proxy: got %d, want %d", tc.origin, resp.StatusCode, tc.want)
		}
	}
}

// The pages say who is signed in and sign out with a POST protected like
// the link's; signed out, the session is gone for good, even a copy of
// its cookie. A browser signed in as someone else names them and offers
// sign-out, after which the person's own link works.
func TestSignedInAsAndSignOut(t *testing.T) {
	p := newPageEnv(t)
	b := newBrowser(t)
	resp := b.open(p.linkFor(t, "部長A"))
	cookie := resp.Cookies()[0].Value
	_, home := b.get(p.srv.URL + "/report/")
	if !strings.Contains(home, "部長A としてログイン中") || !strings.Contains(home, `<form class="who" method="post" action="/report/signout">`) {
		t.Fatalf("home does not name the person signed in with a sign-out button:\n%s", home)
	}
	if _, open := b.get(p.linkFor(t, "人事C")); !strings.Contains(open, "部長A としてログイン中") || !strings.Contains(open, "ログアウトしてから") {
		t.Errorf("another's link in this browser: the refusal does not name 部長A with a sign-out button:\n%s", open)
	}
	// Another site's sign-out is refused: no one is signed out by it.
	if resp, _ := b.postWith(p.srv.URL+pathOut, nil, map[string]string{"Origin": "null", "Sec-Fetch-Site": "cross-site"}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sign-out: got %d, want 403", resp.StatusCode)
	}
	if resp, _ := b.get(p.srv.URL + "/report/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("after a refused sign-out: home %d, want still signed in", resp.StatusCode)
	}
	resp, body := b.postWith(p.srv.URL+pathOut, nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "ログアウトしました") || strings.Contains(body, "ログイン中") {
		t.Fatalf("sign-out: got %d %q", resp.StatusCode, body)
	}
	if ck := resp.Cookies(); len(ck) != 1 || ck[0].Name != cookieName || ck[0].MaxAge >= 0 {
		t.Errorf("sign-out cookie: %+v, want %s cleared", ck, cookieName)
	}
	if resp, _ := b.get(p.srv.URL + "/report/"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("after sign-out: home %d, want 403", resp.StatusCode)
	}
	copied := newBrowser(t)
	copied.c.Jar.SetCookies(nil, []*http.Cookie{{Name: cookieName, Value: cookie}})
	if resp, _ := copied.get(p.srv.URL + "/report/"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a copy of the signed-out cookie: home %d, want 403", resp.StatusCode)
	}
	// Signed out, the browser takes the other person's link.
	b.open(p.linkFor(t, "人事C"))
	if _, home := b.get(p.srv.URL + "/report/"); !strings.Contains(home, "人事C としてログイン中") {
		t.Errorf("after sign-out, 人事C's link: home does not name 人事C")
	}
}
