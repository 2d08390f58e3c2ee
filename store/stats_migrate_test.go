package store

import (
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// TestBuildDayIndexMigration: a file written before the day index is
// indexed at Open, each consultation under the days of its creation,
// answers and state changes.
func TestBuildDayIndexMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	now := time.Date(2026, 10, 31, 20, 0, 0, 0, time.UTC)
	s, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := testWrite2(s, func(tx *Tx) (Consultation, bool, error) {
		return tx.Consultations().Create(Consultation{AskerID: 1, Messages: []ConsultMessage{
			{Kind: MsgQuestion, AuthorID: 1, Text: "q"},
			{Kind: MsgAnswer, AuthorID: 2, Text: "a", At: now.Add(48 * time.Hour)},
		}})
	})
	if err != nil {
		t.Fatal(err)
	}
	version := 0
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == reflect.ValueOf(migration(buildDayIndex)).Pointer() {
			version = i
		}
	}
	// Make it an older file: no month buckets, the schema before them.
	err = s.kv.Update(func(tx kv.Tx) error {
		for _, b := range []string{bktConsByDay, bktMonthly} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bktMeta).Put([]byte(schemaKey), []byte(strconv.Itoa(version)))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *Tx) error {
		for _, d := range []string{"2026-10-31", "2026-11-02"} {
			if got := lookup(tx, bktConsByDay, d); !reflect.DeepEqual(got, []uint64{c.ID}) {
				t.Errorf("day %s = %v, want [%d]", d, got, c.ID)
			}
		}
		if n := tx.bucket(bktConsByDay).KeyN(); n != 2 {
			t.Errorf("day index holds %d keys, want 2", n)
		}
		_, err := tx.Monthly("2026-10")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
