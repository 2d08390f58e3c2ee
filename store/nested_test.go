package store_test

import (
	"errors"
	"io"
	"sync"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/kvguard"
	"github.com/soudan/soudan/store/storetest"
)

// guarded is a store whose nested transactions fail with an error rather
// than end the test binary, on the engine SOUDAN_TEST_STORE names.
func guarded(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.MustOpen(t)
	if !store.LenientGuard(s) {
		t.Fatal("the store of a test binary is not guarded against nested transactions")
	}
	return s
}

// TestNestedTransactionsFail: a transaction opened inside another on the
// same goroutine fails, through every door of the store: View, Update
// and Batch, and Backup, which reads the bbolt file past the seam.
func TestNestedTransactionsFail(t *testing.T) {
	view := func(s *store.Store) error { return s.View(func(*store.Tx) error { return nil }) }
	for _, c := range []struct {
		name   string
		file   bool // only a bbolt file has Backup
		nested func(s *store.Store) error
	}{
		{name: "view in update", nested: view},
		{name: "update in update", nested: func(s *store.Store) error { return s.Update(func(*store.Tx) error { return nil }) }},
		{name: "batch in update", nested: func(s *store.Store) error { return s.Batch(func(*store.Tx) error { return nil }) }},
		{name: "backup in update", file: true, nested: func(s *store.Store) error { _, err := s.Backup(io.Discard); return err }},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := guarded(t)
			if c.file && s.Path() == "" {
				t.Skip("Backup is a bbolt file's")
			}
			var inner error
			err := s.Update(func(tx *store.Tx) error {
				if _, _, err := tx.Users().Ensure(key("U1"), "ゆうこ", "ja"); err != nil {
					return err
				}
				inner = c.nested(s)
				return inner
			})
			if !errors.Is(inner, kvguard.ErrNested) {
				t.Fatalf("%s: %v, want an error wrapping kvguard.ErrNested", c.name, inner)
			}
			if !errors.Is(err, kvguard.ErrNested) {
				t.Errorf("the Update returned %v, want its function's error", err)
			}
			// The Update rolled back, and the store is usable.
			if _, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(key("U1")) }); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("after the failed Update, Users().Get = %v, want ErrNotFound", err)
			}
		})
	}
	t.Run("view in view", func(t *testing.T) {
		s := guarded(t)
		var inner error
		_ = s.View(func(*store.Tx) error { inner = view(s); return nil })
		if !errors.Is(inner, kvguard.ErrNested) {
			t.Fatalf("a View in a View: %v, want ErrNested", inner)
		}
	})
}

// TestTransactionsThatDoNotNest: transactions one after another, many
// concurrent Batch calls (which bbolt runs one after another on one
// goroutine), commit hooks that open transactions, and the inbox's own
// database inside a data transaction all pass the guard.
func TestTransactionsThatDoNotNest(t *testing.T) {
	s := guarded(t)
	for i := range 3 {
		storetest.MustUpdate(t, s, func(tx *store.Tx) error { _, _, err := tx.Users().Ensure(key("U1"), "ゆうこ", "ja"); return err })
		if _, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(key("U1")) }); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range cap(errs) {
		wg.Go(func() {
			errs <- s.Batch(func(tx *store.Tx) error {
				_, _, err := tx.Users().Ensure(key(string(rune('A'+i))), "メンバー", "ja")
				return err
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a Batch among concurrent ones: %v", err)
		}
	}

	var hookErrs []error
	storetest.MustUpdate(t, s, func(tx *store.Tx) error {
		tx.OnCommit(func() {
			hookErrs = append(hookErrs, s.View(func(*store.Tx) error { return nil }))
			hookErrs = append(hookErrs, s.Update(func(tx *store.Tx) error { _, _, err := tx.Users().Ensure(key("U2"), "ひろし", "ja"); return err }))
		})
		_, _, err := tx.Users().Ensure(key("U3"), "さくら", "ja")
		return err
	})
	if len(hookErrs) != 2 || hookErrs[0] != nil || hookErrs[1] != nil {
		t.Fatalf("transactions in a commit hook: %v, want two nil errors", hookErrs)
	}

	// The inbox is a database of its own (its own file, its own pool):
	// recording an event inside a data transaction holds no second
	// connection of the data's pool and no lock twice.
	storetest.MustUpdate(t, s, func(*store.Tx) error {
		_, _, err := s.Inbox().Record(store.InboxEntry{Key: "slack:Ev1", Platform: "slack", Message: []byte("{}")})
		return err
	})
}

// key is the Slack user id's key in workspace T1.
func key(id string) store.UserKey {
	return store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: id}
}
