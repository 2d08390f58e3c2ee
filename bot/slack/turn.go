package slack

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// origin is where an incoming event came from, and what its replies may
// use.
type origin struct {
	team    string
	user    string // who sent the event
	channel string // conversation it came from; "" when unknown (App Home)
	thread  string // root of the thread it is in; "" at top level
	source  string // ts of the message it is about (a post, a message with a button)
	direct  bool   // a conversation with the bot alone
	trigger string // trigger_id of a command or an interaction: opens modals
	home    bool   // the App Home was opened: replies publish its view
	inHome  bool   // a button in the App Home: the view is published again after

	responseURL string    // a slash command's response_url: a way to answer where the bot is not a member
	received    time.Time // when the slash command came, for its response_url's lifetime
}

// turn is the Responder of one incoming event.
type turn struct {
	a   *Adapter
	o   origin
	sub *submission // set while a view submission waits for its answer

	mu            sync.Mutex
	triggerUsed   bool
	responsesUsed int // replies sent through the response_url
}

// triggerWait bounds a views.open call: a trigger id expires 3 s after
// the interaction.
const triggerWait = 3 * time.Second

// Reply answers in the conversation the event came from: in its thread if
// it was in one, in the thread of the post itself for InThread on a
// top-level channel post, to the sender alone for Ephemeral (a plain
// message in a DM, where the sender is alone anyway). An App Home turn
// publishes r as the user's home view.
//
// A conversation the bot cannot post in (a slash command in a private
// channel the bot is not in, or in a DM between two people) gets a slash
// command's reply through the command's response_url (see respond), and
// any other reply, or one the response_url cannot take, in the sender's
// DM with the bot. The response_url is the fallback rather than the first
// choice, also for ephemeral replies: chat.postMessage gives the message's
// ts, which handlers keep to post in its thread later, and a response_url
// takes only five replies in 30 minutes.
func (t *turn) Reply(ctx context.Context, r bot.Reply) (bot.Address, error) {
	a, o := t.a, t.o
	if o.home {
		return bot.Address{Platform: bot.PlatformSlack, Workspace: o.team}, a.publishHome(ctx, o.user, r)
	}
	key := ""
	if r.Form != nil {
		key = a.forms.put(*r.Form, o)
	}
	var at bot.Address
	var err error
	if r.Ephemeral && o.channel != "" && !o.direct {
		at, err = a.postEphemeral(ctx, o.team, o.channel, o.thread, o.user, r, key)
	} else {
		channel, thread := o.channel, o.thread
		if channel == "" {
			channel = o.user
		}
		if r.InThread && thread == "" && !o.direct {
			thread = o.source
		}
		at, err = a.post(ctx, o.team, channel, thread, r, key)
	}
	if err == nil || !unreachable(err) || o.channel == o.user {
		return at, err
	}
	if u := t.takeResponseURL(); u != "" {
		at, rerr := a.respond(ctx, u, o, r, key)
		if rerr == nil {
			return at, nil
		}
		a.log.Warn("slack: reply through the response_url; replying by DM", "channel", o.channel, "err", rerr)
	}
	a.log.Info("slack: cannot post where the event came from; replying by DM", "channel", o.channel, "err", err)
	return a.post(ctx, o.team, o.user, "", r, key)
}

// unreachable reports whether err means the bot cannot post in the
// conversation.
func unreachable(err error) bool {
	switch slackCode(err) {
	case "channel_not_found", "not_in_channel", "is_archived", "user_not_in_channel", "cannot_dm_bot":
		return true
	}
	return false
}

// OpenForm shows f as a modal. When the event is the submission of the
// same form and f has Errors, the modal shows them next to the inputs
// (response_action "errors"); another form replaces the submitted modal.
// Otherwise it opens with the event's trigger id, and without one (a
// plain message) or once the trigger has expired, f is posted as a message
// with a button that opens it.
func (t *turn) OpenForm(ctx context.Context, f bot.Form) error {
	if t.sub != nil {
		if f.ID == t.sub.form && len(f.Errors) > 0 {
			if t.sub.decide(slack.NewErrorsViewSubmissionResponse(viewErrors(f))) {
				return nil
			}
		} else if v, err := modal(f, t.o); err != nil {
			return err
		} else if t.sub.decide(slack.NewUpdateViewSubmissionResponse(&v)) {
			return nil
		}
	}
	if trigger := t.takeTrigger(); trigger != "" {
		err := t.a.openModal(ctx, trigger, f, t.o)
		if err == nil {
			return nil
		}
		t.a.log.Warn("slack: open modal; posting the form instead", "form", f.ID, "err", err)
	}
	_, err := t.Reply(ctx, bot.Reply{Form: &f, Ephemeral: true})
	return err
}

// takeTrigger returns the event's trigger id the first time it is asked
// for, and "" after: a trigger opens one modal.
func (t *turn) takeTrigger() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.triggerUsed || t.o.trigger == "" {
		return ""
	}
	t.triggerUsed = true
	return t.o.trigger
}

// openModal opens f as a modal with trigger, for a form opened from o.
func (a *Adapter) openModal(ctx context.Context, trigger string, f bot.Form, o origin) error {
	v, err := modal(f, o)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, triggerWait)
	defer cancel()
	return a.call(ctx, "views.open", func(ctx context.Context) error {
		_, err := a.api.OpenViewContext(ctx, trigger, v)
		return err
	})
}

// publishHome publishes r as user's App Home view.
func (a *Adapter) publishHome(ctx context.Context, user string, r bot.Reply) error {
	key := ""
	if r.Form != nil {
		key = a.forms.put(*r.Form, origin{user: user, direct: true})
	}
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks(r, key)}}
	return a.call(ctx, "views.publish", func(ctx context.Context) error {
		_, err := a.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: user, View: view})
		return err
	})
}

// submission is a view submission waiting for its answer: Slack wants it
// in the acknowledgement, within 3 s.
type submission struct {
	form   string // the submitted form's id
	mu     sync.Mutex
	done   bool
	answer chan any // receives exactly one answer; nil closes the modal
}

func newSubmission(form string) *submission {
	return &submission{form: form, answer: make(chan any, 1)}
}

// decide gives the submission its answer, if it has none yet, and reports
// whether this answer is the one.
func (s *submission) decide(answer any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return false
	}
	s.done = true
	s.answer <- answer
	return true
}

// wait returns the submission's answer, or nil (close the modal) once d
// has passed without one.
func (s *submission) wait(d time.Duration) any {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case p := <-s.answer:
		return p
	case <-t.C:
		s.decide(nil)
		return <-s.answer
	}
}
