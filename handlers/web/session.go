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
	pathHome        = "/report/"
	pathOpen        = "/report/open"
	pathOut         = "/report/signout"
	pathSurvey      = "/report/survey/"
	pathStats       = "/report/stats/"
	pathConnections = "/report/connections/"
	pathStyle       = "/report/style.css"
)

// cookieName is the session cookie.
const cookieName = "soudan_report"

// linkEventPrefix keys an opened link's nonce in the seen events, which
// makes every link good for one opening.
const linkEventPrefix = "report-link:"

// signedOutPrefix keys a signed-out session's nonce in the seen events
// (kept a week, longer than a session lasts): its cookie, copied before
// sign-out, is no good.
const signedOutPrefix = "report-signout:"

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
	refusal    string     // "" when the link may be used
	current    store.User // who this browser is signed in as, when refused for it
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
		return linkCheck{refusal: "web.refused.other_user", current: current}, nil
	}
	var used bool
	err = a.View(func(tx *store.Tx) error {
		var err error
		if lc.u, err = tx.Users().ByID(lc.c.User); err != nil {
			return err
		}
		_, used, err = tx.Events().Seen(linkEventPrefix + lc.c.Nonce)
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
		a.refuseLink(w, r, lc)
		return
	}
	v := a.viewFor(lc.u, a.T(lc.u, "web.open.title"), opening{Token: tok, Next: nextPath(r.URL.Query().Get("next"))})
	a.render(w, r, http.StatusOK, "open", v)
}

// use answers the button of the open page (POST): it checks the token
// again, uses it up (once), sets the session cookie for a working day and
// sends the browser on to the page.
func (a *Feature) use(w http.ResponseWriter, r *http.Request) {
	if !a.fromThisSite(r) {
		a.refuse(w, r, "", "web.refused.cross_site")
		return
	}
	tok := r.PostFormValue("t")
	lc, err := a.check(r, tok)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if lc.refusal != "" {
		a.refuseLink(w, r, lc)
		return
	}
	var first bool
	err = a.Commit(r.Context(), func(tx *store.Tx) (err error) {
		first, err = tx.Events().Mark(linkEventPrefix+lc.c.Nonce, "user:"+itoa(lc.c.User))
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

// refuseLink refuses a link for the reason lc found; refused because this
// browser is signed in as someone else, the page names them and offers
// sign-out, so the person whose link it is can use it after.
func (a *Feature) refuseLink(w http.ResponseWriter, r *http.Request, lc linkCheck) {
	if lc.current.ID != 0 {
		r = withViewer(r, lc.current)
	}
	a.refuse(w, r, "", lc.refusal)
}

// signOut answers the pages' sign-out button (POST): the session ends in
// this browser (its cookie is cleared) and for good (its nonce is marked,
// so a copy of the cookie is no good either).
func (a *Feature) signOut(w http.ResponseWriter, r *http.Request) {
	if !a.fromThisSite(r) {
		a.refuse(w, r, "", "web.refused.cross_site")
		return
	}
	lang := browserLang(r, a.Config.DefaultLocale)
	if u, c, ok := a.sessionClaims(r); ok {
		lang = a.Lang(u)
		if err := a.Commit(r.Context(), func(tx *store.Tx) error {
			_, err := tx.Events().Mark(signedOutPrefix+c.Nonce, "user:"+itoa(u.ID))
			return err
		}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: "", Path: pathHome, MaxAge: -1,
		HttpOnly: true, Secure: a.secure(r), SameSite: http.SameSiteStrictMode,
	})
	v := view{Lang: lang, kit: a.Kit, Title: a.TL(lang, "web.signout.title"), Page: refused{Message: a.TL(lang, "web.signout.done")}}
	a.render(w, r, http.StatusOK, "signedout", v)
}

// session is the user of the request's session cookie, as the store
// knows them now (roles may have changed since it was set); ok is false
// without a valid session or for a user no longer in the store.
func (a *Feature) session(r *http.Request) (store.User, bool) {
	u, _, ok := a.sessionClaims(r)
	return u, ok
}

// sessionClaims is session with the session's claims; a session signed
// out is no session.
func (a *Feature) sessionClaims(r *http.Request) (store.User, claims, bool) {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return store.User{}, claims{}, false
	}
	key, err := a.key()
	if err != nil {
		return store.User{}, claims{}, false
	}
	c, err := verify(key, kindSession, ck.Value, a.Now())
	if err != nil {
		return store.User{}, claims{}, false
	}
	var u store.User
	var out bool
	if err := a.View(func(tx *store.Tx) (err error) {
		if u, err = tx.Users().ByID(c.User); err != nil {
			return err
		}
		_, out, err = tx.Events().Seen(signedOutPrefix + c.Nonce)
		return err
	}); err != nil || out {
		return store.User{}, claims{}, false
	}
	return u, c, true
}

// signedIn runs page for the session's user, or refuses the request.
func (a *Feature) signedIn(page func(w http.ResponseWriter, r *http.Request, u store.User)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, ok := a.session(r)
		if !ok {
			a.refuse(w, r, "", "web.refused.no_session")
			return
		}
		page(w, withViewer(r, u), u)
	}
}
