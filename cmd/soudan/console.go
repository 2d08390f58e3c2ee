package main

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
	"github.com/soudan/soudan/handlers/demo"
)

// botName is the bot's name: the console's "@soudan" and the "/soudan"
// command prefix.
const botName = "soudan"

// runConsole runs the bot on the terminal until its input ends: the data
// file, the handlers, the console adapter and the scheduler.
func (m *Main) runConsole(ctx context.Context) error {
	if err := m.openStore(); err != nil {
		return err
	}
	if m.Config.Demo {
		// Before the bot touches the file: sample data never joins a
		// workspace's data (the Docker image names its file in SOUDAN_DB).
		if err := demo.Check(m.store); err != nil {
			return fmt.Errorf("-demo refuses %s: %w. The demo's sample topics, mentors and tips must not mix with a workspace's data: give the demo a file of its own (without -db and SOUDAN_DB it uses %s), or name a new file with -db", m.Config.DataFile(), err, demoDB)
		}
	}
	turns := &consoleTurns{log: m.log}
	adapter := console.New(m.Stdin, m.Stdout, console.Options{
		BotName:     botName,
		DefaultUser: m.Config.ConsoleUser,
		Locale:      m.Config.Lang, // -lang: users who did not choose one speak it
		Now:         m.Now,
		State:       storePorts{m.store}, // history survives restarts, so ids never collide
		AfterLine:   turns.flush,
		// A script runs on after an error nobody reads: a failed :as must
		// not post the lines meant for someone else as the user before,
		// and a place kept from the last run (a thread) is said aloud.
		StopAfterFailedAs: true,
		AnnounceResumed:   true,
	})
	o := m.botOptions(bot.Mux{bot.PlatformConsole: adapter})
	o.Kit.FirstUserAdmin = true
	app, err := newBot(o)
	if err != nil {
		return err
	}
	turns.out, turns.d = app.out, app.intake
	if m.Config.Demo {
		if err := demo.Seed(ctx, m.store); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}
	terminal := m.terminal
	if terminal == nil {
		terminal = stdinIsTerminal
	}
	if terminal(m.Stdin) {
		// A person at a terminal is greeted; a script's transcript stays
		// as it was.
		adapter.Say(m.banner())
	}
	pending, err := app.intake.Pending()
	if err != nil {
		return err
	}
	ctx, m.cancel = context.WithCancel(ctx)
	if m.Config.Listen != "" {
		// With -listen the console serves the report pages (and /livez),
		// so that /soudan report's links open on this machine.
		l, err := m.listen()
		if err != nil {
			return err
		}
		mux := http.NewServeMux()
		mux.HandleFunc("GET "+pathLive, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
		mux.Handle(pathReports, app.pages.Handler())
		m.bg.Go(func() {
			if err := l.serve(ctx, mux, m.log); err != nil {
				m.log.Error("console: the report pages' listener stopped", "err", err)
			}
		})
	}
	if err := m.startScheduler(ctx, app, true); err != nil {
		return err
	}
	// Lines a kill interrupted are handled before the next is read.
	app.resume(ctx, m.log, pending, adapter)
	// What an earlier session left due prints first; what the bot sends
	// between lines prints as it comes.
	turns.flush(ctx)
	m.bg.Go(func() { turns.tick(ctx, consoleFlushEvery) })
	m.log.Info("console ready", "db", m.Config.DataFile(), "user", m.Config.ConsoleUser)
	if err := adapter.Run(ctx, turns); err != nil && ctx.Err() == nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}
