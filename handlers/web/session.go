package web

import (
	"errors"
	"net/http"
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

// open answers a link: it checks the token (forged or altered, expired,
// used before, someone else's session already here), sets the session
// cookie and sends the browser on to the page without the token. It moves
// on with a page that refreshes rather than a redirect, so that the
// SameSite=Strict cookie is sent although the link was clicked in a chat
// on another site.
func (a *Feature) open(w http.ResponseWriter, r *http.Request) {
	key, err := a.key()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.Now()
	c, err := verify(key, kindLink, r.URL.Query().Get("t"), now)
	switch {
	case errors.Is(err, errExpired):
		a.refuse(w, r, "", "web.refused.expired")
		return
	case err != nil:
		a.refuse(w, r, "", "web.refused.forged")
		return
	}
	current, hasSession := a.session(r)
	if hasSession && current.ID != c.User {
		a.refuse(w, r, "", "web.refused.other_user")
		return
	}
	var u store.User
	var first bool
	err = a.Store.Update(func(tx *store.Tx) error {
		var err error
		if u, err = tx.User(c.User); err != nil {
			return err
		}
		first, err = tx.MarkEvent(linkEventPrefix+c.Nonce, "user:"+itoa(c.User))
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		a.refuse(w, r, "", "web.refused.forged")
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// A link opened again in the browser it was opened in is harmless;
	// anywhere else (forwarded, copied) it is refused.
	if !first && !hasSession {
		a.refuse(w, r, a.Lang(u), "web.refused.used")
		return
	}
	sess := sign(key, claims{Kind: kindSession, User: u.ID, Exp: now.Add(a.opt.SessionTTL), Nonce: newNonce()})
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: sess, Path: pathHome, Expires: now.Add(a.opt.SessionTTL), MaxAge: int(a.opt.SessionTTL.Seconds()),
		HttpOnly: true, Secure: a.secure(r), SameSite: http.SameSiteStrictMode,
	})
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, pathHome) || strings.ContainsAny(next, "\\?#") || strings.Contains(next, "//") || strings.Contains(next, "..") {
		next = pathHome
	}
	a.render(w, r, http.StatusOK, "moving", a.viewFor(u, a.T(u, "web.moving.title"), moving{Next: next}))
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
