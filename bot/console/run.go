package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/soudan/soudan/bot"
)

// Run reads lines until the input ends, a ":quit" line or ctx is done, and
// dispatches each line before it reads the next, so that a piped script
// gives the same output every time. An error the dispatcher returns is
// printed as "! error: ..." and the session goes on. Run returns nil at the
// end of the input or on ":quit", and ctx.Err() when ctx is done. Call it
// once. With Options.AnnounceResumed it starts by saying where the
// current user posts when that is where an earlier run left them (a
// channel or a thread, not their DM).
//
// Lines are read in a goroutine so that ctx can stop Run while it waits for
// input; that goroutine ends with the input.
func (a *Adapter) Run(ctx context.Context, d bot.Dispatcher) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	done := make(chan struct{})
	defer close(done)
	go readLines(a.in, lines, errc, done)
	a.mu.Lock()
	a.announceLocked(a.current)
	a.mu.Unlock()
	for first := true; ; first = false {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line, ok := <-lines:
			if !ok {
				return <-errc
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if first {
				line = strings.TrimPrefix(line, "\ufeff") // a byte order mark
			}
			if a.handle(ctx, d, line) {
				return nil
			}
		}
	}
}

// readLines sends the lines of in until it ends or done is closed, then
// reports a read error (nil at the end of the input) on errc.
func readLines(in io.Reader, lines chan<- string, errc chan<- error, done <-chan struct{}) {
	defer close(lines)
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			select {
			case lines <- line:
			case <-done:
				errc <- nil
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			} else {
				err = fmt.Errorf("console: read input: %w", err)
			}
			errc <- err
			return
		}
	}
}

// handle runs one input line. It reports whether the line was ":quit".
func (a *Adapter) handle(ctx context.Context, d bot.Dispatcher, line string) (quit bool) {
	defer func() { // an echo no dispatch printed (none is expected)
		a.mu.Lock()
		a.printEchoLocked()
		a.mu.Unlock()
	}()
	kind, word, rest := parseLine(a.opt.BotName, line)
	if kind == lineCommand || kind == linePost {
		a.mu.Lock()
		refused := a.asFailed
		if refused {
			a.noticeLocked(&notice{key: msgAfterFailedAs, args: []any{a.current.name}})
		}
		a.mu.Unlock()
		if refused {
			return false
		}
	}
	switch kind {
	case lineMeta:
		return a.meta(ctx, d, word, rest)
	case lineCommand:
		a.command(ctx, d, rest)
	case linePost:
		a.post(ctx, d, rest)
	}
	return false
}

// post dispatches a post by the current user where they are.
func (a *Adapter) post(ctx context.Context, d bot.Dispatcher, text string) {
	a.mu.Lock()
	u := a.current
	mn := a.mentionsLocked(text)
	m := a.eventLocked(u, u.conv, bot.KindPost)
	m.Text, m.Mentions, m.BotMentioned, m.Raw = mn.text, mn.users, mn.bot, text
	sh := a.recordLocked(u.conv, "", bot.Reply{})
	sh.author, sh.text = u.name, mn.text
	m.Self = sh.id
	a.echoLocked(u.name, u.conv, sh.id, text)
	t := &turn{a: a, user: u.name, conv: u.conv, source: sh.id}
	a.mu.Unlock()
	a.save()
	a.dispatch(ctx, d, m, t)
}

// command dispatches "/soudan ..." by the current user where they are;
// args is the text after "/soudan".
func (a *Adapter) command(ctx context.Context, d bot.Dispatcher, args string) {
	a.mu.Lock()
	u := a.current
	mn := a.mentionsLocked(args)
	m := a.eventLocked(u, u.conv, bot.KindCommand)
	line := "/" + a.opt.BotName + " " + args
	m.Command, m.Args, m.ArgText = bot.ParseCommand(a.opt.BotName, "/"+a.opt.BotName+" "+mn.text)
	m.Text, m.Mentions, m.BotMentioned, m.Raw = mn.text, mn.users, mn.bot, line
	a.echoLocked(u.name, u.conv, strings.TrimSpace(line), "")
	t := &turn{a: a, user: u.name, conv: u.conv}
	a.mu.Unlock()
	a.dispatch(ctx, d, m, t)
}

// dispatch records m in d's inbox when d has one (a line is "acknowledged"
// once recorded: a kill after that handles it at the next start), runs it
// through d without the lock held, prints the error d returns, if any, and
// runs the AfterLine hook.
func (a *Adapter) dispatch(ctx context.Context, d bot.Dispatcher, m *bot.Message, t *turn) {
	m.Time = a.opt.Now()
	ok, err := bot.Record(ctx, d, m, []byte(t.source))
	a.mu.Lock()
	a.printEchoLocked() // recorded: the echo acknowledges it
	if err != nil {
		a.sayLocked("error: " + err.Error())
	}
	a.mu.Unlock()
	if err != nil || !ok {
		return
	}
	a.run(ctx, d, m, t)
}

// run handles m through d and runs the AfterLine hook.
func (a *Adapter) run(ctx context.Context, d bot.Dispatcher, m *bot.Message, t *turn) {
	if err := d.Dispatch(ctx, m, t); err != nil {
		a.mu.Lock()
		a.sayLocked("error: " + err.Error())
		a.mu.Unlock()
	}
	if a.opt.AfterLine != nil {
		a.opt.AfterLine(ctx)
	}
}

// eventLocked starts an incoming message of the given kind from u in c,
// with a new event id. The first after u chose their locale says so.
func (a *Adapter) eventLocked(u *user, c conv, kind bot.Kind) *bot.Message {
	a.events++
	_, dm := c.dmUser()
	chose := u.chose
	if chose {
		u.chose = false
		a.changes++
	}
	return &bot.Message{
		ID:      fmt.Sprintf("%s%d", a.prefix, a.events),
		Kind:    kind,
		User:    bot.User{ID: u.name, Name: u.name, Locale: u.locale, LocaleChosen: chose},
		Address: c.address(c.thread),
		Direct:  dm,
	}
}

// mentionsLocked resolves the mentions in text of the users seen so far.
func (a *Adapter) mentionsLocked(text string) mentioned {
	names := make([]string, 0, len(a.users))
	for name := range a.users {
		names = append(names, name)
	}
	return resolveMentions(text, a.opt.BotName, names)
}

var _ bot.Resumer = (*Adapter)(nil)

// Resume handles a line recorded in the inbox before a restart, answering
// in the conversation it was typed in; origin is the id of the message it
// was about, if any.
func (a *Adapter) Resume(ctx context.Context, d bot.Dispatcher, m *bot.Message, origin []byte) error {
	t := &turn{a: a, user: m.User.ID, conv: conv{channel: m.Address.Channel, thread: m.Address.Thread}, source: string(origin)}
	a.run(ctx, d, m, t)
	return nil
}
