package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/soudan/soudan/store"
)

// fromThisSite says whether a request that changes something (the link's
// button, sign-out: POSTs) was made by the pages themselves. Anything
// else is refused: a form on another site posting an attacker's own link
// would sign the victim in as the attacker (login CSRF), and then see
// what the attacker chose while the victim's own links were refused as
// someone else's.
//
// The browser's Fetch Metadata decides first: Sec-Fetch-Site must be
// same-origin, which a browser sends only for a request from a page of
// this very origin; cross-site, same-site (a sibling subdomain, possibly
// someone else's) and none (typed, bookmarked) are refused, whatever
// Origin says. A browser without Fetch Metadata must send an Origin that
// is the configured report URL's origin (-report-url; behind a proxy the
// Host header may be anything), or this request's own when none is set;
// "null" (a sandboxed frame, a data: URL, a page with no-referrer), no
// Origin at all, or another origin is refused.
func (a *Feature) fromThisSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin":
		return true
	case "":
		o := r.Header.Get("Origin")
		return o != "" && o != "null" && sameOrigin(o, a.siteOrigin(r))
	}
	return false
}

// siteOrigin is the origin of the pages: the configured base URL's, else
// the request's own (scheme from TLS, and the Host header).
func (a *Feature) siteOrigin(r *http.Request) string {
	if b := a.base(); b != "" {
		return b
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// sameOrigin says whether the URLs a and b have one origin: scheme, host
// and port, with the scheme's default port spelled or not.
func sameOrigin(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil || ua.Host == "" || ub.Host == "" {
		return false
	}
	return strings.EqualFold(ua.Scheme, ub.Scheme) && hostPort(ua) == hostPort(ub)
}

// hostPort is u's host and port, lower-case, the default port filled in.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

// viewerKey keys the signed-in user of a request in its context.
type viewerKey struct{}

// withViewer is r with u as the person signed in, whom the pages name
// beside their sign-out button.
func withViewer(r *http.Request, u store.User) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), viewerKey{}, u))
}

// viewer is the person signed in on r, if the page knows them.
func viewer(r *http.Request) (store.User, bool) {
	u, ok := r.Context().Value(viewerKey{}).(store.User)
	return u, ok
}

// displayName is how the pages name u.
func displayName(u store.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.PlatformID
}
