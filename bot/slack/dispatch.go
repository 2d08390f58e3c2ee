package slack

import (
	"context"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/soudan/soudan/bot"
)

// handlerTimeout bounds one handler run, Web API calls and retries
// included.
const handlerTimeout = 5 * time.Minute

// lookupTimeout bounds the users.info call made for an incoming event.
const lookupTimeout = 10 * time.Second

// decoder returns the decoder for the bot's identity.
func (a *Adapter) decoder() decoder {
	return decoder{botUser: a.cachedIdentity().UserID, cmdName: a.opt.BotName, now: a.opt.Now}
}

// onEvent handles an Events API event: a delivery seen before (Slack's
// retry) is acknowledged and dropped; anything else is recorded in the
// inbox, acknowledged (ack) and dispatched in the background. Whatever
// does not become a message is acknowledged at once.
func (a *Adapter) onEvent(work context.Context, d bot.Dispatcher, ev slackevents.EventsAPIEvent, retry int, ack func(error)) {
	m, o, ok := a.decoder().event(ev)
	if !ok {
		ack(nil)
		return
	}
	if !a.seen.first(m.ID) {
		a.log.Debug("slack: duplicate delivery dropped", "event", m.ID, "retry", retry)
		ack(nil)
		return
	}
	if !a.accept(work, d, m, o, ack) {
		return
	}
	if o.direct && isDM(o.channel) {
		a.dms.Store(o.user, o.channel) // a DM event: the user's DM with the bot
	}
	a.dispatch(work, d, m, o, nil)
}

// onCommand handles a slash command: recorded, acknowledged, dispatched.
func (a *Adapter) onCommand(work context.Context, d bot.Dispatcher, c slack.SlashCommand, ack func(error)) {
	m, o := a.decoder().command(c)
	if !a.seen.first(m.ID) {
		ack(nil)
		return
	}
	if a.accept(work, d, m, o, ack) {
		a.dispatch(work, d, m, o, nil)
	}
}

// onInteraction handles an interaction and returns what to acknowledge it
// with: nil, except for a view submission, whose answer (errors, a new
// view, or nil to close the modal) it waits for, at most viewAckWait. A
// button press is recorded in the inbox first; refused is true when it
// could not be, and Slack should be told to send it again.
func (a *Adapter) onInteraction(work context.Context, d bot.Dispatcher, ic slack.InteractionCallback) (reply any, refused bool) {
	dec := a.decoder()
	var rerr error
	ack := func(err error) { rerr = err }
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		m, o, ok := dec.action(ic)
		if !ok || !a.seen.first(m.ID) {
			return nil, false
		}
		if m.Action.ID == actionOpenForm {
			if p, ok := a.forms.get(m.Action.Value); ok {
				a.background(work, func(ctx context.Context) {
					if err := a.openModal(ctx, ic.TriggerID, p.form, p.origin); err != nil {
						a.log.Warn("slack: open posted form", "form", p.form.ID, "err", err)
					}
				})
				return nil, false
			}
			// Expired, or forgotten by a restart without a StateStore:
			// the router calls the button stale.
		}
		if a.accept(work, d, m, o, ack) {
			a.dispatch(work, d, m, o, nil)
		}
		return nil, rerr != nil
	case slack.InteractionTypeViewSubmission:
		m, o, ok := dec.submission(ic)
		if !ok || !a.seen.first(m.ID) {
			return nil, false
		}
		// Recorded too, and answered within the request: its answer is
		// the acknowledgement.
		if !a.accept(work, d, m, o, ack) {
			return nil, rerr != nil
		}
		sub := newSubmission(m.Action.ID)
		a.dispatch(work, d, m, o, sub)
		return sub.wait(a.viewAckWait), false
	}
	return nil, false
}

// dispatch runs m through d in the background, with the sender looked
// up (and for a reaction, its thread's root), and logs what the dispatcher could not handle. A view submission's
// sub gets its answer (nil) when the handler ends without giving one.
func (a *Adapter) dispatch(work context.Context, d bot.Dispatcher, m *bot.Message, o origin, sub *submission) {
	if o.direct && o.channel == "" {
		if ch, ok := a.dms.Load(o.user); ok {
			o.channel = ch.(string) // an App Home button: its DM, when known
			m.Address.Channel = o.channel
		}
	}
	a.background(work, func(ctx context.Context) { a.handle(ctx, d, m, o, sub) })
}

// handle looks up the sender (and for a reaction, its thread's root),
// runs m through d, and logs what the dispatcher could not handle.
func (a *Adapter) handle(ctx context.Context, d bot.Dispatcher, m *bot.Message, o origin, sub *submission) {
	if sub != nil {
		defer sub.decide(nil)
	}
	name := m.User.Name
	lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	m.User = a.sender(lctx, o.user, name)
	cancel()
	if m.User.Name == "" {
		m.User.Name = name
	}
	if m.Kind == bot.KindReaction {
		lctx, cancel := context.WithTimeout(ctx, lookupTimeout)
		a.reactionThread(lctx, m, &o)
		cancel()
	}
	t := &turn{a: a, o: o, sub: sub}
	if err := d.Dispatch(ctx, m, t); err != nil {
		a.log.Error("slack: handling failed", "kind", m.Kind.String(), "event", m.ID, "err", err)
	}
	if o.inHome {
		a.refreshHome(ctx, d, m, o)
	}
}

// refreshHome publishes the App Home again after one of its buttons was
// handled (a mentor paused: the home says so), as if it had been opened.
func (a *Adapter) refreshHome(ctx context.Context, d bot.Dispatcher, pressed *bot.Message, o origin) {
	o.home, o.inHome, o.trigger = true, false, ""
	m := &bot.Message{
		Kind:    bot.KindHome,
		User:    pressed.User,
		Address: bot.Address{Platform: bot.PlatformSlack, Workspace: o.team, User: o.user},
		Direct:  true,
		Time:    pressed.Time,
	}
	if err := d.Dispatch(ctx, m, &turn{a: a, o: o}); err != nil {
		a.log.Error("slack: refresh App Home", "err", err)
	}
}

// background runs fn in its own goroutine, at most maxConcurrent at once,
// with a context that outlives the connection (so a reply in progress is
// sent) but not shutdownGrace after Run returns.
func (a *Adapter) background(work context.Context, fn func(ctx context.Context)) {
	a.inflight.Add(1)
	go func() {
		defer a.inflight.Done()
		select {
		case a.work <- struct{}{}:
			defer func() { <-a.work }()
		case <-work.Done():
			return
		}
		ctx, cancel := context.WithTimeout(work, handlerTimeout)
		defer cancel()
		fn(ctx)
	}()
}
