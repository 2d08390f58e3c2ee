package bot_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

// calls records which handlers ran, and with what.
type calls []string

// h returns a handler that records name and the message's Args.
func (c *calls) h(name string) bot.Handler {
	return func(_ context.Context, m *bot.Message, _ bot.Responder) error {
		*c = append(*c, name+"("+strings.Join(m.Args, ",")+")")
		return nil
	}
}

func dispatch(t *testing.T, rt *bot.Router, m *bot.Message) error {
	t.Helper()
	return bottest.New("").Do(t.Context(), rt, m).Err
}

// wantCode fails unless err is a *bot.Error with the code and key.
func wantCode(t *testing.T, err error, code bot.Code, key string) *bot.Error {
	t.Helper()
	e, ok := bot.AsError(err)
	if !ok || e.Code != code || e.MsgKey != key {
		t.Fatalf("error = %v, want code %s key %s", err, code, key)
	}
	return e
}

func TestRouterAliases(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "help", Aliases: []string{"ヘルプ", "使い方"}, Handler: c.h("help")})
	for _, line := range []string{"help", "HELP", "ＨＥＬＰ", "ｈｅｌｐ", "/help", "ヘルプ", "使い方", "/soudan Help"} {
		c = nil
		if err := dispatch(t, rt, bottest.Command("佐藤", line)); err != nil || len(c) != 1 {
			t.Errorf("%q: err %v, calls %q; want help to run", line, err, c)
		}
	}
	e := wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "helps")), bot.CodeUnknownCommand, "error.unknown_command")
	if e.Args["Command"] != "helps" {
		t.Errorf("Args = %v, want Command helps", e.Args)
	}
}

func TestRouterSubcommands(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "tip", Aliases: []string{"ヒント"}, Sub: []bot.Command{
		{Name: "add", Handler: c.h("add")},
		{Name: "search", Aliases: []string{"検索"}, Handler: c.h("search")},
	}})
	rt.Command(bot.Command{Name: "survey", Handler: c.h("survey"), Sub: []bot.Command{
		{Name: "report", Sub: []bot.Command{{Name: "csv", Handler: c.h("csv")}}},
	}})

	var argText string
	rt.Use(func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
			err := next(ctx, m, r)
			argText = m.ArgText
			return err
		}
	})
	for _, tt := range []struct{ line, want, argText string }{
		{"tip search 面接　対策", "search(面接,対策)", "面接　対策"},
		{"ヒント 検索 面接", "search(面接)", "面接"},
		{"tip ADD 一行目\n二行目", "add(一行目,二行目)", "一行目\n二行目"},
		{"survey", "survey()", ""},
		{"survey 2026-12", "survey(2026-12)", "2026-12"},
		{"survey report csv 2026", "csv(2026)", "2026"},
	} {
		c = nil
		if err := dispatch(t, rt, bottest.Command("佐藤", tt.line)); err != nil || strings.Join(c, " ") != tt.want || argText != tt.argText {
			t.Errorf("%q: err %v, calls %q, ArgText %q; want %s, %q", tt.line, err, c, argText, tt.want, tt.argText)
		}
	}

	e := wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "tip show 3")), bot.CodeUnknownCommand, "error.unknown_subcommand")
	if want := map[string]any{"Command": "tip", "Sub": "show", "Subs": "add, search"}; !reflect.DeepEqual(e.Args, want) {
		t.Errorf("Args = %v, want %v", e.Args, want)
	}
	e = wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "tip")), bot.CodeUnknownCommand, "error.missing_subcommand")
	if want := map[string]any{"Command": "tip", "Subs": "add, search"}; !reflect.DeepEqual(e.Args, want) {
		t.Errorf("Args = %v, want %v", e.Args, want)
	}
	e = wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "survey report")), bot.CodeUnknownCommand, "error.missing_subcommand")
	if e.Args["Command"] != "survey report" {
		t.Errorf("Command = %q, want the path survey report", e.Args["Command"])
	}
}

