package teams

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/teams/teamsfake"
)

func TestPermalink(t *testing.T) {
	e := newEnv(t, &recorder{})
	for _, tc := range []struct {
		at   bot.Address
		want string
	}{
		{bot.Address{Platform: "teams", Workspace: "t1", Channel: teamsfake.Channel, Thread: "17"},
			"https://teams.microsoft.com/l/message/19:career@thread.tacv2/17?parentMessageId=17&tenantId=t1"},
		{bot.Address{Platform: "teams", Channel: "19:g@thread.v2", Thread: "5"},
			"https://teams.microsoft.com/l/message/19:g@thread.v2/5?context=%7B%22contextType%22%3A%22chat%22%7D"},
	} {
		got, err := e.a.Permalink(context.Background(), tc.at)
		if err != nil || got != tc.want {
			t.Errorf("Permalink(%+v): got %q, %v; want %q", tc.at, got, err, tc.want)
		}
	}
	if _, err := e.a.Permalink(context.Background(), bot.Address{Channel: teamsfake.Channel}); err == nil {
		t.Error("Permalink without a message: got no error")
	}
}

// TestUserLinkAndLookup ask the connector about a user in their DM.
func TestUserLinkAndLookup(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	ctx := context.Background()
	if _, err := e.a.UserLink(ctx, "29:sato"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("UserLink before any DM: got %v, want ErrUnknownUser", err)
	}
	e.one(rc, e.bf.DMActivity("d1", "29:sato", "", "hi"))
	e.bf.AddMember(teamsfake.Member{ID: "29:sato", Name: "佐藤 花子", UserPrincipalName: "sato@example.jp"})
	link, err := e.a.UserLink(ctx, "29:sato")
	if want := "https://teams.microsoft.com/l/chat/0/0?users=sato%40example.jp"; err != nil || link != want {
		t.Errorf("UserLink: got %q, %v; want %q", link, err, want)
	}
	u, err := e.a.LookupUser(ctx, "29:sato")
	if err != nil || u.Name != "佐藤 花子" {
		t.Errorf("LookupUser: got %+v, %v; want 佐藤 花子", u, err)
	}
}

// TestMentionNameLookup: the bot mentions a user it has not seen; the
// name comes from the conversation's members.
func TestMentionNameLookup(t *testing.T) {
	rc := &recorder{fn: replyWith("<@29:suzuki> さん、お願いします")}
	e := newEnv(t, rc)
	e.bf.AddMember(teamsfake.Member{ID: "29:suzuki", Name: "鈴木"})
	e.one(rc, e.bf.DMActivity("d1", "29:tanaka", "田中", "hi"))
	var sent string
	for _, c := range e.bf.Calls() {
		if c.Method == "POST" {
			sent = fmt.Sprint(c.Body)
		}
	}
	if !strings.Contains(sent, "<at>鈴木</at>") || !strings.Contains(sent, "29:suzuki") {
		t.Errorf("sent %s; want the mention of 鈴木 with its entity", sent)
	}
}

func TestSendErrorClass(t *testing.T) {
	for _, tc := range []struct {
		err       error
		temporary bool
	}{
		{&StatusError{Status: 404}, false},
		{&StatusError{Status: 403}, false},
		{&StatusError{Status: 412}, true},
		{&retryable{err: errors.New("x")}, true},
		{context.DeadlineExceeded, true},
	} {
		se, ok := bot.AsSendError(sendError(tc.err))
		if !ok || se.Temporary != tc.temporary {
			t.Errorf("sendError(%v): got %+v, want temporary %v", tc.err, se, tc.temporary)
		}
	}
	if sendError(nil) != nil {
		t.Error("sendError(nil) is not nil")
	}
}
