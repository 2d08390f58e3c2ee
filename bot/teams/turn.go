package teams

import (
	"context"
	"sync"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
)

// turn is the Responder of one incoming activity.
type turn struct {
	a        *Adapter
	act      *activity
	msg      *bot.Message
	ref      schema.ConversationReference // the conversation it came from
	convType string
	conv     string // conversation id, without a thread
	thread   string // root of the thread it is in; "" at top level
	// source is the id of the message the event is about: the post
	// itself, or the card whose button or form was used.
	source string
	invoke *invokeAnswer // set for Action.Execute invokes
}

// Reply answers in the conversation the activity came from. In a channel
// it replies in the activity's thread, or starts one on the post (or
// card) when r.InThread, or else starts a new post. Ephemeral replies in
// channels and group chats go to the user's 1:1 chat with the bot: Teams
// has no message only one member of a conversation sees.
func (t *turn) Reply(ctx context.Context, r bot.Reply) (bot.Address, error) {
	if r.Ephemeral && t.convType != convPersonal {
		at, err := t.a.sendDM(ctx, t.msg.User.ID, t.ref.Conversation.TenantID, t.ref, r)
		return at, sendError(err)
	}
	root := t.thread
	if root == "" && r.InThread && t.convType == convChannel {
		root = t.source
	}
	at, err := t.a.post(ctx, t.ref, root, r)
	return at, sendError(err)
}

// OpenForm shows a form as a card. When the activity is the submission of
// the same form and f carries errors, the submitted card itself is
// refreshed to show them: through the invoke's answer for Action.Execute,
// else by updating the card. Otherwise the form is posted as an ephemeral
// reply (in channels, to the user's 1:1 chat).
func (t *turn) OpenForm(ctx context.Context, f bot.Form) error {
	if t.msg.Kind == bot.KindFormSubmit && f.ID == t.msg.Action.ID && len(f.Errors) > 0 {
		c := t.a.render(ctx, t.ref, bot.Reply{Form: &f})
		if t.invoke != nil && t.invoke.refresh(c) {
			return nil
		}
		if t.act.ReplyToID != "" {
			err := t.a.conn.updateActivity(ctx, t.ref.ServiceURL, t.act.Conversation.ID, t.act.ReplyToID, cardActivity(c))
			if err == nil {
				return nil
			}
			t.a.log.Warn("teams: refresh form card; posting it again", "err", err)
		}
	}
	_, err := t.Reply(ctx, bot.Reply{Form: &f, Ephemeral: true})
	return err
}

// invokeAnswer carries the card an Action.Execute's HTTP answer shows,
// from the handler to the HTTP handler waiting for it.
type invokeAnswer struct {
	mu       sync.Mutex
	card     card
	ready    chan struct{} // closed when card is set
	answered bool          // the HTTP answer is written: too late
}

func newInvokeAnswer() *invokeAnswer { return &invokeAnswer{ready: make(chan struct{})} }

// refresh sets the card to answer with; false when the answer was
// already written.
func (ia *invokeAnswer) refresh(c card) bool {
	ia.mu.Lock()
	defer ia.mu.Unlock()
	if ia.answered || ia.card != nil {
		return false
	}
	ia.card = c
	close(ia.ready)
	return true
}

// take marks the answer written and returns the card set so far, if any.
func (ia *invokeAnswer) take() card {
	ia.mu.Lock()
	defer ia.mu.Unlock()
	ia.answered = true
	return ia.card
}
