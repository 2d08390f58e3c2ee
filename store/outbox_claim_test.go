package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// post is an outbox item into a Slack channel with a key.
func post(channel, key string) store.OutboxItem {
	return store.OutboxItem{Platform: "slack", Workspace: "T1", Channel: channel, Key: key, Payload: []byte(`{"text":"お知らせ"}`)}
}

// enqueueBacklog enqueues n items into channel CA, then one DM to each of
// users, all due at once.
func enqueueBacklog(tb testing.TB, s *store.Store, n int, users ...string) {
	tb.Helper()
	backlog := make([]store.OutboxItem, n)
	for i := range backlog {
		backlog[i] = post("CA", fmt.Sprintf("a-%05d", i))
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, backlog)
	}); err != nil {
		tb.Fatalf("EnqueueOutbox(backlog): %v", err)
	}
	var others []store.OutboxItem
	for _, u := range users {
		others = append(others, dm(u, "dm-"+u))
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, others)
	}); err != nil {
		tb.Fatalf("EnqueueOutbox(others): %v", err)
	}
}

func TestClaimDuePassesOverABacklogTheCallerRefuses(t *testing.T) {
	s, clk := openClocked(t)
	users := []string{"UB", "UC", "UD", "UE", "UF", "UG", "UH", "UI", "UJ", "UK"}
	enqueueBacklog(t, s, 5000, users...)
	offers := map[string]int{}
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		clear(offers) // a run of the transaction counts its own offers (SOUDAN_TEST_RETRY runs it twice)
		return tx.Outbox().ClaimDue(clk.Now(), 100, func(it store.OutboxItem) bool {
			offers[it.Conversation()]++
			return it.Channel != "CA"
		})
	})
	var keys []string
	for _, it := range got {
		keys = append(keys, it.Key)
		if it.Status != store.OutboxSending || it.Attempts != 1 {
			t.Errorf("claimed %s is %s with %d attempts, want sending, attempt 1", it.Key, it.Status, it.Attempts)
		}
	}
	var want []string
	for _, u := range users {
		want = append(want, "dm-"+u)
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("claimed %q, want %q: the DMs behind the refused backlog", keys, want)
	}
	if n := offers[post("CA", "").Conversation()]; n != 1 {
		t.Errorf("the refused channel was offered %d times, want once: a refusal holds it back", n)
	}
	for _, k := range []string{"a-00000", "a-04999"} {
		if it, _ := storetest.Read(s, func(tx *store.Tx) (store.OutboxItem, error) { return tx.Outbox().ItemByKey(k) }); it.Status != store.OutboxPending || it.Attempts != 0 {
			t.Errorf("%s is %s with %d attempts, want pending and never attempted", k, it.Status, it.Attempts)
		}
	}
}

func TestClaimDueKeepsARefusedConversationInOrder(t *testing.T) {
	s, clk := openClocked(t)
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{post("C1", "a1"), dm("U1", "b1"), post("C1", "a2")})
	}); err != nil {
		t.Fatal(err)
	}
	var offered []string
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		offered = nil // what the committed run offered
		return tx.Outbox().ClaimDue(clk.Now(), 10, func(it store.OutboxItem) bool {
			offered = append(offered, it.Key)
			return it.Key != "a1"
		})
	})
	if len(got) != 1 || got[0].Key != "b1" || !slices.Equal(offered, []string{"a1", "b1"}) {
		t.Errorf("offered %q and claimed %d items; want a1 and b1 offered, only b1 claimed: a2 waits behind a1", offered, len(got))
	}
	// Without a refusal every due item is taken, several per conversation.
	clk.Advance(time.Second)
	if got, _ := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) { return tx.Outbox().ClaimDue(clk.Now(), 10, nil) }); len(got) != 2 || got[0].Key != "a1" || got[1].Key != "a2" {
		t.Errorf("ClaimDue(nil accept) = %d items, want a1 then a2", len(got))
	}
}

