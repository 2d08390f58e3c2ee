package store_test

import (
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// BenchmarkEnsureKnownUser is the cost every incoming message pays to
// identify a sender the bot already knows, name and locale unchanged.
func BenchmarkEnsureKnownUser(b *testing.B) {
	s := storetest.MustOpen(b)
	k := store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: "U1"}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) { return tx.Users().Ensure(k, "田中", "ja") }); err != nil {
		b.Fatal(err)
	}
	roundTrips(b, s)
	b.ResetTimer()
	for range b.N {
		if _, created, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) { return tx.Users().Ensure(k, "田中", "ja") }); err != nil || created {
			b.Fatalf("created=%v err=%v", created, err)
		}
	}
}
