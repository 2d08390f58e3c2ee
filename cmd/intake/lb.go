package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// balancer is the load balancer in front of the replicas: round robin
// over their listeners on loopback, as a cloud load balancer or nginx
// spreads Slack's requests. A replica that refuses the connection (killed,
// restarting) is passed over for the next, as a balancer's failed-upstream
// retry does: nothing of the request reached it. One that fails after
// the request was sent answers 502, and the sender (Slack, here the
// loader) retries the event.
//
// With health checks (checkReady), it polls each replica's /readyz as a
// cloud balancer or HAProxy does and sends events to the ready ones only
// (to every replica when none is ready), so that a replica that lost its
// database is passed over before a request waits on it.
type balancer struct {
	backends []string // host:port of each replica; a restart keeps its port
	next     atomic.Uint64
	srv      *http.Server
	ln       net.Listener
	proxy    *httputil.ReverseProxy

	down    []atomic.Bool // by backend: its last /readyz failed
	mu      sync.Mutex
	changes []readyChange // every change of a backend's readiness, in order
	stop    chan struct{}
	checks  sync.WaitGroup
}

// readyChange is a backend's /readyz turning failed or ready again.
type readyChange struct {
	backend int
	ready   bool
	at      time.Time
}

// Health checks: how often, and how long a probe may take (a probe that
// does not answer in time fails, as a balancer's does).
const (
	checkEvery   = 250 * time.Millisecond
	checkTimeout = 3 * time.Second
)

// checkReady starts polling every backend's /readyz.
func (b *balancer) checkReady() {
	client := &http.Client{Timeout: checkTimeout}
	for i, host := range b.backends {
		b.checks.Go(func() {
			t := time.NewTicker(checkEvery)
			defer t.Stop()
			for {
				select {
				case <-b.stop:
					return
				case <-t.C:
				}
				ready := false
				if resp, err := client.Get("http://" + host + "/readyz"); err == nil {
					resp.Body.Close()
					ready = resp.StatusCode == http.StatusOK
				}
				if was := !b.down[i].Swap(!ready); was != ready {
					b.mu.Lock()
					b.changes = append(b.changes, readyChange{backend: i, ready: ready, at: time.Now()})
					b.mu.Unlock()
				}
			}
		})
	}
}

// readiness returns the changes of the backends' readiness so far.
func (b *balancer) readiness() []readyChange {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]readyChange(nil), b.changes...)
}

// order is the backends to try for one request: starting at the next in
// turn, the ready ones, or every one when none is.
func (b *balancer) order() []string {
	start := int(b.next.Add(1))
	var ready, all []string
	for i := range b.backends {
		j := (start + i) % len(b.backends)
		all = append(all, b.backends[j])
		if !b.down[j].Load() {
			ready = append(ready, b.backends[j])
		}
	}
	if len(ready) == 0 {
		return all
	}
	return ready
}

// errAllDown: no replica accepted the connection.
var errAllDown = errors.New("no replica accepts connections")

// newBalancer listens on a free loopback port.
func newBalancer(backends []string) (*balancer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &balancer{backends: backends, ln: ln, down: make([]atomic.Bool, len(backends)), stop: make(chan struct{})}
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	b.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: "http", Host: r.In.Host})
			r.Out.Host = r.In.Host
		},
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			// Try each replica at most once, starting at the next in turn.
			var last error = errAllDown
			for _, host := range b.order() {
				r2 := r.Clone(r.Context())
				r2.URL.Host = host
				if r.GetBody != nil {
					body, err := r.GetBody()
					if err != nil {
						return nil, err
					}
					r2.Body = body
				}
				resp, err := tr.RoundTrip(r2)
				if err == nil {
					return resp, nil
				}
				last = err
				var op *net.OpError
				if !errors.As(err, &op) || op.Op != "dial" {
					return nil, err // the request may have reached it: the sender retries
				}
			}
			return nil, last
		}),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, "bad gateway: "+err.Error(), http.StatusBadGateway)
		},
	}
	b.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Buffer the body so that a refused connection can be retried on
		// the next replica.
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body := func() io.ReadCloser { return io.NopCloser(bytes.NewReader(raw)) }
		r.Body, r.GetBody = body(), func() (io.ReadCloser, error) { return body(), nil }
		b.proxy.ServeHTTP(w, r)
	})}
	go b.srv.Serve(ln)
	return b, nil
}

// url is the balancer's base URL.
func (b *balancer) url() string { return "http://" + b.ln.Addr().String() }

func (b *balancer) close() {
	b.srv.Close()
	close(b.stop)
	b.checks.Wait()
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
