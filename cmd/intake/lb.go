package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
)

// balancer is the load balancer in front of the replicas: round robin
// over their listeners on loopback, as a cloud load balancer or nginx
// spreads Slack's requests. A replica that refuses the connection (killed,
// restarting) is passed over for the next, as a balancer's failed-upstream
// retry does: nothing of the request reached it. One that fails after
// the request was sent answers 502, and the sender (Slack, here the
// loader) retries the event.
type balancer struct {
	backends []string // host:port of each replica; a restart keeps its port
	next     atomic.Uint64
	srv      *http.Server
	ln       net.Listener
	proxy    *httputil.ReverseProxy
}

// errAllDown: no replica accepted the connection.
var errAllDown = errors.New("no replica accepts connections")

// newBalancer listens on a free loopback port.
func newBalancer(backends []string) (*balancer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &balancer{backends: backends, ln: ln}
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	b.proxy = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(&url.URL{Scheme: "http", Host: r.In.Host})
			r.Out.Host = r.In.Host
		},
		Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			// Try each replica at most once, starting at the next in turn.
			hosts := b.backends
			start := b.next.Add(1)
			var last error = errAllDown
			for i := range hosts {
				r2 := r.Clone(r.Context())
				r2.URL.Host = hosts[(int(start)+i)%len(hosts)]
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

func (b *balancer) close() { b.srv.Close() }

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
