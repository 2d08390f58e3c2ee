package store_test

import (
	"errors"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestInboxRecordsOnceAndForgetsWhenDone(t *testing.T) {
	s := storetest.MustOpen(t)
	record := func(key string) (store.InboxEntry, bool) {
		t.Helper()
		var e store.InboxEntry
		var first bool
		err := s.Batch(func(tx *store.Tx) (err error) {
			e, first, err = tx.Inbox().Record(store.InboxEntry{Key: key, Platform: "slack", Message: []byte(`{"Text":"` + key + `"}`)})
			return err
		})
		if err != nil {
			t.Fatalf("record %s: %v", key, err)
		}
		return e, first
	}
	a, first := record("slack:Ev1")
	if !first || a.Seq == 0 || a.At.IsZero() {
		t.Fatalf("first record = %+v, %v; want stored with a sequence and a time", a, first)
	}
	record("slack:Ev2")
	// A retry of the same event is recognised, and keeps the first record.
	if again, first := record("slack:Ev1"); first || again.Seq != a.Seq {
		t.Errorf("retry = %+v, %v; want the first entry (seq %d), not a new one", again, first, a.Seq)
	}
	var es []store.InboxEntry
	if err := s.View(func(tx *store.Tx) (err error) { es, err = tx.Inbox().Entries(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].Key != "slack:Ev1" || es[1].Key != "slack:Ev2" || string(es[1].Message) != `{"Text":"slack:Ev2"}` {
		t.Fatalf("entries = %+v, want Ev1 then Ev2 with their messages", es)
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.Inbox().Done("slack:Ev1", "slack:unknown") }); err != nil {
		t.Fatal(err)
	}
	n := -1
	_ = s.View(func(tx *store.Tx) error { n = tx.Inbox().Len(); return nil })
	if n != 1 {
		t.Errorf("InboxLen after one done = %d, want 1", n)
	}
	if err := s.View(func(tx *store.Tx) error { _, _, err := tx.Inbox().Record(store.InboxEntry{Key: "k"}); return err }); !errors.Is(err, store.ErrTxNotWritable) {
		t.Errorf("RecordInbox in View = %v, want ErrTxNotWritable", err)
	}
}
