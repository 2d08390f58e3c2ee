package admin

import (
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

func TestTopicAddRefusesTakenWords(t *testing.T) {
	e := newPeopleEnv(t)
	wantPeopleReply(t, e.cmd("admin", "/soudan admin topic add IT・Teams it パソコン"),
		e.app.cat.t("ja", "admin.topic.added", "Name", "IT・Teams", "Aliases", "it、パソコン"))
	before, _ := e.st.Topics()
	for _, tc := range []struct{ line, word string }{
		{"/soudan admin topic add ＩＴ", "ＩＴ"},
		{"/soudan admin topic add 情報 IT", "IT"},
		{"/soudan admin topic add ｉｔ・ｔｅａｍｓ", "ｉｔ・ｔｅａｍｓ"},
		{"/soudan admin topic add 端末 ﾊﾟｿｺﾝ", "ﾊﾟｿｺﾝ"},
	} {
		wantPeopleReply(t, e.cmd("admin", tc.line), e.refusal("ja", "admin.error.topic_exists", "Word", tc.word, "Topic", "IT・Teams"))
	}
	wantPeopleReply(t, e.cmd("admin", "/soudan admin topic add #it"), e.refusal("ja", "admin.error.bad_topic_name", "Name", "#it", "Max", 50))
	wantPeopleReply(t, e.cmd("admin", "/soudan admin topic add"), e.refusal("ja", "admin.error.usage", "Usage", e.app.cat.t("ja", "usage.admin.topic.add")))
	if after, _ := e.st.Topics(); len(after) != len(before) {
		t.Errorf("topics = %d after refusals, want %d", len(after), len(before))
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"topic.add"}) {
		t.Errorf("audit = %v, want one topic.add", got)
	}
}

func TestTopicMapAndList(t *testing.T) {
	e := newPeopleEnv(t)
	e.withTopics("キャリア career", "海外赴任 overseas")
	e.register("鈴木", validMentorForm("赴任の話をします", e.topic("海外赴任").ID))

	wantPeopleReply(t, e.cmd("admin", "/soudan admin topic map <#C123|career-soudan> キャリア"),
		e.app.cat.t("ja", "admin.topic.mapped", "Channel", "#career-soudan", "Topic", "キャリア"))
	wantPeopleReply(t, e.cmd("admin", "/soudan admin topic 割当 ＃abroad Overseas"),
		e.app.cat.t("ja", "admin.topic.mapped", "Channel", "#abroad", "Topic", "海外赴任"))
	got, err := e.st.TopicByChannel("test", "w", "C123")
	if err != nil || got.Name != "キャリア" {
		t.Errorf("TopicByChannel(C123) = %q, %v; want キャリア", got.Name, err)
	}
	if want := (store.ChannelRef{Platform: "test", Workspace: "w", Channel: "C123", Name: "#career-soudan"}); len(got.Channels) != 1 || got.Channels[0] != want {
		t.Errorf("channels = %+v, want [%+v]", got.Channels, want)
	}

	// Moving a channel to another topic says where it came from.
	wantPeopleReply(t, e.cmd("admin", "/soudan admin topic map #abroad キャリア"),
		e.app.cat.t("ja", "admin.topic.mapped", "Channel", "#abroad", "Topic", "キャリア")+"\n"+e.app.cat.t("ja", "admin.topic.moved", "From", "海外赴任"))
	// Mapping in place with "here".
	here := bottest.Command("admin", "/soudan admin topic map here 海外赴任")
	here.Address, here.Direct = bot.Address{Platform: "test", Workspace: "w", Channel: "C900"}, false
	wantPeopleReply(t, e.do(here), e.app.cat.t("ja", "admin.topic.mapped", "Channel", "C900", "Topic", "海外赴任"))

	for _, tc := range []struct{ line, want string }{
		{"/soudan admin topic map career キャリア", e.refusal("ja", "admin.error.bad_channel", "Channel", "career")},
		{"/soudan admin topic map #career 存在しない", e.refusal("ja", "admin.error.no_topic", "Name", "存在しない")},
		{"/soudan admin topic map here キャリア", e.refusal("ja", "admin.error.here_in_dm")},
		{"/soudan admin topic map #career", e.refusal("ja", "admin.error.usage", "Usage", e.app.cat.t("ja", "usage.admin.topic.map"))},
	} {
		wantPeopleReply(t, e.cmd("admin", tc.line), tc.want)
	}
	if _, err := e.st.TopicByChannel("test", "w", "#career"); err == nil {
		t.Error("#career got mapped by a refused command")
	}

	turn := e.cmd("admin", "/soudan admin topic list")
	if len(turn.Replies) != 1 {
		t.Fatalf("replies = %q, want one", peopleReplyTexts(turn))
	}
	want := map[string]string{
		"その他（既定）": e.app.cat.t("ja", "admin.topic.entry", "Aliases", "other、general", "Channels", "なし", "Mentors", 0),
		"キャリア":    e.app.cat.t("ja", "admin.topic.entry", "Aliases", "career", "Channels", "#career-soudan、#abroad", "Mentors", 0),
		"海外赴任":    e.app.cat.t("ja", "admin.topic.entry", "Aliases", "overseas", "Channels", "C900", "Mentors", 1),
	}
	for _, f := range turn.Replies[0].Fields {
		if w, ok := want[f.Label]; !ok || f.Value != w {
			t.Errorf("field %q = %q, want %q", f.Label, f.Value, w)
		}
		delete(want, f.Label)
	}
	if len(want) > 0 {
		t.Errorf("topic list lacks %v", want)
	}
	if got := e.auditActions(); !slices.Equal(got, []string{"topic.map", "topic.map", "topic.map", "topic.map", "topic.add", "topic.add"}) {
		t.Errorf("audit = %v", got)
	}
}

func TestParseChannel(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   store.ChannelRef
		wantOK bool
	}{
		{"<#C123|career>", store.ChannelRef{Channel: "C123", Name: "#career"}, true},
		{"<#C123>", store.ChannelRef{Channel: "C123"}, true},
		{"#career", store.ChannelRef{Channel: "#career", Name: "#career"}, true},
		{"＃海外", store.ChannelRef{Channel: "#海外", Name: "#海外"}, true},
		{"career", store.ChannelRef{}, false},
		{"#", store.ChannelRef{}, false},
		{"<#>", store.ChannelRef{}, false},
		{"<#C1|x", store.ChannelRef{}, false},
		{"<@U123>", store.ChannelRef{}, false},
	} {
		got, ok := parseChannel(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("parseChannel(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

func TestAdminInEnglish(t *testing.T) {
	e := newPeopleEnv(t)
	wantPeopleReply(t, e.cmdEN("admin", "/soudan admin topic add Career"), `Added the topic "Career" (aliases: none).`)
	wantPeopleReply(t, e.cmdEN("admin", "/soudan admin topic add career"), `⚠️ "career" is already the name or an alias of topic "Career".`)
	if got := e.cmdEN("admin", "/soudan admin audit").Replies[0].Text; !strings.Contains(got, "topic added: Career") {
		t.Errorf("audit = %q, want an English line", got)
	}
}
