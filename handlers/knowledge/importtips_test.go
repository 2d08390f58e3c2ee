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
		ts, _ := tx.Topics()
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
