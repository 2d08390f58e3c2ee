package slack

import (
	"context"

	"github.com/slack-go/slack"
)

// webAPI is the part of Slack's Web API the adapter uses. *slack.Client
// implements it; its base URL comes from Options.APIURL, so tests point it
// at a fake server.
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channel string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channel, user string, options ...slack.MsgOption) (string, error)
	UpdateMessageContext(ctx context.Context, channel, ts string, options ...slack.MsgOption) (string, string, string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	GetPermalinkContext(ctx context.Context, params *slack.PermalinkParameters) (string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
	GetConversationRepliesContext(ctx context.Context, params *slack.GetConversationRepliesParameters) ([]slack.Message, bool, string, error)
}

var _ webAPI = (*slack.Client)(nil)

// newClient returns the slack-go client of the options: the bot token,
// the app-level token for Socket Mode, the configured base URL and HTTP
// client. Retries are the adapter's own (see call), so slack-go's are off.
func newClient(opt Options) *slack.Client {
	opts := []slack.Option{
		slack.OptionAPIURL(opt.APIURL),
		slack.OptionHTTPClient(opt.HTTPClient),
	}
	if opt.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(opt.AppToken))
	}
	return slack.New(opt.BotToken, opts...)
}

// newWebAPI returns the Web API client of the options.
func newWebAPI(opt Options) webAPI { return newClient(opt) }
