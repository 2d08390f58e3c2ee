package store_test

import (
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestOutboxGroupItem: an item addressed to a group not opened yet (its
// users, no channel or user) is stored with its users, is its own
// conversation (not any member's DM), and its key keeps a second enqueue
// from adding it again; an item with no address at all is refused.
func TestOutboxGroupItem(t *testing.T) {
	s, clk := openClocked(t)
	g := store.OutboxItem{Platform: "slack", Workspace: "T1", Users: []string{"U1", "U2"}, Key: "conn:intro:1:g0", Payload: []byte(`{"text":"みなさん"}`)}
	for range 2 {
		if err := s.Update(func(tx *store.Tx) error {
			_, _, err := tx.Outbox().Enqueue(nil, []store.OutboxItem{g})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().ClaimDue(clk.Now(), 10, func(store.OutboxItem) bool { return true })
	})
	if len(got) != 1 || !slices.Equal(got[0].Users, g.Users) {
		t.Fatalf("claimed %+v, want the one group item with its users", got)
	}
	if c := got[0].Conversation(); c == dm("U1", "").Conversation() || c == dm("U2", "").Conversation() || c != g.Conversation() {
		t.Errorf("the group's conversation %q is a member's DM's, or not its own", c)
	}
	if err := s.Update(func(tx *store.Tx) error {
		_, _, err := tx.Outbox().Enqueue(nil, []store.OutboxItem{{Platform: "slack", Key: "nowhere", Payload: []byte(`{}`)}})
		return err
	}); err == nil {
		t.Errorf("an item with no channel, user or users was stored")
	}
}
