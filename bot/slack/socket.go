package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"github.com/soudan/soudan/bot"
)

// socketClient is the part of slack-go's Socket Mode client the adapter
// uses: it connects (and reconnects) in RunContext, reports what happens
// on Events, and sends acknowledgements.
type socketClient interface {
	RunContext(ctx context.Context) error
	Events() <-chan socketmode.Event
	AckCtx(ctx context.Context, envelopeID string, payload any) error
}

// smClient adapts *socketmode.Client to socketClient.
type smClient struct{ *socketmode.Client }

func (c smClient) Events() <-chan socketmode.Event { return c.Client.Events }

// defaultSocket is slack-go's Socket Mode client on the adapter's tokens
// and base URL. Its own debug logging stays off: it would log payloads.
func (a *Adapter) defaultSocket() socketClient {
	return smClient{socketmode.New(newClient(a.opt), socketmode.OptionPingInterval(a.pingInterval))}
}

// runSocket receives events over Socket Mode until ctx ends. The client
// reconnects by itself; it gives up only when Slack refuses the app-level
// token.
func (a *Adapter) runSocket(ctx, work context.Context, d bot.Dispatcher) error {
	sc := a.newSocket()
	errc := make(chan error, 1)
	go func() { errc <- sc.RunContext(ctx) }()
	for {
		select {
		case err := <-errc:
			if ctx.Err() != nil {
				a.log.Info("slack: disconnected (shutting down)")
				return ctx.Err()
			}
			return fmt.Errorf("slack: Socket Mode: %w (check the app-level token, SOUDAN_SLACK_APP_TOKEN)", err)
		case evt := <-sc.Events():
			if ctx.Err() != nil && evt.Request == nil {
				continue // reconnect attempts while shutting down
			}
			a.onSocketEvent(ctx, work, d, sc, evt)
		}
	}
}

// onSocketEvent handles one Socket Mode event: a connection state change
// is logged (one line each), a request is acknowledged at once and handled
// in the background.
func (a *Adapter) onSocketEvent(ctx, work context.Context, d bot.Dispatcher, sc socketClient, evt socketmode.Event) {
	ack := func(payload any) {
		if evt.Request == nil || evt.Request.EnvelopeID == "" {
			return
		}
		if err := sc.AckCtx(ctx, evt.Request.EnvelopeID, payload); err != nil {
			a.log.Warn("slack: acknowledge envelope", "type", evt.Request.Type, "err", err)
		}
	}
	switch evt.Type {
	case socketmode.EventTypeConnecting:
		a.up.Store(false)
		c, _ := evt.Data.(*slack.ConnectingEvent)
		switch {
		case c == nil:
			a.log.Info("slack: connecting (Socket Mode)")
		case c.ConnectionCount > 0 && c.Attempt <= 1:
			a.log.Info("slack: reconnecting (Socket Mode)", "connection", c.ConnectionCount+1)
		default:
			a.log.Info("slack: connecting (Socket Mode)", "attempt", c.Attempt)
		}
	case socketmode.EventTypeConnected:
		a.up.Store(true)
		a.log.Info("slack: connected (Socket Mode)")
	case socketmode.EventTypeConnectionError:
		a.up.Store(false)
		if c, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			a.log.Warn("slack: connection failed; retrying", "attempt", c.Attempt, "retry_in", c.Backoff, "err", c.ErrorObj)
		}
	case socketmode.EventTypeInvalidAuth:
		a.up.Store(false)
		a.log.Error("slack: Slack refused the app-level token (SOUDAN_SLACK_APP_TOKEN)")
	case socketmode.EventTypeIncomingError:
		// Slack's routine "disconnect" requests end here too (slack-go
		// closes the connection without reporting them), so this is news,
		// not a warning.
		if e, ok := evt.Data.(*slack.IncomingEventError); ok {
			a.log.Info("slack: connection closed; reconnecting", "err", e.ErrorObj)
		}
	case socketmode.EventTypeErrorWriteFailed:
		a.log.Warn("slack: an acknowledgement could not be sent")
	case socketmode.EventTypeErrorBadMessage:
		a.onBadMessage(ctx, sc, evt)
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok {
			ack(nil)
			return
		}
		// Each envelope is recorded in the inbox before it is acknowledged,
		// in its own goroutine, so that the records of concurrent envelopes
		// share a disk sync. One that cannot be recorded is not
		// acknowledged: Slack sends it again.
		a.inflight.Go(func() { a.onEvent(work, d, ev, evt.Request.RetryAttempt, socketAck(ack)) })
	case socketmode.EventTypeSlashCommand:
		c, ok := evt.Data.(slack.SlashCommand)
		if !ok {
			ack(nil)
			return
		}
		a.inflight.Go(func() { a.onCommand(work, d, c, socketAck(ack)) })
	case socketmode.EventTypeInteractive:
		ic, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			ack(nil)
			return
		}
		// A view submission's answer is its acknowledgement: wait for it
		// without holding up the other envelopes.
		a.inflight.Go(func() {
			if reply, refused := a.onInteraction(work, d, ic); !refused {
				ack(reply)
			}
		})
	}
}

// socketAck acknowledges an envelope once its event is recorded, and not
// when it could not be.
func socketAck(ack func(any)) func(error) {
	return func(err error) {
		if err == nil {
			ack(nil)
		}
	}
}

// onBadMessage acknowledges an envelope slack-go could not decode (an
// event type it does not know), so that Slack does not send it again.
func (a *Adapter) onBadMessage(ctx context.Context, sc socketClient, evt socketmode.Event) {
	bad, ok := evt.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	var req socketmode.Request
	if err := json.Unmarshal(bad.Message, &req); err != nil || req.EnvelopeID == "" {
		a.log.Warn("slack: unreadable Socket Mode message", "err", bad.Cause)
		return
	}
	a.log.Debug("slack: envelope not understood; acknowledged", "type", req.Type, "err", errors.Unwrap(bad.Cause))
	if err := sc.AckCtx(ctx, req.EnvelopeID, nil); err != nil {
		a.log.Warn("slack: acknowledge envelope", "type", req.Type, "err", err)
	}
}
