package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

//go:embed templates/*.html templates/style.css
var files embed.FS

// csp is the pages' Content-Security-Policy: nothing may load but the
// stylesheet from here; charts are inline SVG drawn with presentation
// attributes, images data: URLs at most; no script, no frame; the forms
// (a link's button, sign-out) post here.
const csp = "default-src 'none'; style-src 'self'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// pages are the templates, each the layout with its content.
var pages = func() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").ParseFS(files, "templates/layout.html"))
	out := map[string]*template.Template{}
	for _, name := range []string{"home", "survey", "stats", "connections", "refused", "open", "signedout"} {
		out[name] = template.Must(template.Must(layout.Clone()).ParseFS(files, "templates/"+name+".html"))
	}
	return out
}()

// style is the pages' stylesheet.
var style = func() []byte {
	b, err := files.ReadFile("templates/style.css")
	if err != nil {
		panic(err)
	}
	return b
}()

// view is what a template renders: the page's own data and the words of
// the viewer's language.
type view struct {
	Lang  string
	Title string
	Page  any
	// Who names the person signed in, beside the sign-out button; "" on
	// pages shown to no one signed in.
	Who string
	// Date is when the page was made (the footer says it, so a printed
	// page tells when and to whom it was shown).
	Date string
	// K is the round's minimum of respondents on a survey page (the footer
	// states it); 0 elsewhere.
	K   int
	kit *handlers.Kit
}

// Tr localizes key in the viewer's language.
func (v view) Tr(key string, kv ...any) string { return v.kit.TL(v.Lang, key, kv...) }

// viewFor is a view for u.
func (a *Feature) viewFor(u store.User, title string, page any) view {
	return view{Lang: a.Lang(u), Title: title, Page: page, kit: a.Kit}
}

// opening is the page of a link: a button that uses it.
type opening struct{ Token, Next string }

// Handler serves the pages under /report/ with the security headers on
// every answer. The token of a link is never logged: requests are not
// logged here, and a failure logs the error only.
func (a *Feature) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+pathOpen, a.open)
	mux.HandleFunc("POST "+pathOpen, a.use)
	mux.HandleFunc("POST "+pathOut, a.signOut)
	mux.HandleFunc("GET "+pathStyle, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "private, max-age=3600")
		_, _ = w.Write(style)
	})
	mux.HandleFunc("GET "+pathHome+"{$}", a.signedIn(a.home))
	mux.HandleFunc("GET "+pathSurvey+"{id}", a.signedIn(a.surveyPage))
	mux.HandleFunc("GET "+pathStats+"{month}", a.signedIn(a.statsPage))
	mux.HandleFunc("GET "+pathConnections+"{quarter}", a.signedIn(a.connectionsPage))
	mux.HandleFunc(pathHome, func(w http.ResponseWriter, r *http.Request) {
		a.refuseStatus(w, r, "", http.StatusNotFound, "web.refused.not_found")
	})
	return secured(mux)
}

// secured sets the headers every page carries.
func secured(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Frame-Options", "DENY")
		// Nothing reaches another site; requests to this one carry their
		// Origin (not "null", as under no-referrer), which fromThisSite
		// reads where a browser sends no Fetch Metadata.
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// render writes page with status.
func (a *Feature) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	if u, ok := viewer(r); ok && v.Who == "" {
		v.Who = displayName(u)
	}
	if v.Date == "" {
		v.Date = a.Now().In(a.Config.Location).Format("2006-01-02 15:04 MST")
	}
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// refused is the page of a refusal.
type refused struct{ Message string }

// refuse answers 403 with the localized message key, in lang or, when
// it is "", the browser's language.
func (a *Feature) refuse(w http.ResponseWriter, r *http.Request, lang, key string) {
	a.refuseStatus(w, r, lang, http.StatusForbidden, key)
}

// refuseStatus answers status with a page saying key.
func (a *Feature) refuseStatus(w http.ResponseWriter, r *http.Request, lang string, status int, key string, kv ...any) {
	if lang == "" {
		lang = browserLang(r, a.Config.DefaultLocale)
	}
	v := view{Lang: lang, kit: a.Kit, Page: refused{Message: a.TL(lang, key, kv...)}}
	v.Title = a.TL(lang, "web.refused.title")
	a.render(w, r, status, "refused", v)
}

// refuseError answers a feature's refusal (*bot.Error) with its status
// and message; any other error is a failure.
func (a *Feature) refuseError(w http.ResponseWriter, r *http.Request, u store.User, err error) {
	e, ok := bot.AsError(err)
	if !ok {
		a.fail(w, r, err)
		return
	}
	status := http.StatusForbidden
	switch e.Code {
	case bot.CodeNotFound:
		status = http.StatusNotFound
	case bot.CodeConflict, bot.CodeInvalid:
		status = http.StatusConflict
	}
	lang := a.Lang(u)
	v := view{Lang: lang, kit: a.Kit, Title: a.TL(lang, "web.refused.title"), Page: refused{Message: a.TM(lang, e.MsgKey, e.Args)}}
	a.render(w, r, status, "refused", v)
}

// fail answers 500 and logs err (never the request's URL: it may hold a
// token).
func (a *Feature) fail(w http.ResponseWriter, r *http.Request, err error) {
	a.Log.Error("report pages: failed", "path", r.URL.Path, "err", err)
	lang := browserLang(r, a.Config.DefaultLocale)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte(a.TL(lang, "web.error.failed") + "\n"))
}

// browserLang is the first language of Accept-Language soudan speaks, or
// def.
func browserLang(r *http.Request, def string) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l := handlers.LangOf(tag, ""); l != "" {
			return l
		}
	}
	return handlers.LangOf(def, "ja")
}
