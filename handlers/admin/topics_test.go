package admin

import (
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestTopicAddRefusesTakenWords(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic add IT・Teams it パソコン"),
		e.Kit.TL("ja", "admin.topic.added", "Name", "IT・Teams", "Aliases", "it、パソコン"))
	before, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	for _, tc := range []struct{ line, word string }{
		{"/soudan admin topic add ＩＴ", "ＩＴ"},
		{"/soudan admin topic add 情報 IT", "IT"},
		{"/soudan admin topic add ｉｔ・ｔｅａｍｓ", "ｉｔ・ｔｅａｍｓ"},
		{"/soudan admin topic add 端末 ﾊﾟｿｺﾝ", "ﾊﾟｿｺﾝ"},
	} {
		testenv.WantReply(t, e.Cmd("admin", tc.line), e.Refusal("ja", "admin.error.topic_exists", "Word", tc.word, "Topic", "IT・Teams"))
	}
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic add #it"), e.Refusal("ja", "admin.error.bad_topic_name", "Name", "#it", "Max", 50))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic add"), e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.topic.add")))
	if after, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() }); len(after) != len(before) {
		t.Errorf("topics = %d after refusals, want %d", len(after), len(before))
	}
	if got := auditActions(e); !slices.Equal(got, []string{"topic.add"}) {
		t.Errorf("audit = %v, want one topic.add", got)
	}
}

func TestTopicMapAndList(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan admin topic add キャリア career")
	e.Cmd("admin", "/soudan admin topic add 海外赴任 overseas")
	e.Mentor("鈴木", "海外赴任")

	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic map <#C123|career-soudan> キャリア"),
		e.Kit.TL("ja", "admin.topic.mapped", "Channel", "#career-soudan", "Topic", "キャリア"))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic 割当 ＃abroad Overseas"),
		e.Kit.TL("ja", "admin.topic.mapped", "Channel", "#abroad", "Topic", "海外赴任"))
	got, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("test", "w", "C123") })
	if err != nil || got.Name != "キャリア" {
		t.Errorf("TopicByChannel(C123) = %q, %v; want キャリア", got.Name, err)
	}
	if want := (store.ChannelRef{Platform: "test", Workspace: "w", Channel: "C123", Name: "#career-soudan"}); len(got.Channels) != 1 || got.Channels[0] != want {
		t.Errorf("channels = %+v, want [%+v]", got.Channels, want)
	}

	// Moving a channel to another topic says where it came from.
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic map #abroad キャリア"),
		e.Kit.TL("ja", "admin.topic.mapped", "Channel", "#abroad", "Topic", "キャリア")+"\n"+e.Kit.TL("ja", "admin.topic.moved", "From", "海外赴任"))
	// Mapping in place with "here".
	here := bottest.Command("admin", "/soudan admin topic map here 海外赴任")
	here.Address, here.Direct = bot.Address{Platform: "test", Workspace: "w", Channel: "C900"}, false
	testenv.WantReply(t, e.Do(here), e.Kit.TL("ja", "admin.topic.mapped", "Channel", "C900", "Topic", "海外赴任"))

	for _, tc := range []struct{ line, want string }{
		{"/soudan admin topic map career キャリア", e.Refusal("ja", "admin.error.bad_channel", "Channel", "career")},
		{"/soudan admin topic map #career 存在しない", e.Refusal("ja", "admin.error.no_topic", "Name", "存在しない")},
		{"/soudan admin topic map here キャリア", e.Refusal("ja", "admin.error.here_in_dm")},
		{"/soudan admin topic map #career", e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.topic.map"))},
	} {
		testenv.WantReply(t, e.Cmd("admin", tc.line), tc.want)
	}
	if _, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("test", "w", "#career") }); err == nil {
		t.Error("#career got mapped by a refused command")
	}

	turn := e.Cmd("admin", "/soudan admin topic list")
	if len(turn.Replies) != 1 {
		t.Fatalf("replies = %q, want one", testenv.ReplyTexts(turn))
	}
	want := map[string]string{
		"その他（既定）": e.Kit.TL("ja", "admin.topic.entry", "Aliases", "other、general", "Channels", "なし", "Mentors", 0),
		"キャリア":    e.Kit.TL("ja", "admin.topic.entry", "Aliases", "career", "Channels", "#career-soudan、#abroad", "Mentors", 0),
		"海外赴任":    e.Kit.TL("ja", "admin.topic.entry", "Aliases", "overseas", "Channels", "C900", "Mentors", 1),
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
	if got := auditActions(e); !slices.Equal(got, []string{"topic.map", "topic.map", "topic.map", "topic.map", "topic.add", "topic.add"}) {
		t.Errorf("audit = %v", got)
	}
}

func TestAdminInEnglish(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	testenv.WantReply(t, e.CmdEN("admin", "/soudan admin topic add Career"), `Added the topic "Career" (aliases: none).`)
	testenv.WantReply(t, e.CmdEN("admin", "/soudan admin topic add career"), `⚠️ "career" is already the name or an alias of topic "Career".`)
	if got := e.CmdEN("admin", "/soudan admin audit").Replies[0].Text; !strings.Contains(got, "topic added: Career") {
		t.Errorf("audit = %q, want an English line", got)
	}
}
