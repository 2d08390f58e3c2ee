package store

import (
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// TestBuildMonthIndexMigration: a file written before the month index is
// indexed at Open, each consultation under the months of its creation,
// answers and state changes.
func TestBuildMonthIndexMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	now := time.Date(2026, 10, 31, 20, 0, 0, 0, time.UTC)
	s, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := s.CreateConsultation(Consultation{AskerID: 1, Messages: []ConsultMessage{
		{Kind: MsgQuestion, AuthorID: 1, Text: "q"},
		{Kind: MsgAnswer, AuthorID: 2, Text: "a", At: now.Add(48 * time.Hour)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	version := 0
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == reflect.ValueOf(migration(buildMonthIndex)).Pointer() {
			version = i
		}
	}
	// Make it an older file: no month buckets, the schema before them.
	err = s.db.Update(func(tx *bbolt.Tx) error {
		for _, b := range []string{bktConsByMonth, bktMonthly} {
			if err := tx.DeleteBucket([]byte(b)); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte(bktMeta)).Put([]byte(schemaKey), []byte(strconv.Itoa(version)))
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
		for _, m := range []string{"2026-10", "2026-11"} {
			if got := lookup(tx, bktConsByMonth, m); !reflect.DeepEqual(got, []uint64{c.ID}) {
				t.Errorf("month %s = %v, want [%d]", m, got, c.ID)
			}
		}
		_, err := tx.Monthly("2026-10")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
