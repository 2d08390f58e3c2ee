package main

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
)

// TestForgetErasesConnections: admin forget, as serve and the console wire
// it, removes a person's connections data with the rest: their member
// record and their place on someone else's private list.
func TestForgetErasesConnections(t *testing.T) {
	db := filepath.Join(t.TempDir(), "soudan.db")
	out := session(t, db, `:as admin
/soudan coffee history
:as 佐藤
/soudan coffee join
:as 鈴木
/soudan coffee join
/soudan coffee avoid @佐藤
:as admin
/soudan admin forget 佐藤 --yes
`)
	wantContains(t, "the transcript", out, "組みません", "#2")
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(func(tx *store.Tx) error {
		c := tx.Connections()
		if _, err := c.Member(2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("佐藤's member record after forget: err = %v, want ErrNotFound", err)
		}
		m, err := c.Member(3)
		if err != nil || !m.Joined || len(m.Avoid) != 0 {
			t.Errorf("鈴木 after forget = %+v (%v), want joined with an empty list", m, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
