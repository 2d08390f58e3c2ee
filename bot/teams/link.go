package teams

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/infracloudio/msbotbuilder-go/schema"
	"github.com/soudan/soudan/bot"
)

// ErrUnknownUser is returned for a user the adapter knows nothing of.
var ErrUnknownUser = errors.New("teams: unknown user")

// teamsWeb is the base of Teams deep links.
const teamsWeb = "https://teams.microsoft.com/l/"

// Permalink returns a deep link to the message or thread at the address
// (its Thread is the message's id).
func (a *Adapter) Permalink(_ context.Context, at bot.Address) (string, error) {
	if at.Channel == "" || at.Thread == "" {
		return "", errors.New("teams: permalink: the address names no message")
	}
	hint, _ := decodeRef(at.Ref)
	ref := a.convRef(at, hint)
	q := url.Values{}
	if ref.Conversation.ConversationType == convChannel {
		if at.Workspace != "" {
			q.Set("tenantId", at.Workspace)
		}
		q.Set("parentMessageId", at.Thread)
	} else {
		q.Set("context", `{"contextType":"chat"}`)
	}
	return teamsWeb + "message/" + url.PathEscape(at.Channel) + "/" + url.PathEscape(at.Thread) + "?" + q.Encode(), nil
}

// UserLink returns a deep link that opens a chat with the user. Teams
// links name users by their sign-in name, which the adapter asks the
// connector for through the user's 1:1 chat with the bot.
func (a *Adapter) UserLink(ctx context.Context, userID string) (string, error) {
	m, err := a.member(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("teams: user link: %w", err)
	}
	if m.UserPrincipalName == "" {
		return "", errors.New("teams: user link: no sign-in name for the user")
	}
	return teamsWeb + "chat/0/0?users=" + url.QueryEscape(m.UserPrincipalName), nil
}

// LookupUser returns the user's name as the adapter saw it in an
// activity, else as the connector knows them.
func (a *Adapter) LookupUser(ctx context.Context, userID string) (bot.User, error) {
	if u, ok := a.refs.userAccount(userID); ok && u.Name != "" {
		return bot.User{ID: userID, Name: u.Name}, nil
	}
	m, err := a.member(ctx, userID)
	if err != nil {
		return bot.User{}, fmt.Errorf("look up %q: %w", userID, err)
	}
	a.refs.rememberUser(schema.ChannelAccount{ID: userID, Name: m.Name, AadObjectID: m.AADObjectID})
	return bot.User{ID: userID, Name: m.Name}, nil
}

// member asks the connector about a user, in their 1:1 chat with the bot.
func (a *Adapter) member(ctx context.Context, userID string) (member, error) {
	ref, ok := a.refs.personalOf(userID)
	if !ok {
		return member{}, ErrUnknownUser
	}
	return a.conn.getMember(ctx, ref.ServiceURL, ref.Conversation.ID, userID)
}
