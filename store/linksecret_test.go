package store_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestLinkSecretIsMadeOnceAndKept(t *testing.T) {
	st := storetest.MustOpen(t, store.Options{})
	if err := st.View(func(tx *store.Tx) error { _, err := tx.LinkSecret(); return err }); !errors.Is(err, store.ErrTxNotWritable) {
		t.Fatalf("LinkSecret in a View on a new file: got %v, want ErrTxNotWritable", err)
	}
	var first, again []byte
	if err := st.Update(func(tx *store.Tx) (err error) { first, err = tx.LinkSecret(); return err }); err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || bytes.Equal(first, make([]byte, 32)) {
		t.Fatalf("secret: got %x, want 32 random bytes", first)
	}
	if err := st.View(func(tx *store.Tx) (err error) { again, err = tx.LinkSecret(); return err }); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Errorf("secret changed between transactions: %x then %x", first, again)
	}
}
