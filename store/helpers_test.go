package store_test

import (
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testclock"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// t0 is the fake clock's start: a Friday evening in Tokyo.
var t0 = time.Date(2026, 11, 20, 18, 30, 0, 0, time.FixedZone("JST", 9*60*60))

// openClocked opens a test store whose clock starts at t0.
func openClocked(t *testing.T) (*store.Store, *testclock.Clock) {
	t.Helper()
	c := testclock.New(t0)
	return storetest.MustOpen(t, store.Options{Now: c.Now}), c
}

// mustUser creates a Slack user with the given platform id.
func mustUser(t testing.TB, s *store.Store, pid, name string) store.User {
	t.Helper()
	u, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: pid}, name, "ja")
	})
	if err != nil {
		t.Fatalf("EnsureUser(%s): %v", pid, err)
	}
	return u
}

// mustTopic creates a topic.
func mustTopic(t testing.TB, s *store.Store, tp store.Topic) store.Topic {
	t.Helper()
	got := storetest.Update(t, s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(tp) })
	return got
}

// ids returns the IDs of records, in order.
func ids[T any](xs []T, id func(T) uint64) []uint64 {
	out := []uint64{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func userID(u store.User) uint64            { return u.ID }
func topicID(t store.Topic) uint64          { return t.ID }
func mentorID(m store.Mentor) uint64        { return m.UserID }
func consultID(c store.Consultation) uint64 { return c.ID }