func TestRouterRoles(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "stats", Role: "admin", Handler: c.h("stats")})
	rt.Command(bot.Command{Name: "mentor", Sub: []bot.Command{
		{Name: "register", Handler: c.h("register")},
		{Name: "approve", Role: "admin", Handler: c.h("approve")},
	}})

	// Without Authorize, a role is refused.
	wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "stats")), bot.CodeForbidden, "error.forbidden")

	var asked []string
	rt.Authorize = func(_ context.Context, m *bot.Message, role string) error {
		asked = append(asked, m.User.ID+":"+role)
		if m.User.ID == "admin" {
			return nil
		}
		return bot.Errorf(bot.CodeForbidden, "error.forbidden", "Role", role)
	}
	wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "mentor approve 鈴木")), bot.CodeForbidden, "error.forbidden")
	for _, line := range []string{"stats", "mentor approve 鈴木"} {
		if err := dispatch(t, rt, bottest.Command("admin", line)); err != nil {
			t.Errorf("admin %q: %v", line, err)
		}
	}
	if err := dispatch(t, rt, bottest.Command("佐藤", "mentor register")); err != nil {
		t.Errorf("register needs no role: %v", err)
	}
	if want := "stats() approve(鈴木) register()"; strings.Join(c, " ") != want {
		t.Errorf("calls %q, want %s", c, want)
	}
	if want := "佐藤:admin admin:admin admin:admin"; strings.Join(asked, " ") != want {
		t.Errorf("Authorize asked %q, want %s", asked, want)
	}
}

func TestRouterDMFirstWord(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "help", Aliases: []string{"ヘルプ"}, Handler: c.h("help")})
	rt.Post(c.h("post"))
	for _, tt := range []struct {
		name string
		m    *bot.Message
		want string
	}{
		{"DM command word", bottest.DM("佐藤", "ヘルプ お願いします"), "help(お願いします)"},
		{"DM full-width", bottest.DM("佐藤", "ＨＥＬＰ"), "help()"},
		{"DM other words", bottest.DM("佐藤", "相談があります"), "post()"},
		{"channel post", bottest.Post("佐藤", "#career", "help me"), "post()"},
		{"channel mention", bottest.Post("佐藤", "#career", "@soudan help me"), "help(me)"},
	} {
		c = nil
		if err := dispatch(t, rt, tt.m); err != nil || strings.Join(c, " ") != tt.want {
			t.Errorf("%s: err %v, calls %q; want %s", tt.name, err, c, tt.want)
		}
	}
	m := bottest.DM("佐藤", "help  で\n使い方")
	if err := dispatch(t, rt, m); err != nil || m.Kind != bot.KindCommand || m.Command != "help" || m.ArgText != "で\n使い方" {
		t.Errorf("converted message: kind %v command %q argText %q", m.Kind, m.Command, m.ArgText)
	}
}

func TestRouterLongestPrefix(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Action("consult.", c.h("consult"))
	rt.Action("consult.take", c.h("take"))
	rt.Action("", c.h("any"))
	rt.Form("survey.", c.h("survey"))
	rt.Form("survey.monthly", c.h("monthly"))
	at := bot.Address{Channel: "#career", Thread: "msg-1"}
	for _, tt := range []struct {
		m    *bot.Message
		want string
	}{
		{bottest.Press("鈴木", at, "consult.take.12", "12"), "take()"},
		{bottest.Press("鈴木", at, "consult.answer", "12"), "consult()"},
		{bottest.Press("鈴木", at, "other", ""), "any()"},
		{bottest.Submit("鈴木", at, "survey.monthly", "2026-12", nil), "monthly()"},
		{bottest.Submit("鈴木", at, "survey.adhoc", "", nil), "survey()"},
	} {
		c = nil
		if err := dispatch(t, rt, tt.m); err != nil || strings.Join(c, " ") != tt.want {
			t.Errorf("%s %q: err %v, calls %q; want %s", tt.m.Kind, tt.m.Action.ID, err, c, tt.want)
		}
	}
	wantCode(t, dispatch(t, rt, bottest.Submit("鈴木", at, "profile", "", nil)), bot.CodeUnhandled, "error.stale_action")
	wantCode(t, dispatch(t, bot.NewRouter(), bottest.Press("鈴木", at, "x", "")), bot.CodeUnhandled, "error.stale_action")
}

