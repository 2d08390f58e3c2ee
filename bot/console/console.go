// Package console is the terminal adapter: soudan's embedded default, which
// newcomers try first and scripted tests pipe into.
//
// Every input line is one event, dispatched before the next line is read,
// so a script gives the same output every run. Lines starting with ":" are
// meta-lines (":help" lists them): ":as 佐藤 [ja|en]" switches user,
// ":in #career", ":dm" and ":thread ID" choose where they post, ":press N"
// (or ":press m12 N") and ":submit name=value ..." use the last buttons
// (or those of message m12) and form they were shown, ":who", ":quit", and ":#" starts a comment. "/soudan ..." is a
// command; anything else is a post, where "@NAME" mentions a user seen via
// ":as".
//
// The output is stable, for people and for scripts that grep it. Every
// printed message is a block: a header at column 0 with the message id
// (and its anchor, when a handler set one), then its body, every line of
// it (blank ones too) indented by two spaces:
//
//	[佐藤 → #career] m5             a user's post, echoed; it is message m5
//	[佐藤 → #career › m5] m6        a post in the thread rooted at m5
//	[佐藤 → DM] /soudan mine        a command (one line: no message)
//	[鈴木 → #career] ▶ [1] 引き受ける (m7)    a button press on m7
//	[鈴木 → DM] 📝 回答 (m9)         a form submission from m9
//	[→ DM 佐藤] m7 (#12)            the bot to 佐藤's DM, about #12
//	[→ #career › m5] m8             the bot in a thread
//	[→ 佐藤 only, #career] m9        shown to 佐藤 alone (ephemeral)
//
// A body shows the title as "■ Title", the text, fields as "・Label: Value",
// buttons as "[1] 引き受ける  [2] 開く <url>", and a form as "📝 Title" with
// one line per input. The console's own messages (errors of meta-lines,
// ":help", ":who") start with "! ", and an error the dispatcher returns is
// printed as "! error: ...".
//
// With Options.State set, the console keeps its message numbering, its
// users (locale and where they post) and its newest messages across
// restarts (see State), so ids never repeat on the same data file and
// ":thread", ":press" and ":submit" reach messages printed before.
package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
)

var (
	_ bot.Adapter    = (*Adapter)(nil)
	_ bot.Linker     = (*Adapter)(nil)
	_ bot.UserLookup = (*Adapter)(nil)
	_ bot.Responder  = (*turn)(nil)
)

// Workspace is the workspace of every console address.
const Workspace = "console"

// Options configures the console.
type Options struct {
	// BotName is the bot's name: "@"+BotName in a post mentions the bot and
	// "/"+BotName starts a command. Default "soudan".
	BotName string
	// DefaultUser is the current user before any ":as". Default "user".
	DefaultUser string
	// Locale is the locale of a user who did not choose one with ":as
	// NAME LOCALE": cmd/soudan passes its -lang. Default "ja".
	Locale string
	// Now returns the time stamped on incoming messages. Default time.Now.
	Now func() time.Time
	// State, when set, keeps the console's state across restarts: New
	// loads it, and every printed message and every ":as", ":in", ":dm"
	// and ":thread" saves it. With State nil the console forgets
	// everything when the process ends.
	State State
	// StopAfterFailedAs, when set, refuses every line that would act as a
	// user (a post, a command, ":in", ":dm", ":thread", ":press",
	// ":submit") after a failed ":as", until an ":as" succeeds: in a script
	// nobody reads the error before the next line runs, and those lines
	// were meant for someone else. Unset, they go out as the user before.
	StopAfterFailedAs bool
	// AnnounceResumed, when set, says so when a user becomes current (at
	// the start of Run, or by ":as") and posts where an earlier run left
	// them, in a channel or a thread rather than their DM: else a plain
	// line could silently answer an old consultation. Once per user and
	// run.
	AnnounceResumed bool
	// AfterLine, when set, runs after each dispatched line (a post, a
	// command, a press or a submission) and before the next line is read:
	// cmd/soudan flushes the outbox there, so the messages a line caused
	// are printed before the next line, in the same order every run.
	AfterLine func(ctx context.Context)
}

// Adapter is the console adapter. Run reads the input; Send and Reply may
// be called from any goroutine.
type Adapter struct {
	in     io.Reader
	opt    Options
	prefix string // "e-<8 hex>-": event ids never repeat across restarts

	mu      sync.Mutex // guards everything below, and writes to out
	out     io.Writer
	events  int               // incoming events so far
	printed int               // number of the newest message: "m"+printed
	changes int               // changes to the saved state so far
	history []*shown          // every printed message (or loaded), oldest first
	byID    map[string]*shown // history by message id
	users   map[string]*user  // users seen via :as, by name
	current *user
	echo    string // the echo of the line being recorded (echoLocked)
	// asFailed: the last ":as" failed, and Options.StopAfterFailedAs is
	// set: lines acting as a user are refused.
	asFailed bool

	saveMu     sync.Mutex // serialises saves; taken before mu, never while holding it
	saved      int        // changes covered by the last save
	saveFailed bool       // the last save failed (its notice was printed)
}

// user is one console user and where they post.
type user struct {
	name   string
	locale string
	conv   conv // where their posts go
	// chose: the user chose locale with ":as NAME LOCALE" and their next
	// message says so (bot.User.LocaleChosen), so that the bot's stored
	// locale follows.
	chose bool
	// restored: conv is where the user was when an earlier run ended,
	// not their DM, and it was not announced yet (see announceLocked).
	restored bool
}

// New returns a console adapter reading lines from in and printing to out.
func New(in io.Reader, out io.Writer, opt Options) *Adapter {
	if opt.BotName == "" {
		opt.BotName = "soudan"
	}
	if opt.DefaultUser == "" {
		opt.DefaultUser = "user"
	}
	if opt.Locale == "" {
		opt.Locale = "ja"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	a := &Adapter{
		in:     in,
		out:    out,
		opt:    opt,
		prefix: "e-" + randomHex(4) + "-",
		byID:   map[string]*shown{},
		users:  map[string]*user{},
	}
	reset := a.load()
	a.current = a.userLocked(opt.DefaultUser)
	if reset != nil {
		a.noticeLocked(reset)
		a.save()
	}
	return a
}

// Platform returns bot.PlatformConsole.
func (a *Adapter) Platform() string { return bot.PlatformConsole }

// userLocked returns the user called name, creating them (locale
// Options.Locale, posting to their DM) on first use.
func (a *Adapter) userLocked(name string) *user {
	u, ok := a.users[name]
	if !ok {
		u = &user{name: name, locale: a.opt.Locale, conv: dmConv(name)}
		a.users[name] = u
	}
	return u
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
