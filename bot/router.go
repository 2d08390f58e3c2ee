package bot

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Handler handles one incoming message. It returns an *Error for anything
// the user should be told, or another error for defects.
type Handler func(ctx context.Context, m *Message, r Responder) error

// Middleware wraps a handler.
type Middleware func(Handler) Handler

// Command is one command of the /soudan command set, with its subcommands.
type Command struct {
	Name     string
	Aliases  []string
	UsageKey string // catalog key of the one-line usage shown in help
	Role     string // role needed to run it (and its subcommands); "" for everyone
	Handler  Handler
	// Sub are subcommands, chosen by the first argument. When none matches,
	// Handler runs if set; otherwise the router reports an unknown command.
	Sub []Command
	// MaxWords is the most words a post may carry after the command word
	// and still be read as this command (a DM, or a post mentioning the
	// bot, that starts with a command word): more, and it is a sentence
	// that happens to start with the word, handled as a post. 0 means any
	// number; NoWords means none.
	MaxWords int
}

// NoWords is Command.MaxWords for a command typed alone.
const NoWords = -1

// takesWords reports whether a post with n words after c's name may be
// read as c.
func (c Command) takesWords(n int) bool {
	switch {
	case c.MaxWords == NoWords:
		return n == 0
	case c.MaxWords > 0:
		return n <= c.MaxWords
	}
	return true
}

// isSentence reports whether err, from a command read from a post's
// first word, says the post was not that command: the command refused its
// arguments as unusable, and the first of them has no digit ("resolve
// conflicts with my boss" is a sentence; "resolve 1 11" a mistyped
// command whose refusal the user should read, as is a bare "resolve").
func isSentence(err error, args []string) bool {
	e, ok := AsError(err)
	if !ok || e.Code != CodeUsage && e.Code != CodeInvalid || len(args) == 0 {
		return false
	}
	return !strings.ContainsFunc(args[0], unicode.IsDigit)
}

// Router dispatches messages to handlers registered explicitly. Its zero
// value is not usable; create one with NewRouter.
type Router struct {
	// Authorize decides whether the sender of m has role. It must return a
	// *Error (usually CodeForbidden) to refuse. With Authorize nil, commands
	// that need a role are refused.
	Authorize func(ctx context.Context, m *Message, role string) error
	// DefaultCommand runs for a command line with no command name (a bare
	// "/soudan"); usually "help".
	DefaultCommand string

	mu        sync.RWMutex
	commands  []Command
	posts     []Handler
	actions   map[string]Handler
	forms     map[string]Handler
	reactions map[string]Handler
	home      Handler
	mw        []Middleware
}

var _ Dispatcher = (*Router)(nil)

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{
		actions:   map[string]Handler{},
		forms:     map[string]Handler{},
		reactions: map[string]Handler{},
	}
}

// Use appends middleware. The first added is the outermost.
func (rt *Router) Use(mw ...Middleware) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.mw = append(rt.mw, mw...)
}

// Command registers a command. Registering a name that is already there
// adds to it: its subcommands join the existing ones (merged by name, at
// every level), and its Handler, aliases and usage fill what the first
// registration left empty. That is how features each add their own
// subcommands to a shared command such as "admin".
func (rt *Router) Command(c Command) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.commands = mergeCommand(rt.commands, c)
}

// mergeCommand adds c to cmds, merging it into a command of the same name.
func mergeCommand(cmds []Command, c Command) []Command {
	for i, old := range cmds {
		if NormalizeName(old.Name) != NormalizeName(c.Name) {
			continue
		}
		if old.Handler == nil {
			old.Handler = c.Handler
		}
		if old.UsageKey == "" {
			old.UsageKey = c.UsageKey
		}
		if old.Role == "" {
			old.Role = c.Role
		}
		for _, a := range c.Aliases {
			if _, dup := FindCommand([]Command{old}, a); !dup {
				old.Aliases = append(old.Aliases, a)
			}
		}
		subs := slices.Clone(old.Sub)
		for _, s := range c.Sub {
			subs = mergeCommand(subs, s)
		}
		old.Sub = subs
		out := slices.Clone(cmds)
		out[i] = old
		return out
	}
	return append(cmds, c)
}

// Commands returns the registered commands, in registration order.
func (rt *Router) Commands() []Command {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	return append([]Command(nil), rt.commands...)
}

// Post registers a handler for plain posts. Handlers run in registration
// order until one returns something other than ErrSkip.
func (rt *Router) Post(h Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.posts = append(rt.posts, h)
}

// Action registers a handler for button presses whose action id starts
// with prefix. The longest matching prefix wins.
func (rt *Router) Action(prefix string, h Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.actions[prefix] = h
}

// Form registers a handler for form submissions whose form id starts with
// prefix. The longest matching prefix wins.
func (rt *Router) Form(prefix string, h Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.forms[prefix] = h
}

// Reaction registers a handler for a reaction name.
func (rt *Router) Reaction(name string, h Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.reactions[name] = h
}

// Home registers the handler that renders the user's home surface
// (KindHome). Its reply is what the adapter shows there.
func (rt *Router) Home(h Handler) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.home = h
}

// ErrSkip tells the router a post handler did not take the message.
var ErrSkip = &Error{Code: codeSkip}

// Dispatch routes m through the middleware to its handler.
func (rt *Router) Dispatch(ctx context.Context, m *Message, r Responder) error {
	rt.mu.RLock()
	h := Handler(rt.route)
	for i := len(rt.mw) - 1; i >= 0; i-- {
		h = rt.mw[i](h)
	}
	rt.mu.RUnlock()
	return h(ctx, m, r)
}

