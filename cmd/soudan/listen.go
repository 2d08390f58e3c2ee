package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// Paths of the shared listener's own endpoints.
const (
	pathLive    = "/livez"
	pathReady   = "/readyz"
	pathMetrics = "/metrics"
	pathReports = "/report/" // the report pages (handlers/web)
)

// outboxStuckAfter is how long past due the oldest pending outbox message
// may be, with no attempt recorded meanwhile, before /readyz reports the
// outbox stuck.
const outboxStuckAfter = 10 * time.Minute

// listener is the one HTTP listener of -listen: the adapters' endpoints,
// health and metrics on one address.
type listener struct {
	ln  net.Listener
	srv *http.Server
}

// ListenAddr returns the address -listen is bound to once serve listens,
// else nil (tests listen on port 0 and ask).
func (m *Main) ListenAddr() net.Addr {
	m.listenMu.Lock()
	defer m.listenMu.Unlock()
	return m.listenAddr
}

// listen binds -listen, so that an address in use fails serve before any
// adapter starts.
func (m *Main) listen() (*listener, error) {
	ln, err := net.Listen("tcp", m.Config.Listen)
	if err != nil {
		return nil, fmt.Errorf("serve: listen on -listen %s: %w", m.Config.Listen, err)
	}
	m.listenMu.Lock()
	m.listenAddr = ln.Addr()
	m.listenMu.Unlock()
	return &listener{ln: ln}, nil
}

// serve serves h on the listener until ctx ends, then shuts the server
// down gracefully (requests under way finish), and returns. An error of
// the server before ctx ends is returned.
func (l *listener) serve(ctx context.Context, h http.Handler, log *slog.Logger) error {
	l.srv = &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- l.srv.Serve(l.ln) }()
	log.Info("http: listening", "addr", l.ln.Addr().String(), "paths", "/livez /readyz /metrics /report/ and the platforms' endpoints")
	var err error
	select {
	case err = <-errc:
		err = fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if serr := l.srv.Shutdown(sctx); serr != nil {
		log.Warn("http: stop the listener", "err", serr)
	}
	log.Info("http: stopped listening (shutting down)")
	return err
}

// serveMux is the shared listener's handler: the platforms' endpoints
// (mounted by each platform), /livez, /readyz and /metrics.
func (m *Main) serveMux(ctx context.Context, ps []platform, adapters []bot.Adapter, d bot.Dispatcher, ready *readiness, mt *metrics, pages http.Handler) *http.ServeMux {
	mux := http.NewServeMux()
	for i, p := range ps {
		if p.mount != nil {
			p.mount(ctx, adapters[i], d, mux)
		}
	}
	mux.HandleFunc("GET "+pathLive, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "ok\n")
	})
	mux.Handle("GET "+pathReady, ready)
	mux.Handle("GET "+pathMetrics, promhttp.HandlerFor(mt.reg, promhttp.HandlerOpts{Registry: mt.reg}))
	if pages != nil {
		mux.Handle(pathReports, pages)
	}
	if m.Config.Pprof {
		mountPprof(mux)
	}
	return mux
}

// readyStoreTimeout bounds the probe's wait for the database.
const readyStoreTimeout = 2 * time.Second

// readiness answers /readyz: 200 when the store answers a read, every
// platform adapter reports ready and the outbox is not stuck; otherwise
// 503 with one line per failed check. The reasons name no secret.
type readiness struct {
	st       *store.Store
	adapters []bot.Adapter
	now      func() time.Time
	// progress is when (in now's time, as Unix nanoseconds) the outbox
	// last recorded an attempt; 0: never since the start.
	progress atomic.Int64
}

// sent notes that the outbox recorded an attempt.
func (r *readiness) sent() { r.progress.Store(r.now().UnixNano()) }

// check returns why the bot is not ready; none when it is.
func (r *readiness) check() []string {
	var why []string
	var (
		next time.Time
		due  bool
	)
	// A database server that went away fails the probe quickly (a file
	// always answers), so that a load balancer stops sending this replica
	// events it could not store.
	ctx, cancel := context.WithTimeout(context.Background(), readyStoreTimeout)
	err := r.st.Ping(ctx)
	cancel()
	if err == nil {
		err = r.st.View(func(tx *store.Tx) error {
			var err error
			next, due, err = tx.Outbox().NextDue()
			return err
		})
		if err != nil {
			err = fmt.Errorf("a read transaction failed: %w", err)
		}
	}
	if err != nil {
		why = append(why, "store: "+oneLine(err))
	}
	for _, a := range r.adapters {
		rd, ok := a.(bot.Readiness)
		if !ok {
			continue
		}
		if err := rd.Ready(); err != nil {
			why = append(why, a.Platform()+": "+oneLine(err))
		}
	}
	if now := r.now(); err == nil && due && now.Sub(next) > outboxStuckAfter {
		last := time.Unix(0, r.progress.Load())
		if p := r.progress.Load(); p == 0 || now.Sub(last) > outboxStuckAfter {
			why = append(why, fmt.Sprintf("outbox: the oldest due message is %s past due and nothing was sent for %s", now.Sub(next).Round(time.Second), outboxStuckAfter))
		}
	}
	return why
}

// ServeHTTP answers /readyz.
func (r *readiness) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	why := r.check()
	if len(why) == 0 {
		_, _ = io.WriteString(w, "ok\n")
		return
	}
	w.WriteHeader(http.StatusServiceUnavailable)
	_, _ = io.WriteString(w, strings.Join(why, "\n")+"\n")
}

// oneLine is an error on one line.
func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// runShared runs the adapters behind the one listener until ctx ends or
// one of them, or the listener, fails. At the end the listener stops
// first (requests under way finish), then the adapters, so that nothing
// is dispatched to an adapter that has stopped.
func runShared(ctx context.Context, stop context.CancelFunc, l *listener, h http.Handler, log *slog.Logger, adapters []bot.Adapter, d bot.Dispatcher) error {
	actx, stopAdapters := context.WithCancel(context.WithoutCancel(ctx))
	defer stopAdapters()
	var (
		wg     sync.WaitGroup
		srvErr error
	)
	wg.Go(func() {
		srvErr = l.serve(ctx, h, log)
		if srvErr != nil {
			stop()
		}
		stopAdapters()
	})
	err := runAdapters(actx, stop, adapters, d)
	stop()
	wg.Wait()
	return errors.Join(srvErr, err)
}
