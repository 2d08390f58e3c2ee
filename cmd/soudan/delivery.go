package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/outbox"
)

// startOutbox runs app's outbox worker in the background until ctx ends;
// Close waits for the sends in flight to be recorded.
func (m *Main) startOutbox(ctx context.Context, app *wiredBot) {
	m.bg.Go(func() {
		if err := app.out.Run(ctx); err != nil {
			m.log.Error("outbox", "err", err)
		}
	})
}

// consoleFlushEvery is how often the console delivers what the bot sends
// between lines (scheduler jobs, scheduled broadcasts).
const consoleFlushEvery = 2 * time.Second

// consoleTurns keeps the console's transcript deterministic: the outbox is
// flushed after each line, and never while a line is being handled, so the
// messages a line causes print after its replies and before the next line.
type consoleTurns struct {
	mu  sync.Mutex // held while a line is dispatched or the outbox flushed
	out *outbox.Worker
	d   bot.Dispatcher
	log *slog.Logger
}

// Record records a line in the inbox before it is handled.
func (c *consoleTurns) Record(ctx context.Context, m *bot.Message, origin []byte) (bool, error) {
	return bot.Record(ctx, c.d, m, origin)
}

// Dispatch handles one line with the lock held.
func (c *consoleTurns) Dispatch(ctx context.Context, m *bot.Message, r bot.Responder) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.d.Dispatch(ctx, m, r)
}

// flush delivers everything due, with the lock held; it is the console's
// AfterLine hook.
func (c *consoleTurns) flush(ctx context.Context) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.out.Flush(ctx); err != nil && ctx.Err() == nil {
		c.log.Error("outbox: flush", "err", err)
	}
}

// tick flushes every interval until ctx ends, for what the bot sends
// between lines.
func (c *consoleTurns) tick(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.flush(ctx)
		}
	}
}
