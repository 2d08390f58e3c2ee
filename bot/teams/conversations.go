package teams

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

// outActivity is an activity the bot sends. It is our own type because
// msbotbuilder-go's schema.Activity sends zero times and empty objects for
// every field it has, and has no room for mention fields.
type outActivity struct {
	Type        string                 `json:"type"`
	ID          string                 `json:"id,omitempty"`
	From        *schema.ChannelAccount `json:"from,omitempty"`
	Text        string                 `json:"text,omitempty"`
	Summary     string                 `json:"summary,omitempty"`
	Attachments []schema.Attachment    `json:"attachments,omitempty"`
	ReplyToID   string                 `json:"replyToId,omitempty"`
}

// conversationParams is the body of "create conversation", which
// msbotbuilder-go cannot send.
type conversationParams struct {
	IsGroup     bool                    `json:"isGroup"`
	Bot         schema.ChannelAccount   `json:"bot"`
	Members     []schema.ChannelAccount `json:"members,omitempty"`
	TenantID    string                  `json:"tenantId,omitempty"`
	Activity    *outActivity            `json:"activity,omitempty"`
	ChannelData map[string]any          `json:"channelData,omitempty"`
}

// member is a conversation member as the connector describes them.
type member struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	AADObjectID       string `json:"aadObjectId"`
	UserPrincipalName string `json:"userPrincipalName"`
	Email             string `json:"email"`
}

// apiURL joins the service URL and a path under /v3/conversations, each
// id path-escaped as the connector wants ("19:x;messageid=1" included).
func apiURL(serviceURL string, ids ...string) (string, error) {
	u, err := url.Parse(serviceURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errors.New("bad service URL")
	}
	var b strings.Builder
	b.WriteString(strings.TrimRight(serviceURL, "/"))
	b.WriteString("/v3/conversations")
	for _, id := range ids {
		b.WriteString("/")
		b.WriteString(url.PathEscape(id))
	}
	return b.String(), nil
}

// sendToConversation posts act in the conversation (a channel thread is
// "channel;messageid=root") and returns the new activity's id.
func (c *connector) sendToConversation(ctx context.Context, serviceURL, convID string, act *outActivity) (string, error) {
	const op = "send to conversation"
	u, err := apiURL(serviceURL, convID, "activities")
	if err != nil {
		return "", &StatusError{Op: op + ": " + err.Error(), Status: http.StatusBadRequest}
	}
	var res schema.ResourceResponse
	if err := c.call(ctx, op, http.MethodPost, u, act, &res); err != nil {
		return "", err
	}
	return res.ID, nil
}

// updateActivity replaces an activity the bot sent.
func (c *connector) updateActivity(ctx context.Context, serviceURL, convID, activityID string, act *outActivity) error {
	const op = "update activity"
	u, err := apiURL(serviceURL, convID, "activities", activityID)
	if err != nil {
		return &StatusError{Op: op + ": " + err.Error(), Status: http.StatusBadRequest}
	}
	act.ID = activityID
	return c.call(ctx, op, http.MethodPut, u, act, nil)
}

// createConversation creates a 1:1 conversation, or a new thread in a
// channel when p names one in its channel data.
func (c *connector) createConversation(ctx context.Context, serviceURL string, p *conversationParams) (schema.ConversationResourceResponse, error) {
	const op = "create conversation"
	var res schema.ConversationResourceResponse
	u, err := apiURL(serviceURL)
	if err != nil {
		return res, &StatusError{Op: op + ": " + err.Error(), Status: http.StatusBadRequest}
	}
	err = c.call(ctx, op, http.MethodPost, u, p, &res)
	return res, err
}

// getMember looks a user up among a conversation's members.
func (c *connector) getMember(ctx context.Context, serviceURL, convID, userID string) (member, error) {
	const op = "get member"
	var m member
	u, err := apiURL(serviceURL, convID, "members", userID)
	if err != nil {
		return m, &StatusError{Op: op + ": " + err.Error(), Status: http.StatusBadRequest}
	}
	err = c.call(ctx, op, http.MethodGet, u, nil, &m)
	return m, err
}