func TestRouterReactions(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Reaction("white_check_mark", c.h("done"))
	at := bot.Address{Channel: "#career", Thread: "msg-1"}
	for _, name := range []string{":white_check_mark:", "eyes"} {
		if err := dispatch(t, rt, bottest.React("佐藤", at, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if strings.Join(c, " ") != "done()" {
		t.Errorf("calls %q, want done() once", c)
	}
}

func TestRouterSkipChain(t *testing.T) {
	var c calls
	skip := func(name string, err error) bot.Handler {
		return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
			c = append(c, name)
			return err
		}
	}
	boom := errors.New("boom")
	rt := bot.NewRouter()
	rt.Post(skip("a", bot.ErrSkip))
	rt.Post(skip("b", fmt.Errorf("not mine: %w", bot.ErrSkip)))
	rt.Post(skip("c", boom))
	rt.Post(skip("d", nil))
	if err := dispatch(t, rt, bottest.Post("佐藤", "#random", "hi")); !errors.Is(err, boom) || strings.Join(c, "") != "abc" {
		t.Errorf("err %v, calls %q; want boom after a, b, c", err, c)
	}

	c = nil
	rt = bot.NewRouter()
	rt.Post(skip("a", bot.ErrSkip))
	rt.Post(skip("b", bot.ErrSkip))
	if err := dispatch(t, rt, bottest.Post("佐藤", "#random", "hi")); err != nil || strings.Join(c, "") != "ab" {
		t.Errorf("err %v, calls %q; want nil after a, b", err, c)
	}
}

func TestRouterMiddlewareOrder(t *testing.T) {
	var c calls
	mw := func(name string) bot.Middleware {
		return func(next bot.Handler) bot.Handler {
			return func(ctx context.Context, m *bot.Message, r bot.Responder) error {
				c = append(c, name+">")
				err := next(ctx, m, r)
				c = append(c, "<"+name)
				return err
			}
		}
	}
	rt := bot.NewRouter()
	rt.Use(mw("A"), mw("B"))
	rt.Use(mw("C"))
	rt.Command(bot.Command{Name: "help", Handler: c.h("help")})
	if err := dispatch(t, rt, bottest.Command("佐藤", "help")); err != nil {
		t.Fatal(err)
	}
	if want := "A> B> C> help() <C <B <A"; strings.Join(c, " ") != want {
		t.Errorf("order %q, want %s", strings.Join(c, " "), want)
	}
}

// TestRouterReentrant fails by deadlock if the router held its lock while
// a handler runs: handlers may register handlers and dispatch again.
func TestRouterReentrant(t *testing.T) {
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "help", Handler: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		rt.Reaction("eyes", func(context.Context, *bot.Message, bot.Responder) error { return nil })
		if n := len(rt.Commands()); n != 1 {
			return fmt.Errorf("Commands() has %d, want 1", n)
		}
		return nil
	}})
	rt.Post(func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return rt.Dispatch(ctx, bottest.Command(m.User.ID, "help"), r)
	})
	done := make(chan error)
	go func() { done <- rt.Dispatch(context.Background(), bottest.Post("佐藤", "#c", "hi"), nil) }()
	select {
	case err := <-done:
		if err != nil {
			t.Error(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Dispatch deadlocked")
	}
}

func TestRouterCommandsIsACopy(t *testing.T) {
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "help"})
	cmds := rt.Commands()
	cmds[0].Name = "changed"
	if got := rt.Commands()[0].Name; got != "help" {
		t.Errorf("Commands()[0].Name = %q after changing the copy, want help", got)
	}
}

// Features each register their own subcommands of a shared command: the
// router merges them by name, at every level, and keeps the role.
func TestRouterMergesSubcommandsOfOneName(t *testing.T) {
	rt := bot.NewRouter()
	rt.Authorize = func(context.Context, *bot.Message, string) error { return nil }
	var ran []string
	h := func(name string) bot.Handler {
		return func(context.Context, *bot.Message, bot.Responder) error { ran = append(ran, name); return nil }
	}
	rt.Command(bot.Command{Name: "admin", Aliases: []string{"管理"}, Role: "admin", Sub: []bot.Command{
		{Name: "topic", Sub: []bot.Command{{Name: "add", Handler: h("topic add")}}},
	}})
	rt.Command(bot.Command{Name: "admin", Sub: []bot.Command{
		{Name: "topic", Sub: []bot.Command{{Name: "set", Handler: h("topic set")}}},
		{Name: "closed", Handler: h("closed")},
	}})
	if got := len(rt.Commands()); got != 1 {
		t.Fatalf("got %d commands, want 1 merged admin", got)
	}
	for _, line := range []string{"admin topic add x", "管理 topic set y", "admin closed list"} {
		if err := dispatch(t, rt, bottest.Command("佐藤", line)); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
	}
	if got, want := strings.Join(ran, ","), "topic add,topic set,closed"; got != want {
		t.Fatalf("ran %q, want %q", got, want)
	}
	rt.Authorize = func(context.Context, *bot.Message, string) error {
		return bot.Errorf(bot.CodeForbidden, "error.forbidden")
	}
	wantCode(t, dispatch(t, rt, bottest.Command("佐藤", "admin closed list")), bot.CodeForbidden, "error.forbidden")
}
