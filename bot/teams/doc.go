// Package teams is the Microsoft Teams adapter: an HTTP endpoint
// (/api/messages) for the Bot Framework, which turns activities into
// neutral bot.Messages, and a sender that renders bot.Replies as Adaptive
// Cards through the Bot Connector.
//
// It builds on github.com/infracloudio/msbotbuilder-go v0.2.5 — its schema
// (conversation references, accounts, attachments, connector answers), its
// auth vocabulary (issuer, scope, signing algorithms, claims, credential
// provider, the TokenValidator interface) — and wraps the library's
// verified defects:
//
//   - its validator panics on a token without the claims it reads, fetches
//     keys from a fixed URL and races on its key cache: validator checks
//     every claim with a checked assertion, fetches keys through keySet (a
//     configurable URL, guarded by a mutex) and implements the library's
//     auth.TokenValidator;
//   - its connector client panics when the token endpoint is unreachable,
//     races on its token cache, and returns no answer body (so no id of the
//     posted message): connector and clientCredentials make every call,
//     retry 429 and 5xx with backoff honouring Retry-After, and serialise
//     the token cache;
//   - its schema.Activity drops the fields of mention entities and refuses
//     a `value` that is not an object: activities are decoded from the raw
//     JSON (decodeActivity);
//   - it cannot create a conversation (needed to reach a user by DM who
//     never wrote to the bot there) nor answer an invoke with a body: the
//     adapter posts to {serviceUrl}/v3/conversations itself and writes
//     invoke responses (Action.Execute) itself.
//
// The HTTP handler recovers from any panic (a 500 and a log line), and a
// panic while checking a token is a 401.
//
// Conversations: in personal chat commands are typed without the prefix
// ("help", "ヘルプ"), in channels and group chats after mentioning the bot.
// Every activity's conversation reference is remembered, and put in
// Message.Address.Ref, so that handlers can reach the user later; with
// Options.State it is also saved for its user (and the users it
// mentions), so that direct messages after a restart still go to the
// service URL the user was seen at.
package teams

import "github.com/soudan/soudan/bot"

// platform is the adapter's platform name.
const platform = bot.PlatformTeams

var (
	_ bot.Adapter    = (*Adapter)(nil)
	_ bot.Linker     = (*Adapter)(nil)
	_ bot.UserLookup = (*Adapter)(nil)
	_ bot.Updater    = (*Adapter)(nil)
	_ bot.Readiness  = (*Adapter)(nil)
	_ bot.Responder  = (*turn)(nil)
	_ bot.FormOpener = (*turn)(nil)
)
