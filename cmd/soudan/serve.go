package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/soudan/soudan/bot"
)

// platform is a chat platform soudan can serve. Each adapter adds one to
// platforms, in its own file.
type platform struct {
	name       string
	configured func(*Config) bool
	// open makes the platform's adapter from the settings.
	open func(m *Main) (bot.Adapter, error)
	// mount adds the adapter's endpoints to the shared listener's mux
	// (-listen); nil or a no-op when it has none (Socket Mode).
	mount func(ctx context.Context, a bot.Adapter, d bot.Dispatcher, mux *http.ServeMux)
}

// platforms lists every platform soudan can serve, in the order they
// start.
var platforms = []platform{slackPlatform, teamsPlatform}

// configuredPlatforms are the platforms whose settings are present.
func configuredPlatforms(cfg *Config) []platform {
	var out []platform
	for _, p := range platforms {
		if p.configured(cfg) {
			out = append(out, p)
		}
	}
	return out
}

// errNoPlatform is serve's answer when no platform is configured.
var errNoPlatform = errors.New("serve: no chat platform is configured; set the Slack or Teams settings (soudan -h), or run `soudan console` to use the local console")

// runServe runs the bot on every configured platform until ctx ends or one
// of them fails: one data file, one set of handlers, one scheduler, and a
// sender that reaches each platform through its own adapter.
func (m *Main) runServe(ctx context.Context) error {
	ps := configuredPlatforms(&m.Config)
	if len(ps) == 0 {
		return errNoPlatform
	}
	if err := m.openStore(); err != nil {
		return err
	}
	var l *listener
	if m.Config.Listen != "" {
		var err error
		if l, err = m.listen(); err != nil {
			return err
		}
		defer l.ln.Close()
	}
	mux := bot.Mux{}
	adapters := make([]bot.Adapter, 0, len(ps))
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		a, err := p.open(m)
		if err != nil {
			return fmt.Errorf("serve: %s: %w", p.name, err)
		}
		mux[a.Platform()] = a
		adapters = append(adapters, a)
		names = append(names, a.Platform())
	}
	opt := m.botOptions(mux)
	var (
		mt    *metrics
		ready *readiness
	)
	if l != nil {
		mt = newMetrics(names)
		if m.Config.replicated() {
			registerReplica(mt.reg, m.Config.replicaName(), m.store)
		}
		ready = &readiness{st: m.store, adapters: adapters, now: m.Now}
		opt.OnReceive, opt.Kit.Observe = mt.onReceive, mt.observe
		opt.OnSendResult = func(platform, result string, rateLimited bool) {
			ready.sent()
			mt.onSend(platform, result, rateLimited)
		}
	}
	app, err := newBot(opt)
	if err != nil {
		return err
	}
	pending, err := app.intake.Pending()
	if err != nil {
		return err
	}
	ctx, m.cancel = context.WithCancel(ctx)
	if err := m.startScheduler(ctx, app, false); err != nil {
		return err
	}
	m.startOutbox(ctx, app)
	m.bg.Go(func() { app.resume(ctx, m.log, pending, adapters...) })
	m.bg.Go(func() { app.retryKept(ctx, adapters...) })
	m.bg.Go(func() { app.keepAlive(ctx, adapters...) })
	if l == nil {
		return runAdapters(ctx, m.cancel, adapters, app.intake)
	}
	mt.watch(m.store, app.intake.Depth)
	registerEngine(mt.reg, m.store)
	h := m.serveMux(ctx, ps, adapters, app.intake, ready, mt, app.pages.Handler())
	return runShared(ctx, m.cancel, l, h, m.log, adapters, app.intake)
}

// runAdapters runs every adapter until ctx ends; the first adapter to fail
// stops the others and its error is returned.
func runAdapters(ctx context.Context, stop context.CancelFunc, adapters []bot.Adapter, d bot.Dispatcher) error {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	for _, a := range adapters {
		wg.Go(func() {
			err := a.Run(ctx, d)
			if err != nil && ctx.Err() == nil {
				once.Do(func() { first = fmt.Errorf("%s: %w", a.Platform(), err) })
				stop()
			}
		})
	}
	wg.Wait()
	return first
}
