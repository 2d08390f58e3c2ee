package knowledge

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/handlers/knowledge/tipfile"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestImportLeavesOutWhatTheStoreRefuses(t *testing.T) {
	st := storetest.MustOpen(t, store.Options{})
	recs, probs := tipfile.ParseJSONL("x.jsonl", []byte(strings.Join([]string{
		`{"id": "a", "title": "一つ目", "body": "本文", "topic": "新しいテーマ"}`,
		`{"id": "b", "title": "二つ目", "body": "本文", "topic": "\u200b"}`,
		`{"id": "c", "title": "三つ目", "body": "本文", "topic": "新しいテーマ"}`,
	}, "\n")))
	if len(probs) != 0 || len(recs) != 3 {
		t.Fatalf("parse: %v %v", recs, probs)
	}
	res, err := Import(st, "x.jsonl", recs, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || len(res.Problems) != 1 || res.Problems[0].Where != "x.jsonl:2" || strings.Join(res.NewTopics, ",") != "新しいテーマ" {
		t.Errorf("result = %+v, want a and c created, line 2 refused", res)
	}
	_ = st.View(func(tx *store.Tx) error {
		if _, err := tx.TipBySource("b"); err == nil {
			t.Errorf("the refused record was stored")
		}
		ts, _ := tx.Topics().All()
		if len(ts) != 1 {
			t.Errorf("topics = %+v, want only 新しいテーマ", ts)
		}
		log, _ := tx.AuditLog(10)
		if len(log) != 1 || log[0].Action != auditImport || !strings.Contains(log[0].Detail, "created 2") {
			t.Errorf("audit = %+v, want one import entry", log)
		}
		return nil
	})
}

func TestImportTwiceWithDuplicateTagsChangesNothing(t *testing.T) {
	st := storetest.MustOpen(t, store.Options{})
	recs, _ := tipfile.ParseJSONL("x.jsonl", []byte(`{"id": "a", "title": "一つ目", "body": "本文", "tags": ["VPN", "ｖｐｎ", "在宅"], "links": ["https://example.jp/a", "https://example.jp/b", "https://example.jp/a"]}`))
	if _, err := Import(st, "x.jsonl", recs, false); err != nil {
		t.Fatal(err)
	}
	res, err := Import(st, "x.jsonl", recs, false)
	if err != nil || res.Unchanged != 1 || res.Updated != 0 {
		t.Errorf("second import = %+v, %v; want unchanged", res, err)
	}
}

// translation_of links a record's tip to another's, once all are in; a
// link the store refuses or to no tip is a problem, the tip stays; an
// export writes the links back, and importing it again changes nothing.
func TestImportTranslations(t *testing.T) {
	st := storetest.MustOpen(t, store.Options{})
	recs, probs := tipfile.ParseJSONL("x.jsonl", []byte(strings.Join([]string{
		`{"id": "vpn-en", "title": "Cannot connect to the VPN", "body": "Update the client.", "lang": "en", "translation_of": "vpn-ja"}`,
		`{"id": "vpn-ja", "title": "VPNに接続できない", "body": "クライアントを更新する。", "lang": "ja"}`,
		`{"id": "vpn-ja2", "title": "VPNの再接続", "body": "再接続する。", "lang": "ja", "translation_of": "vpn-ja"}`,
		`{"id": "mfa-en", "title": "MFA", "body": "Set it up.", "lang": "en", "translation_of": "nowhere"}`,
	}, "\n")))
	if len(probs) != 0 || len(recs) != 4 {
		t.Fatalf("parse: %v %v", recs, probs)
	}
	dry, err := Import(st, "x.jsonl", recs, true)
	if err != nil || dry.Translated != 2 || len(dry.Problems) != 1 || dry.Problems[0].Where != "x.jsonl:4" {
		t.Errorf("dry run = %+v, %v; want 2 links and line 4 naming no tip", dry, err)
	}
	res, err := Import(st, "x.jsonl", recs, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 4 || res.Translated != 1 || len(res.Problems) != 2 ||
		res.Problems[0].Where != "x.jsonl:3" || res.Problems[1].Where != "x.jsonl:4" {
		t.Errorf("import = %+v, want 4 created, 1 linked, lines 3 (one language) and 4 (no tip) refused", res)
	}
	_ = st.View(func(tx *store.Tx) error {
		en, _ := tx.TipBySource("vpn-en")
		ja, _ := tx.TipBySource("vpn-ja")
		if len(en.Translations) != 1 || en.Translations[0] != ja.ID {
			t.Errorf("vpn-en's translations = %v, want vpn-ja (#%d)", en.Translations, ja.ID)
		}
		return nil
	})
	out, err := Records(st)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range out {
		got[r.ID] = r.TranslationOf
	}
	// The first of a group (by id) is the one the others translate.
	if got["vpn-ja"] != "vpn-en" || got["vpn-en"] != "" || got["vpn-ja2"] != "" {
		t.Errorf("export's translation_of = %v, want vpn-ja's vpn-en only", got)
	}
	again, err := Import(st, "export", out, false)
	if err != nil || again.Unchanged != 4 || again.Translated != 0 || len(again.Problems) != 0 {
		t.Errorf("importing the export = %+v, %v; want all unchanged", again, err)
	}
}
