package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
)

func TestRouterDMSentenceStartingWithACommandWordIsAPost(t *testing.T) {
	var c calls
	rt := bot.NewRouter()
	rt.Command(bot.Command{Name: "help", Handler: c.h("help"), MaxWords: 1})
	rt.Command(bot.Command{Name: "mine", Handler: c.h("mine"), MaxWords: bot.NoWords})
	resolve := func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		c = append(c, "resolve("+strings.Join(m.Args, ",")+")")
		if len(m.Args) == 0 {
			return bot.Errorf(bot.CodeUsage, "usage.resolve")
		}
		if m.Args[0] != "1" {
			return bot.Errorf(bot.CodeInvalid, "error.bad_id", "ID", m.Args[0])
		}
		if len(m.Args) > 1 {
			return bot.Errorf(bot.CodeInvalid, "error.bad_rating")
		}
		return nil
	}
	rt.Command(bot.Command{Name: "resolve", Aliases: []string{"解決"}, Handler: resolve})
	rt.Command(bot.Command{Name: "admin", Role: "admin", Handler: resolve})
	rt.Authorize = func(context.Context, *bot.Message, string) error { return nil }
	rt.Post(func(_ context.Context, m *bot.Message, _ bot.Responder) error {
		c = append(c, "post:"+m.Text)
		if m.Kind != bot.KindPost || m.Command != "" || len(m.Args) != 0 {
			t.Errorf("post handler got kind %v command %q args %q, want the post as it came", m.Kind, m.Command, m.Args)
		}
		return nil
	})
	for _, tt := range []struct {
		m    *bot.Message
		want string
	}{
		{bottest.DM("bob", "help"), "help()"},
		{bottest.DM("bob", "help ask"), "help(ask)"},
		{bottest.DM("bob", "help me understand the transfer process"), "post:help me understand the transfer process"},
		{bottest.DM("bob", "mine"), "mine()"},
		{bottest.DM("bob", "mine is a long story"), "post:mine is a long story"},
		{bottest.DM("bob", "resolve 1"), "resolve(1)"},
		{bottest.DM("bob", "resolve conflicts with my boss - any tips?"), "resolve(conflicts,with,my,boss,-,any,tips?) post:resolve conflicts with my boss - any tips?"},
		{bottest.DM("佐藤", "解決 できない悩みがあります"), "resolve(できない悩みがあります) post:解決 できない悩みがあります"},
		{bottest.Post("bob", "#career", "@soudan resolve conflicts please"), "resolve(conflicts,please) post:resolve conflicts please"},
	} {
		c = nil
		if err := dispatch(t, rt, tt.m); err != nil || strings.Join(c, " ") != tt.want {
			t.Errorf("%q: err %v, calls %q; want %s", tt.m.Text, err, c, tt.want)
		}
	}
	// A mistyped command is refused, not asked: a bare command, a number
	// first, an admin's command, a slash command.
	for _, m := range []*bot.Message{
		bottest.DM("bob", "resolve"),
		bottest.DM("bob", "resolve 1 11"),
		bottest.DM("bob", "admin conflicts"),
		bottest.Command("bob", "resolve conflicts with my boss"),
	} {
		c = nil
		err := dispatch(t, rt, m)
		if _, ok := bot.AsError(err); !ok || strings.Contains(strings.Join(c, " "), "post:") {
			t.Errorf("%q: err %v, calls %q; want the command's refusal and no post", m.Text+m.ArgText, err, c)
		}
	}
}
