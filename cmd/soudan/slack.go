package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack"
)

// slackPlatform serves Slack once the bot token is set: over Socket Mode
// with the app-level token, else over HTTP with the signing secret.
var slackPlatform = platform{
	name:       bot.PlatformSlack,
	configured: func(c *Config) bool { return c.SlackBotToken != "" },
	open: func(m *Main) (bot.Adapter, error) {
		c := &m.Config
		opt := slack.Options{
			BotToken: c.SlackBotToken,
			AppToken: c.SlackAppToken,
			APIURL:   c.SlackAPIURL,
			BotName:  botName,
			Log:      m.log,
			Now:      m.Now,
			State:    storePorts{m.store}, // forms posted as messages open after a restart
		}
		if c.SlackAppToken == "" {
			opt.SigningSecret, opt.Addr = c.SlackSigningSecret, c.HTTPAddr
			opt.External = c.Listen != "" // served on -listen by serve
		}
		return slack.New(opt)
	},
	mount: func(ctx context.Context, a bot.Adapter, d bot.Dispatcher, mux *http.ServeMux) {
		sa, ok := a.(*slack.Adapter)
		if !ok || !sa.External() {
			return // Socket Mode: nothing to serve
		}
		h := sa.Handler(ctx, d)
		for _, p := range []string{slack.PathEvents, slack.PathCommands, slack.PathInteractive} {
			mux.Handle("POST "+p, h)
		}
	},
}

// settingError is one invalid setting.
type settingError struct{ flag, msg string }

// validateSlack checks the Slack settings. Messages never quote a token or
// the secret.
func validateSlack(c *Config) []settingError {
	var errs []settingError
	c.SlackBotToken = strings.TrimSpace(c.SlackBotToken)
	c.SlackAppToken = strings.TrimSpace(c.SlackAppToken)
	c.SlackSigningSecret = strings.TrimSpace(c.SlackSigningSecret)
	if c.SlackBotToken != "" && !strings.HasPrefix(c.SlackBotToken, "xoxb-") {
		errs = append(errs, settingError{"slack-bot-token", "not a bot token; it starts with xoxb- (OAuth & Permissions > Bot User OAuth Token)"})
	}
	if c.SlackAppToken != "" && !strings.HasPrefix(c.SlackAppToken, "xapp-") {
		errs = append(errs, settingError{"slack-app-token", "not an app-level token; it starts with xapp- (Basic Information > App-Level Tokens)"})
	}
	if c.SlackBotToken != "" && c.SlackAppToken == "" && c.SlackSigningSecret == "" && !c.importOnly {
		errs = append(errs, settingError{"slack-app-token", "missing: set it for Socket Mode, or set -slack-signing-secret (SOUDAN_SLACK_SIGNING_SECRET) for HTTP mode"})
	}
	if c.SlackBotToken == "" && (c.SlackAppToken != "" || c.SlackSigningSecret != "") {
		errs = append(errs, settingError{"slack-bot-token", "missing: the Slack app-level token or signing secret is set, but Slack needs the bot token too"})
	}
	if u, err := url.Parse(c.SlackAPIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, settingError{"slack-api-url", "want an http(s) URL such as https://slack.com/api/"})
	}
	if c.SlackBotToken != "" && c.SlackAppToken == "" && c.Listen == "" && strings.TrimSpace(c.HTTPAddr) == "" && !c.importOnly {
		errs = append(errs, settingError{"http-addr", "empty; HTTP mode needs a listen address such as :3000"})
	}
	return errs
}
