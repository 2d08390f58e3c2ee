package admin

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestTopicRename(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan admin topic add キャリア career")
	e.Cmd("admin", "/soudan admin topic add IT")
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic rename career キャリア 形成"),
		e.Kit.TL("ja", "admin.topic.renamed", "From", "キャリア", "To", "キャリア 形成"))
	if tp, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア 形成") }); err != nil || !slices.Equal(tp.Aliases, []string{"career"}) {
		t.Errorf("renamed topic = %+v, %v; want the new name with its aliases", tp, err)
	}
	if _, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old name still finds a topic: %v", err)
	}
	for _, tc := range []struct{ line, want string }{
		{"/soudan admin topic rename career \u200b\u202e", e.Refusal("ja", "admin.error.bad_topic_name", "Name", "\u200b", "Max", 50)},
		{"/soudan admin topic rename career it", e.Refusal("ja", "admin.error.topic_exists", "Word", "it", "Topic", "IT")},
		{"/soudan admin topic rename ない 名前", e.Refusal("ja", "admin.error.no_topic", "Name", "ない")},
		{"/soudan admin topic rename career", e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.topic.rename"))},
	} {
		testenv.WantReply(t, e.Cmd("admin", tc.line), tc.want)
	}
	if got := auditActions(e); !slices.Equal(got, []string{"topic.rename", "topic.add", "topic.add"}) {
		t.Errorf("audit = %v, want one rename", got)
	}
}

func TestTopicAddRefusesInvisibleNames(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	for _, line := range []string{"/soudan admin topic add \u200b", "/soudan admin topic add \u202e\u200b\u2066"} {
		if s := e.Refused(bottest.Command("admin", line)); !strings.Contains(s, "⚠️") {
			t.Errorf("%q = %q, want refused", line, s)
		}
	}
	if ts, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() }); len(ts) != 1 {
		t.Errorf("topics = %d, want only the default", len(ts))
	}
}

func TestTopicRemoveMovesConsultationsAndMentors(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan admin topic add キャリア career")
	e.MapChannel("#career", "キャリア")
	mentor := e.Mentor("佐藤", "キャリア", "その他")
	tp := e.Topic("キャリア")
	asker := e.User("田中")
	c, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{TopicID: tp.ID, AskerID: asker.ID, Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "q"}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic remove career"),
		e.Kit.TL("ja", "admin.topic.removed", "Name", "キャリア", "Moved", 1, "Default", "その他", "Mentors", 1)+"\n"+
			e.Kit.TL("ja", "admin.topic.removed_channels", "Channels", "#career", "Count", 1))
	def, _ := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Default() })
	if got := e.Consultation(c.ID); got.TopicID != def.ID {
		t.Errorf("consultation topic = %d, want the default %d", got.TopicID, def.ID)
	}
	if m, _ := storetest.Read(e.St, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(mentor.ID) }); !slices.Equal(m.Topics, []uint64{def.ID}) {
		t.Errorf("mentor topics = %v, want only the default", m.Topics)
	}
	if _, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(bottest.Platform, bottest.Workspace, "#career")
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("#career still mapped: %v", err)
	}
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic remove その他"), e.Refusal("ja", "admin.error.default_topic", "Name", "その他"))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic remove career"), e.Refusal("ja", "admin.error.no_topic", "Name", "career"))
	if got := auditActions(e); !slices.Equal(got, []string{"topic.remove", "topic.add"}) {
		t.Errorf("audit = %v, want one remove", got)
	}
}

func TestTopicUnmap(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan admin topic add キャリア")
	e.MapChannel("#career", "キャリア")
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic unmap #career"),
		e.Kit.TL("ja", "admin.topic.unmapped", "Channel", "#career", "Topic", "キャリア"))
	if _, err := storetest.Read(e.St, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(bottest.Platform, bottest.Workspace, "#career")
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("#career still mapped: %v", err)
	}
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin topic unmap #career"), e.Refusal("ja", "admin.error.not_mapped", "Channel", "#career"))
	if got := auditActions(e); !slices.Equal(got, []string{"topic.unmap", "topic.add"}) {
		t.Errorf("audit = %v, want one unmap", got)
	}
	if s := e.Cmd("admin", "/soudan admin audit").Text(); !strings.Contains(s, "チャンネル割り当て解除") {
		t.Errorf("audit = %q, want the unmap labelled", s)
	}
}