// route finds and runs the handler for m. It holds the lock only to pick
// the handler, never while one runs: a handler may dispatch again or
// register handlers without deadlocking.
func (rt *Router) route(ctx context.Context, m *Message, r Responder) error {
	rt.mu.RLock()
	commands := rt.commands
	rt.mu.RUnlock()
	// A DM (or a post mentioning the bot) whose first word is a command
	// word is that command, unless it reads as a sentence: more words than
	// the command takes, or arguments the command refuses as unusable
	// ("resolve conflicts with my boss"). Then it is a post after all, and
	// the post handlers take it (a DM is a question). Only commands anyone
	// may run fall back: an admin's typo gets its usage.
	var post *Message
	var args []string
	if m.Kind == KindPost && (m.Direct || m.BotMentioned) {
		word, rest := CutWord(m.Text)
		args = Fields(rest)
		if c, ok := FindCommand(commands, word); ok && c.takesWords(len(args)) {
			if c.Role == "" && len(c.Sub) == 0 {
				orig := *m
				post = &orig
			}
			m.Kind, m.Command, m.ArgText, m.Args = KindCommand, word, rest, slices.Clone(args)
		}
	}
	switch m.Kind {
	case KindCommand:
		err := rt.runCommand(ctx, commands, m, r)
		if post != nil && isSentence(err, args) {
			*m = *post
			return rt.runPosts(ctx, m, r)
		}
		return err
	case KindPost:
		return rt.runPosts(ctx, m, r)
	case KindAction:
		if h := rt.lookup(rt.actions, m.Action.ID); h != nil {
			return h(ctx, m, r)
		}
		return Errorf(CodeUnhandled, "error.stale_action")
	case KindFormSubmit:
		if h := rt.lookup(rt.forms, m.Action.ID); h != nil {
			return h(ctx, m, r)
		}
		return Errorf(CodeUnhandled, "error.stale_action")
	case KindReaction:
		rt.mu.RLock()
		h := rt.reactions[m.Reaction]
		rt.mu.RUnlock()
		if h != nil {
			return h(ctx, m, r)
		}
	case KindHome:
		rt.mu.RLock()
		h := rt.home
		rt.mu.RUnlock()
		if h != nil {
			return h(ctx, m, r)
		}
	}
	return nil
}

// runPosts runs the post handlers in order until one takes m.
func (rt *Router) runPosts(ctx context.Context, m *Message, r Responder) error {
	rt.mu.RLock()
	posts := rt.posts
	rt.mu.RUnlock()
	for _, h := range posts {
		if err := h(ctx, m, r); !errors.Is(err, ErrSkip) {
			return err
		}
	}
	return nil
}

// lookup returns the handler of the longest prefix of id in m, under the
// read lock.
func (rt *Router) lookup(m map[string]Handler, id string) Handler {
	rt.mu.RLock()
	defer rt.mu.RUnlock()
	return longest(m, id)
}

func (rt *Router) runCommand(ctx context.Context, commands []Command, m *Message, r Responder) error {
	if strings.TrimSpace(m.Command) == "" && rt.DefaultCommand != "" {
		m.Command = rt.DefaultCommand // a bare "/soudan"
	}
	cmd, ok := FindCommand(commands, m.Command)
	if !ok {
		return Errorf(CodeUnknownCommand, "error.unknown_command", "Command", m.Command)
	}
	path := cmd.Name
	for {
		if cmd.Role != "" {
			if rt.Authorize == nil {
				return Errorf(CodeForbidden, "error.forbidden", "Role", cmd.Role)
			}
			if err := rt.Authorize(ctx, m, cmd.Role); err != nil {
				return err
			}
		}
		if len(cmd.Sub) == 0 {
			break
		}
		var sub Command
		if len(m.Args) > 0 {
			sub, ok = FindCommand(cmd.Sub, m.Args[0])
		} else {
			ok = false
		}
		if !ok {
			if cmd.Handler != nil {
				break
			}
			if len(m.Args) == 0 {
				return Errorf(CodeUnknownCommand, "error.missing_subcommand", "Command", path, "Subs", names(cmd.Sub))
			}
			return Errorf(CodeUnknownCommand, "error.unknown_subcommand", "Command", path, "Sub", m.Args[0], "Subs", names(cmd.Sub))
		}
		m.Shift()
		cmd = sub
		path += " " + sub.Name
	}
	if cmd.Handler == nil {
		return Errorf(CodeUnknownCommand, "error.unknown_command", "Command", path)
	}
	return cmd.Handler(ctx, m, r)
}

// NormalizeName folds a command word for matching: NFKC (so full-width
// letters match), lower case, a leading slash dropped.
func NormalizeName(s string) string {
	return strings.ToLower(strings.TrimPrefix(norm.NFKC.String(s), "/"))
}

// FindCommand finds the command named word, by name or alias, matched as
// the router matches it (NormalizeName).
func FindCommand(cmds []Command, word string) (Command, bool) {
	w := NormalizeName(word)
	if w == "" {
		return Command{}, false
	}
	for _, c := range cmds {
		if NormalizeName(c.Name) == w {
			return c, true
		}
		for _, a := range c.Aliases {
			if NormalizeName(a) == w {
				return c, true
			}
		}
	}
	return Command{}, false
}

func names(cmds []Command) string {
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = c.Name
	}
	return strings.Join(out, ", ")
}

func longest(m map[string]Handler, id string) Handler {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		if strings.HasPrefix(id, k) {
			return m[k]
		}
	}
	return nil
}