// BenchmarkClaimDueBehindABacklog measures a claim that finds ten DMs
// behind 20,000 due items of a channel the caller refuses.
func BenchmarkClaimDueBehindABacklog(b *testing.B) {
	s := storetest.MustOpen(b)
	users := []string{"UB", "UC", "UD", "UE", "UF", "UG", "UH", "UI", "UJ", "UK"}
	enqueueBacklog(b, s, 20000, users...)
	now := time.Now()
	roundTrips(b, s)
	for b.Loop() {
		// Refusing everything keeps the store as it is between rounds.
		n := 0
		if _, err := storetest.Write(s, func(tx *store.Tx) ([]store.OutboxItem, error) {
			return tx.Outbox().ClaimDue(now, 10, func(store.OutboxItem) bool { n++; return false })
		}); err != nil {
			b.Fatal(err)
		}
		if n != 1+len(users) {
			b.Fatalf("offered %d items, want %d", n, 1+len(users))
		}
	}
}

func TestClaimDueHoldsBackConversationsOfOlderEntries(t *testing.T) {
	s, clk := openClocked(t)
	enqueueBacklog(t, s, 50, "UB")
	if err := store.ForgetDueConversations(s); err != nil {
		t.Fatal(err)
	}
	offers := 0
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		offers = 0 // the committed run's offers
		return tx.Outbox().ClaimDue(clk.Now(), 10, func(it store.OutboxItem) bool {
			offers++
			return it.Channel != "CA"
		})
	})
	if len(got) != 1 || got[0].Key != "dm-UB" || offers != 2 {
		t.Errorf("claimed %d items after %d offers, want dm-UB after 2: entries without a conversation are decoded and held back alike", len(got), offers)
	}
}

// A conversation the caller names busy is passed over by its index entry:
// none of its items is read, offered or claimed, and the others are.
func TestClaimDueSkippingPassesOverBusyConversationsUnread(t *testing.T) {
	s, _ := openClocked(t)
	enqueueBacklog(t, s, 50, "UB", "UC")
	var offered []string
	var asked []string
	uc := dm("UC", "").Conversation()
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		offered, asked = nil, nil // what the committed run offered and asked
		return tx.Outbox().ClaimDueSkipping(time.Time{}, 10, func(conv string) bool {
			asked = append(asked, conv)
			return conv != uc
		}, func(it store.OutboxItem) bool {
			offered = append(offered, it.Key)
			return true
		})
	})
	if len(got) != 1 || got[0].Key != "dm-UC" || !slices.Equal(offered, []string{"dm-UC"}) {
		t.Errorf("claimed %d items after offering %v (conversations asked: %q); want only dm-UC", len(got), offered, asked)
	}
}

// A channel's threads are streams of their own: one busy thread holds back
// its own later messages, not the other threads of the channel.
func TestClaimDueHoldsBackAThreadNotItsChannel(t *testing.T) {
	s, _ := openClocked(t)
	inThread := func(thread, key string) store.OutboxItem {
		it := post("CA", key)
		it.Thread = thread
		return it
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{inThread("t1", "t1-a"), inThread("t1", "t1-b"), inThread("t2", "t2-a")})
	}); err != nil {
		t.Fatal(err)
	}
	busy := inThread("t1", "").Stream()
	if busy == inThread("t2", "").Stream() || inThread("t1", "").Conversation() != inThread("t2", "").Conversation() {
		t.Fatalf("streams of two threads are %q, %q; want different streams of one conversation", busy, inThread("t2", "").Stream())
	}
	got := storetest.Update(t, s, func(tx *store.Tx) ([]store.OutboxItem, error) {
		return tx.Outbox().ClaimDueSkipping(time.Time{}, 10, func(stream string) bool { return stream == busy }, nil)
	})
	if len(got) != 1 || got[0].Key != "t2-a" {
		var ks []string
		for _, it := range got {
			ks = append(ks, it.Key)
		}
		t.Errorf("claimed %v with thread t1 busy; want t2-a alone", ks)
	}
}

func TestStreamConversation(t *testing.T) {
	for _, it := range []store.OutboxItem{post("CA", "k"), dm("UB", "k"), {Platform: "slack", Workspace: "T1", Channel: "CA", Thread: "1.2"}, {Platform: "teams", Channel: "19:x;messageid=1", Thread: "1"}} {
		if got, want := store.StreamConversation(it.Stream()), it.Conversation(); got != want {
			t.Errorf("StreamConversation(%q) = %q, want %q", it.Stream(), got, want)
		}
		if got := store.StreamPlatform(it.Stream()); got != it.Platform {
			t.Errorf("StreamPlatform(%q) = %q, want %q", it.Stream(), got, it.Platform)
		}
	}
}
