package main

import (
	"net"
	"net/http"
	"net/http/pprof"
)

// pathPprof is where -pprof serves Go's profiler on the shared listener.
const pathPprof = "/debug/pprof/"

// mountPprof serves Go's profiler under pathPprof, to loopback clients
// only (see loopbackOnly). It is mounted only with -pprof: without it the
// paths are 404 like any unknown one.
func mountPprof(mux *http.ServeMux) {
	mux.Handle(pathPprof, loopbackOnly(http.HandlerFunc(pprof.Index)))
	mux.Handle(pathPprof+"cmdline", loopbackOnly(http.HandlerFunc(pprof.Cmdline)))
	mux.Handle(pathPprof+"profile", loopbackOnly(http.HandlerFunc(pprof.Profile)))
	mux.Handle(pathPprof+"symbol", loopbackOnly(http.HandlerFunc(pprof.Symbol)))
	mux.Handle(pathPprof+"trace", loopbackOnly(http.HandlerFunc(pprof.Trace)))
}

// loopbackOnly answers 404, as if the path did not exist, unless the
// request comes from a loopback address and was not forwarded by a proxy
// (a reverse proxy on the same host connects from loopback, but names
// the real client in Forwarded or X-Forwarded-For).
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		ip := net.ParseIP(host)
		forwarded := r.Header.Get("Forwarded") != "" || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Real-Ip") != ""
		if err != nil || ip == nil || !ip.IsLoopback() || forwarded {
			http.NotFound(w, r)
			return
		}
		h.ServeHTTP(w, r)
	})
}
