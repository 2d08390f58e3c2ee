package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The profiler is on the shared listener only with -pprof.
func TestPprofOptIn(t *testing.T) {
	t.Parallel()
	_, base := startListenBot(t, "-teams-addr", "127.0.0.1:0")
	for _, p := range []string{pathPprof, pathPprof + "cmdline", pathPprof + "heap"} {
		if status, _ := httpGet(t, base+p); status != http.StatusNotFound {
			t.Errorf("GET %s without -pprof: status %d; want 404", p, status)
		}
	}
	_, base = startListenBot(t, "-teams-addr", "127.0.0.1:0", "-pprof")
	if status, body := httpGet(t, base+pathPprof); status != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("GET %s with -pprof: status %d, body %.80q; want the profile index", pathPprof, status, body)
	}
	if status, _ := httpGet(t, base+pathPprof+"heap?debug=1"); status != http.StatusOK {
		t.Errorf("GET heap profile with -pprof: status %d", status)
	}
	if status, _ := httpGet(t, base+pathLive); status != http.StatusOK {
		t.Errorf("GET /livez with -pprof: status %d", status)
	}
}

// Only loopback clients that no proxy forwarded see the profiler.
func TestPprofLoopbackOnly(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mountPprof(mux)
	for _, tc := range []struct {
		remote string
		header string
		want   int
	}{
		{"127.0.0.1:5000", "", http.StatusOK},
		{"[::1]:5000", "", http.StatusOK},
		{"192.0.2.7:5000", "", http.StatusNotFound},
		{"10.0.0.2:5000", "", http.StatusNotFound},
		{"127.0.0.1:5000", "203.0.113.9", http.StatusNotFound},
		{"garbage", "", http.StatusNotFound},
	} {
		r := httptest.NewRequest("GET", pathPprof, nil)
		r.RemoteAddr = tc.remote
		if tc.header != "" {
			r.Header.Set("X-Forwarded-For", tc.header)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("GET %s from %s (forwarded for %q): status %d; want %d", pathPprof, tc.remote, tc.header, w.Code, tc.want)
		}
	}
	if _, err := parse(t, "serve", "-pprof", "-teams-addr", ":0"); err == nil || !strings.Contains(err.Error(), "-listen") {
		t.Errorf("-pprof without -listen: %v; want a refusal naming -listen", err)
	}
}
