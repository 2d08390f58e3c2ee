package consult

import (
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestRankingReadsOnlyAsFarAsItsLimit: the ask ranks with a limit and
// stops reading profiles there; the mentors it routes to must be the
// first of the whole ranking (fewest open consultations, then the lowest
// id; never the asker, the paused or another topic's), whatever the limit.
func TestRankingReadsOnlyAsFarAsItsLimit(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	a, err := New(e.Kit, Options{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"青木", "馬場", "千葉", "土井", "江藤", "藤田", "後藤"}
	var ms []store.User
	for _, n := range names {
		ms = append(ms, e.Mentor(n, "キャリア"))
	}
	e.Mentor("原", "IT") // another topic
	asker := ms[6]      // 後藤 asks: a mentor of the topic too
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.Mentor, error) {
		return tx.Mentors().Update(ms[3].ID, func(m *store.Mentor) error { m.Paused = true; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	// Loads: 青木 2, 馬場 0, 千葉 1, 土井 0 (paused), 江藤 1, 藤田 0.
	for _, routed := range [][]uint64{{ms[0].ID, ms[2].ID}, {ms[0].ID, ms[4].ID}} {
		if _, _, err := storetest.Write2(e.St, func(tx *store.Tx) (store.Consultation, bool, error) {
			return tx.Consultations().Create(store.Consultation{TopicID: 2, AskerID: asker.ID, Routed: routed,
				Messages: []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker.ID, Text: "前の相談"}}})
		}); err != nil {
			t.Fatal(err)
		}
	}
	c := store.Consultation{TopicID: 2, AskerID: asker.ID}
	full, err := a.rankMentors(c, asker)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range full {
		got = append(got, u.Name)
	}
	// 馬場 and 藤田 have none open (馬場 registered first), then 千葉 and
	// 江藤 with one, then 青木 with two.
	if want := []string{"馬場", "藤田", "千葉", "江藤", "青木"}; !slices.Equal(got, want) {
		t.Fatalf("ranking = %v, want %v", got, want)
	}
	for limit := 1; limit <= len(full)+1; limit++ {
		part, err := storetest.Read(e.St, func(tx *store.Tx) ([]store.User, error) { return a.rankMentorsTx(tx, c, asker, limit) })
		if err != nil {
			t.Fatal(err)
		}
		if want := full[:min(limit, len(full))]; !slices.EqualFunc(part, want, func(x, y store.User) bool { return x.ID == y.ID }) {
			t.Errorf("limit %d: ranked %v, want the first of the whole ranking, %v", limit, part, want)
		}
	}
}

// TestAPostInSomeoneElsesDMThreadIsRefusedAndRecordsNothing: a plain
// answer reads its consultation only in its commit, which must still
// refuse a post in a DM thread that is not the poster's (and roll back),
// with or without a mention.
func TestAPostInSomeoneElsesDMThreadIsRefusedAndRecordsNothing(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	_, card := careerCard(t, e)
	e.Mentor("鈴木", "IT")
	for _, text := range []string{"代わりに答えます", "@田中 さん 代わりに答えます"} {
		got := e.Refused(bottest.ThreadPost("鈴木", card.At.Channel, card.At.Thread, text))
		if want := e.Refusal("ja", "consult.error.stale_thread"); strings.TrimSpace(got) != want {
			t.Errorf("%q: refusal %q, want %q", text, got, want)
		}
	}
	if c := e.Consultation(1); len(c.Messages) != 1 || c.State != store.StateOpen {
		t.Errorf("consultation after the refused posts: %d messages, state %s; want the question alone, open", len(c.Messages), c.State)
	}
	// The thread's owner still answers there.
	e.OK(bottest.ThreadPost("佐藤", card.At.Channel, card.At.Thread, "秋の面談で伝えましょう"))
	if c := e.Consultation(1); len(c.Messages) != 2 || c.State != store.StateAnswered {
		t.Errorf("consultation after its mentor's answer: %d messages, state %s; want 2, answered", len(c.Messages), c.State)
	}
}
