package teams

import (
	"context"
	"errors"
	"fmt"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
)

// Send delivers r to an address: into to.Channel (in the thread to.Thread
// when set; a channel without a thread gets a new post), or, with
// to.Channel empty, to to.User's 1:1 chat with the bot, which it creates
// when the bot has none yet. to.Ref, a conversation reference the adapter
// put in an incoming message's address, tells it the service URL and
// tenant when it has not seen them since it started. The returned
// address names the conversation and the thread root (the new message's
// own id at top level), with the conversation's reference in Ref.
//
// A failure is a *bot.SendError saying whether it is worth trying again.
func (a *Adapter) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	at, err := a.send(ctx, to, r)
	return at, sendError(err)
}

func (a *Adapter) send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	if to.Platform != "" && to.Platform != platform {
		return bot.Address{}, fmt.Errorf("teams: send to a %s address", to.Platform)
	}
	hint, _ := decodeRef(to.Ref)
	switch {
	case to.Channel != "":
		ref := a.convRef(to, hint)
		if r.Ephemeral && to.User != "" && ref.Conversation.ConversationType != convPersonal {
			return a.sendDM(ctx, to.User, to.Workspace, hint, r)
		}
		return a.post(ctx, ref, to.Thread, r)
	case to.User != "":
		return a.sendDM(ctx, to.User, to.Workspace, hint, r)
	}
	return bot.Address{}, errors.New("teams: send to an empty address")
}

// convRef is the reference of the conversation to.Channel: as last seen,
// else from to.Ref, else as saved before a restart, else made from the
// tenant's service URL.
func (a *Adapter) convRef(to bot.Address, hint schema.ConversationReference) schema.ConversationReference {
	if ref, ok := a.refs.conv(to.Channel); ok {
		return ref
	}
	if hint.Conversation.ID == to.Channel {
		return hint
	}
	if saved, ok := a.saved.lookup(convKey(to.Channel)); ok && saved.Ref.Conversation.ID == to.Channel {
		return saved.Ref
	}
	tenant := to.Workspace
	if tenant == "" {
		tenant = hint.Conversation.TenantID
	}
	ct := inferConvType(to.Channel, false)
	return schema.ConversationReference{
		Bot:          a.botAccount(tenant, hint),
		Conversation: schema.ConversationAccount{ID: to.Channel, ConversationType: ct, TenantID: tenant, IsGroup: ct != convPersonal},
		ChannelID:    channelIDTeams,
		ServiceURL:   a.serviceURL(tenant, hint),
	}
}

// post sends r into the conversation of ref: into the thread rooted at
// root in a channel (a new post when root is ""), or into a chat.
func (a *Adapter) post(ctx context.Context, ref schema.ConversationReference, root string, r bot.Reply) (bot.Address, error) {
	act := cardActivity(a.render(ctx, ref, r))
	act.Summary = summary(r)
	conv := ref.Conversation
	at := bot.Address{Platform: platform, Workspace: conv.TenantID, Channel: conv.ID, Ref: encodeRef(ref)}
	if conv.ConversationType == convPersonal {
		at.User = ref.User.ID
	}
	if conv.ConversationType == convChannel {
		if root == "" {
			id, err := a.newPost(ctx, ref, act)
			if err != nil {
				return bot.Address{}, fmt.Errorf("teams: post in channel: %w", err)
			}
			at.Thread = id
			return at, nil
		}
		if _, err := a.conn.sendToConversation(ctx, ref.ServiceURL, conv.ID+";messageid="+root, act); err != nil {
			return bot.Address{}, fmt.Errorf("teams: reply in thread: %w", err)
		}
		at.Thread = root
		return at, nil
	}
	id, err := a.conn.sendToConversation(ctx, ref.ServiceURL, conv.ID, act)
	if err != nil {
		return bot.Address{}, fmt.Errorf("teams: send: %w", err)
	}
	at.Thread = root
	if at.Thread == "" {
		at.Thread = id
	}
	return at, nil
}

// newPost starts a new thread in a channel (create conversation with the
// channel in its channel data) and returns the new post's id.
func (a *Adapter) newPost(ctx context.Context, ref schema.ConversationReference, act *outActivity) (string, error) {
	conv := ref.Conversation
	res, err := a.conn.createConversation(ctx, ref.ServiceURL, &conversationParams{
		IsGroup:  true,
		Bot:      ref.Bot,
		TenantID: conv.TenantID,
		Activity: act,
		ChannelData: map[string]any{
			"channel": map[string]any{"id": conv.ID},
			"tenant":  map[string]any{"id": conv.TenantID},
		},
	})
	if err != nil {
		return "", err
	}
	if res.ActivityID != "" {
		return res.ActivityID, nil
	}
	if _, root := splitConvID(res.ID); root != "" {
		return root, nil
	}
	return "", errors.New("create conversation: no id of the new post in the answer")
}

