package main

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/soudan/soudan/store"
)

// The generated tips are valid and found by the generated searches.
func TestGeneratedTipsAreSearchable(t *testing.T) {
	for _, dense := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "bench.db")
		st, err := store.Open(path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		g := newGenerator(rand.New(rand.NewPCG(1, 2)), dense)
		err = st.Update(func(tx *store.Tx) error {
			for range 300 {
				if _, err := tx.CreateTip(g.tip()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("dense %v: %v", dense, err)
		}
		found := 0
		for range 50 {
			k, err := search(st, g.query())
			if err != nil {
				t.Fatal(err)
			}
			found += min(k, 1)
		}
		if found < 10 {
			t.Errorf("dense %v: %d of 50 searches found something, want most", dense, found)
		}
		st.Close()
	}
}
