package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/soudan/soudan/store"
)

// Paths of the pages, all under /report/.
const (
	pathHome   = "/report/"
	pathOpen   = "/report/open"
	pathSurvey = "/report/survey/"
	pathStats  = "/report/stats/"
	pathStyle  = "/report/style.css"
)

// cookieName is the session cookie.
const cookieName = "soudan_report"

// linkEventPrefix keys an opened link's nonce in the seen events, which
// makes every link good for one opening.
const linkEventPrefix = "report-link:"

// itoa formats an id.
func itoa(id uint64) string { return strconv.FormatUint(id, 10) }

// secure says whether cookies must be Secure: served over TLS, or links
// start with https (TLS ends at a proxy in front).
func (a *Feature) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(strings.ToLower(a.base()), "https://")
}

// linkCheck is what checking a link found: its claims and user, the
// session already in this browser, or the refusal's message key.
type linkCheck struct {
	c          claims
	u          store.User
	hasSession bool
	refusal    string // "" when the link may be used
}

// check checks the link token tok: forged or altered, expired, someone
// else's session already in this browser, a user no longer known, or
// used before in another browser.
func (a *Feature) check(r *http.Request, tok string) (linkCheck, error) {
	key, err := a.key()
	if err != nil {
		return linkCheck{}, err
	}
	var lc linkCheck
	lc.c, err = verify(key, kindLink, tok, a.Now())
	switch {
	case errors.Is(err, errExpired):
		return linkCheck{refusal: "web.refused.expired"}, nil
	case err != nil:
		return linkCheck{refusal: "web.refused.forged"}, nil
	}
	current, has := a.session(r)
	lc.hasSession = has
	if has && current.ID != lc.c.User {
		return linkCheck{refusal: "web.refused.other_user"}, nil
	}
	var used bool
	err = a.Store.View(func(tx *store.Tx) error {
		var err error
		if lc.u, err = tx.User(lc.c.User); err != nil {
			return err
		}
		_, used, err = tx.SeenEvent(linkEventPrefix + lc.c.Nonce)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return linkCheck{refusal: "web.refused.forged"}, nil
	}
	if err != nil {
		return linkCheck{}, err
	}
	// A link opened again in the browser it was opened in is harmless;
	// anywhere else (forwarded, copied) it is refused.
	if used && !has {
		lc.refusal = "web.refused.used"
	}
	return lc, nil
}

// nextPath is the page a link leads to: a path under /report/, else the
// home page.
func nextPath(next string) string {
	if !strings.HasPrefix(next, pathHome) || strings.ContainsAny(next, "\\?#") || strings.Contains(next, "//") || strings.Contains(next, "..") {
		return pathHome
	}
	return next
}

// open answers a link clicked in the chat (GET): it checks the token and
// shows a button that uses it (POST). Opening the link changes nothing,
// so a link scanner that fetches it (a mail or chat gateway's safe-links
// check) does not use it up; and the session cookie, SameSite=Strict, is
// set by a request from this site.
func (a *Feature) open(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("t")
	lc, err := a.check(r, tok)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if lc.refusal != "" {
		a.refuse(w, r, "", lc.refusal)
		return
	}
	v := a.viewFor(lc.u, a.T(lc.u, "web.open.title"), opening{Token: tok, Next: nextPath(r.URL.Query().Get("next"))})
	a.render(w, r, http.StatusOK, "open", v)
}

// use answers the button of the open page (POST): it checks the token
// again, uses it up (once), sets the session cookie for a working day and
// sends the browser on to the page.
func (a *Feature) use(w http.ResponseWriter, r *http.Request) {
	if o := r.Header.Get("Origin"); o != "" && o != "null" && !sameHost(o, r.Host) {
		a.refuse(w, r, "", "web.refused.forged")
		return
	}
	tok := r.PostFormValue("t")
	lc, err := a.check(r, tok)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if lc.refusal != "" {
		a.refuse(w, r, "", lc.refusal)
		return
	}
	var first bool
	err = a.Store.Update(func(tx *store.Tx) (err error) {
		first, err = tx.MarkEvent(linkEventPrefix+lc.c.Nonce, "user:"+itoa(lc.c.User))
		return err
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !first && !lc.hasSession {
		a.refuse(w, r, a.Lang(lc.u), "web.refused.used")
		return
	}
	key, err := a.key()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.Now()
	sess := sign(key, claims{Kind: kindSession, User: lc.u.ID, Exp: now.Add(a.opt.SessionTTL), Nonce: newNonce()})
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: sess, Path: pathHome, Expires: now.Add(a.opt.SessionTTL), MaxAge: int(a.opt.SessionTTL.Seconds()),
		HttpOnly: true, Secure: a.secure(r), SameSite: http.SameSiteStrictMode,
	})
	http.Redirect(w, r, nextPath(r.PostFormValue("next")), http.StatusSeeOther)
}

// sameHost says whether the Origin header origin names host.
func sameHost(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host == host
}

// session is the user of the request's session cookie, as the store
// knows them now (roles may have changed since it was set); ok is false
// without a valid session or for a user no longer in the store.
func (a *Feature) session(r *http.Request) (store.User, bool) {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return store.User{}, false
	}
	key, err := a.key()
	if err != nil {
		return store.User{}, false
	}
	c, err := verify(key, kindSession, ck.Value, a.Now())
	if err != nil {
		return store.User{}, false
	}
	var u store.User
	if err := a.Store.View(func(tx *store.Tx) (err error) { u, err = tx.User(c.User); return err }); err != nil {
		return store.User{}, false
	}
	return u, true
}

// signedIn runs page for the session's user, or refuses the request.
func (a *Feature) signedIn(page func(w http.ResponseWriter, r *http.Request, u store.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := a.session(r)
		if !ok {
			a.refuse(w, r, "", "web.refused.no_session")
			return
		}
		page(w, r, u)
	}
}