// sendDM sends r to the user's 1:1 chat with the bot, creating the chat
// (POST {serviceUrl}/v3/conversations with the tenant) when the adapter
// knows none: the user may never have written to the bot. After a
// restart, the references the StateStore saved of the user stand in for
// those the adapter saw: their 1:1 chat, else the service URL, tenant and
// bot account of the conversation they were last seen in.
func (a *Adapter) sendDM(ctx context.Context, userID, tenant string, hint schema.ConversationReference, r bot.Reply) (bot.Address, error) {
	if userID == "" {
		return bot.Address{}, errors.New("teams: DM to an empty user id")
	}
	r.Ephemeral = false
	if ref, ok := a.refs.personalOf(userID); ok {
		return a.post(ctx, ref, "", r)
	}
	if hint.Conversation.ConversationType == convPersonal && hint.User.ID == userID && hint.Conversation.ID != "" {
		a.learn(hint)
		return a.post(ctx, hint, "", r)
	}
	if tenant == "" {
		tenant = hint.Conversation.TenantID
	}
	if saved, ok := a.savedFor(userID, tenant); ok {
		// Seen before a restart: their 1:1 chat, else where they were.
		if p := saved.Personal; p != nil {
			a.refs.remember(*p)
			return a.post(ctx, *p, "", r)
		}
		if hint.ServiceURL == "" {
			hint = saved.Ref
		}
		if tenant == "" {
			tenant = saved.Ref.Conversation.TenantID
		}
	}
	ref, err := a.createDM(ctx, userID, tenant, hint)
	if err != nil {
		return bot.Address{}, err
	}
	return a.post(ctx, ref, "", r)
}

// createDM creates the 1:1 conversation of the bot and a user.
func (a *Adapter) createDM(ctx context.Context, userID, tenant string, hint schema.ConversationReference) (schema.ConversationReference, error) {
	botAcct := a.botAccount(tenant, hint)
	if botAcct.ID == "" {
		return schema.ConversationReference{}, errors.New("teams: open a DM: the bot's id is unknown (no app id, and no activity seen yet)")
	}
	serviceURL := a.serviceURL(tenant, hint)
	p := &conversationParams{
		Bot:      botAcct,
		Members:  []schema.ChannelAccount{{ID: userID}},
		TenantID: tenant,
	}
	if tenant != "" {
		p.ChannelData = map[string]any{"tenant": map[string]any{"id": tenant}}
	}
	res, err := a.conn.createConversation(ctx, serviceURL, p)
	if err != nil {
		return schema.ConversationReference{}, fmt.Errorf("teams: open a DM: %w", err)
	}
	if res.ID == "" {
		return schema.ConversationReference{}, errors.New("teams: open a DM: no conversation id in the answer")
	}
	if res.ServiceURL != "" {
		serviceURL = res.ServiceURL
	}
	user, _ := a.refs.userAccount(userID)
	user.ID = userID
	ref := schema.ConversationReference{
		User:         user,
		Bot:          botAcct,
		Conversation: schema.ConversationAccount{ID: res.ID, ConversationType: convPersonal, TenantID: tenant},
		ChannelID:    channelIDTeams,
		ServiceURL:   serviceURL,
	}
	a.learn(ref)
	return ref, nil
}

// botAccount is the bot's account in a tenant: as seen there, else from
// the hint, else "28:" and the app id.
func (a *Adapter) botAccount(tenant string, hint schema.ConversationReference) schema.ChannelAccount {
	if b, ok := a.refs.botIn(tenant); ok {
		return b
	}
	if hint.Bot.ID != "" {
		return hint.Bot
	}
	if a.opt.AppID != "" {
		return schema.ChannelAccount{ID: "28:" + a.opt.AppID, Name: a.opt.BotName}
	}
	return schema.ChannelAccount{}
}

// serviceURL is where to reach a tenant: the hint's, else the one last
// seen for the tenant, else the configured default.
func (a *Adapter) serviceURL(tenant string, hint schema.ConversationReference) string {
	if hint.ServiceURL != "" {
		return hint.ServiceURL
	}
	if s, ok := a.refs.serviceURL(tenant); ok {
		return s
	}
	return a.opt.Endpoints.ServiceURL
}

// Update replaces a message the bot sent, named by the address Send or
// Reply returned for it (its Thread is its own id: a top-level post or a
// chat message).
func (a *Adapter) Update(ctx context.Context, at bot.Address, r bot.Reply) error {
	if at.Channel == "" || at.Thread == "" {
		return errors.New("teams: update: the address names no message")
	}
	hint, _ := decodeRef(at.Ref)
	ref := a.convRef(at, hint)
	act := cardActivity(a.render(ctx, ref, r))
	act.Summary = summary(r)
	if err := a.conn.updateActivity(ctx, ref.ServiceURL, ref.Conversation.ID, at.Thread, act); err != nil {
		return fmt.Errorf("teams: update: %w", err)
	}
	return nil
}
