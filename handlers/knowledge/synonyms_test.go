package knowledge

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
)

func TestAdminSynonymCommands(t *testing.T) {
	e := newEnv(t)
	e.Cmd("admin", "/soudan help") // admin is known first
	addTip(t, e, "佐藤", "霞が関ネットの使い方", "省内ポータルから入ります。", "IT・Teams", "")
	none := e.Kit.TL("ja", "tip.search.none", "Query", "カスミネット")
	if got := reply(t, e.Cmd("田中", "/soudan tip search カスミネット")); got != none {
		t.Fatalf("before: %q, want nothing found", got)
	}

	// Only admins; bad input is refused and changes nothing.
	testenv.WantReply(t, e.Cmd("田中", "/soudan admin synonym add カスミネット 霞が関ネット"), e.Refusal("ja", "error.forbidden"))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin synonym add カスミネット"),
		e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.synonym.add")))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin 同義語 追加 カスミネット 網"),
		e.Refusal("ja", "search.synonym.error.word", "Word", "網", "Min", 2, "Max", 30))
	if got := reply(t, e.Cmd("田中", "/soudan tip search カスミネット")); got != none {
		t.Fatalf("after refusals: %q, want nothing found", got)
	}

	// An admin links the words: search finds the tip at once, and the
	// change is audited.
	if got := reply(t, e.Cmd("admin", "/soudan admin synonym add カスミネット 霞が関ネット kasumi-net")); got !=
		e.Kit.TL("ja", "search.synonym.added", "Words", "カスミネット = 霞が関ネット = kasumi-net") {
		t.Errorf("add = %q", got)
	}
	if got := reply(t, e.Cmd("田中", "/soudan tip search カスミネット")); !strings.Contains(got, "霞が関ネットの使い方") {
		t.Errorf("after add: %q, want the tip", got)
	}
	if got := reply(t, e.CmdEN("admin", "/soudan admin synonym list")); !strings.Contains(got, "カスミネット = 霞が関ネット = kasumi-net") {
		t.Errorf("list = %q", got)
	}
	if got := reply(t, e.Cmd("admin", "/soudan admin synonym list テレワーク")); !strings.Contains(got, "在宅勤務") || !strings.Contains(got, "telework") {
		t.Errorf("list テレワーク = %q, want the built-in synonyms", got)
	}
	var actions []string
	_ = e.St.View(func(tx *store.Tx) error {
		es, err := tx.AuditLog(0)
		for _, a := range es {
			actions = append(actions, a.Action+" "+a.Detail)
		}
		return err
	})
	if len(actions) == 0 || actions[0] != "synonym.add カスミネット, 霞が関ネット, kasumi-net" {
		t.Errorf("audit = %q, want the add first", actions)
	}

	// Remove: unknown words are refused; known ones stop matching.
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin synonym remove 知らない語"),
		e.Refusal("ja", "search.synonym.error.not_found", "Words", "知らない語"))
	if got := reply(t, e.Cmd("admin", "/soudan admin synonym remove カスミネット")); got != e.Kit.TL("ja", "search.synonym.removed", "Words", "カスミネット") {
		t.Errorf("remove = %q", got)
	}
	if got := reply(t, e.Cmd("田中", "/soudan tip search カスミネット")); got != none {
		t.Errorf("after remove: %q, want nothing found", got)
	}
}
