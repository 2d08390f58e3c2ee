package main

import (
	"context"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
	"github.com/soudan/soudan/handlers"
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
	turns := &consoleTurns{log: m.log}
	adapter := console.New(m.Stdin, m.Stdout, console.Options{
		BotName:     botName,
		DefaultUser: m.Config.ConsoleUser,
		Now:         m.Now,
		State:       m.store, // history survives restarts, so ids never collide
		AfterLine:   turns.flush,
	})
	cfg := m.handlersConfig(bot.Mux{bot.PlatformConsole: adapter})
	cfg.FirstUserAdmin = true
	app, err := handlers.New(cfg)
	if err != nil {
		return fmt.Errorf("start handlers: %w", err)
	}
	rt := bot.NewRouter()
	app.Register(rt)
	turns.out, turns.d = app.Outbox(), rt
	if m.Config.Demo {
		if err := app.SeedDemo(ctx); err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
	}
	ctx, m.cancel = context.WithCancel(ctx)
	if err := m.startScheduler(ctx, app, true); err != nil {
		return err
	}
	// What an earlier session left due prints first; what the bot sends
	// between lines prints as it comes.
	turns.flush(ctx)
	m.bg.Go(func() { turns.tick(ctx, consoleFlushEvery) })
	m.log.Info("console ready", "db", m.Config.DB, "user", m.Config.ConsoleUser)
	if err := adapter.Run(ctx, turns); err != nil && ctx.Err() == nil {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}

// handlersConfig is the handlers' configuration from the settings.
func (m *Main) handlersConfig(sender bot.Sender) handlers.Config {
	cfg := handlers.Config{
		Store:         m.store,
		Sender:        sender,
		Log:           m.log,
		Now:           m.Now,
		Prefix:        botName,
		DefaultLocale: m.Config.Lang,
		Location:      m.Config.location,
		MaxRouted:     m.Config.MaxRouted,
		DefaultTopic:  m.Config.DefaultTopic,
		MaxText:       m.Config.MaxText,
		Admins:        m.Config.admins,
	}
	m.deliveryConfig(&cfg)
	return cfg
}
