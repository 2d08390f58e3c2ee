package store_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// ask creates an open consultation by asker with one question.
func ask(t testing.TB, s *store.Store, asker uint64, c store.Consultation) store.Consultation {
	t.Helper()
	c.AskerID = asker
	if len(c.Messages) == 0 {
		c.Messages = []store.ConsultMessage{{Kind: store.MsgQuestion, AuthorID: asker, Text: "question"}}
	}
	got, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) { return tx.Consultations().Create(c) })
	if err != nil {
		t.Fatalf("CreateConsultation: %v", err)
	}
	return got
}

func TestCreateConsultationDefaults(t *testing.T) {
	s, _ := openClocked(t)
	earlier := t0.Add(-time.Minute)
	c, created, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: 7, Messages: []store.ConsultMessage{
			{Kind: store.MsgQuestion, AuthorID: 7, Text: "q", At: earlier},
			{Kind: store.MsgFollowUp, AuthorID: 7, Text: "more", ID: 42},
		}})
	})
	if err != nil || !created {
		t.Fatalf("CreateConsultation: got created=%t, %v; want created", created, err)
	}
	if c.ID == 0 || c.State != store.StateOpen || !c.CreatedAt.Equal(t0) || !c.UpdatedAt.Equal(t0) {
		t.Errorf("got id %d state %q created %v updated %v; want an id, open, %v, %v", c.ID, c.State, c.CreatedAt, c.UpdatedAt, t0, t0)
	}
	wantHist := []store.StateChange{{To: store.StateOpen, By: 7, At: t0}}
	if !slices.EqualFunc(c.History, wantHist, sameChange) {
		t.Errorf("History: got %+v, want %+v", c.History, wantHist)
	}
	type msg struct {
		id int
		at time.Time
	}
	var got []msg
	for _, m := range c.Messages {
		got = append(got, msg{m.ID, m.At})
	}
	if want := []msg{{1, earlier}, {2, t0}}; !slices.EqualFunc(got, want, func(a, b msg) bool { return a.id == b.id && a.at.Equal(b.at) }) {
		t.Errorf("Messages (id, at): got %v, want %v", got, want)
	}
	stored, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) })
	if err != nil || stored.Question() != "q" || len(stored.Messages) != 2 {
		t.Errorf("Consultation(%d): got %q with %d messages, %v; want %q with 2", c.ID, stored.Question(), len(stored.Messages), err, "q")
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID + 1) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Consultation(missing): got %v, want ErrNotFound", err)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{})
	}); err == nil {
		t.Errorf("CreateConsultation without an asker: got nil error, want one")
	}
}

func sameChange(a, b store.StateChange) bool {
	return a.From == b.From && a.To == b.To && a.By == b.By && a.At.Equal(b.At) && a.Note == b.Note
}

func TestCreateConsultationIsIdempotentByEvent(t *testing.T) {
	s := storetest.MustOpen(t)
	in := store.Consultation{AskerID: 1, EventID: "Ev1"}
	first, created, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) { return tx.Consultations().Create(in) })
	if err != nil || !created {
		t.Fatalf("first create: got created=%t, %v; want created", created, err)
	}
	again, created, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) { return tx.Consultations().Create(in) })
	if err != nil || created || again.ID != first.ID {
		t.Errorf("retried create: got id %d created=%t, %v; want id %d, not created", again.ID, created, err, first.ID)
	}
	all, _ := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() })
	if len(all) != 1 {
		t.Errorf("consultations after a retried create: got %d, want 1", len(all))
	}
	ref, ok, err := storetest.Read2(s, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen("Ev1") })
	if want := fmt.Sprintf("consultation:%d", first.ID); err != nil || !ok || ref != want {
		t.Errorf("SeenEvent(Ev1): got %q, %t, %v; want %q, true", ref, ok, err, want)
	}
}

func TestAddConsultMessageIsIdempotentByEvent(t *testing.T) {
	s, clk := openClocked(t)
	c := ask(t, s, 1, store.Consultation{EventID: "Ev1"})
	clk.Advance(time.Minute)
	m := store.ConsultMessage{Kind: store.MsgAnswer, AuthorID: 2, Text: "try this", EventID: "Ev2"}
	for i, wantAdded := range []bool{true, false} {
		got, added, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) { return tx.Consultations().AddMessage(c.ID, m) })
		if err != nil || added != wantAdded || len(got.Messages) != 2 {
			t.Fatalf("AddConsultMessage #%d: got added=%t with %d messages, %v; want added=%t with 2", i+1, added, len(got.Messages), err, wantAdded)
		}
		last := got.Messages[1]
		if last.ID != 2 || last.Text != "try this" || !last.At.Equal(t0.Add(time.Minute)) {
			t.Errorf("AddConsultMessage #%d: got message %+v, want id 2 at %v", i+1, last, t0.Add(time.Minute))
		}
	}
	// The creating event is also seen: its retry adds nothing.
	if got, added, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().AddMessage(c.ID, store.ConsultMessage{Text: "dup", EventID: "Ev1"})
	}); err != nil || added || len(got.Messages) != 2 {
		t.Errorf("AddConsultMessage(creating event): got added=%t with %d messages, %v; want not added, 2", added, len(got.Messages), err)
	}
	// An event that added a message cannot create a consultation.
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
		return tx.Consultations().Create(store.Consultation{AskerID: 1, EventID: "Ev2"})
	}); !errors.Is(err, store.ErrExists) {
		t.Errorf("CreateConsultation(message event): got %v, want ErrExists", err)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) { return tx.Consultations().AddMessage(99, m) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("AddConsultMessage(missing): got %v, want ErrNotFound", err)
	}
}

func TestUpdateConsultationMovesIndexes(t *testing.T) {
	s, clk := openClocked(t)
	public := store.Thread{Platform: "slack", Workspace: "T1", Channel: "C1", Thread: "1700000000.000100"}
	c := ask(t, s, 1, store.Consultation{Public: &public, Threads: []store.Thread{public}, Routed: []uint64{10, 11}})

	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().ByThread("slack", "T1", "C1", "1700000000.000100")
	}); err != nil || got.ID != c.ID {
		t.Errorf("ConsultationByThread(public): got %d, %v; want %d", got.ID, err, c.ID)
	}
	clk.Advance(time.Hour)
	dm := store.Thread{Platform: "slack", Workspace: "T1", Channel: "D10", Thread: "1700000100.000200", UserID: 10}
	got, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			c.History = append(c.History, store.StateChange{From: c.State, To: store.StateAnswered, By: 12})
			c.State = store.StateAnswered
			c.TakenBy = 12
			c.Routed = []uint64{10}
			c.Threads = append(c.Threads, dm)
			return nil
		})
	})
	if err != nil || !got.UpdatedAt.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("UpdateConsultation: got created %v updated %v, %v; want %v, %v", got.CreatedAt, got.UpdatedAt, err, t0, t0.Add(time.Hour))
	}
	wantHist := []store.StateChange{
		{To: store.StateOpen, By: 1, At: t0},
		{From: store.StateOpen, To: store.StateAnswered, By: 12, At: t0.Add(time.Hour)}, // At defaulted
	}
	if !slices.EqualFunc(got.History, wantHist, sameChange) {
		t.Errorf("History: got %+v, want %+v", got.History, wantHist)
	}

	byState := func(st store.State) []uint64 {
		cs := storetest.View(t, s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState(st) })
		return ids(cs, consultID)
	}
	byMentor := func(id uint64) []uint64 {
		cs := storetest.View(t, s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByMentor(id) })
		return ids(cs, consultID)
	}
	tests := []struct {
		name      string
		got, want []uint64
	}{
		{"open", byState(store.StateOpen), []uint64{}},
		{"answered", byState(store.StateAnswered), []uint64{c.ID}},
		{"mentor 10 (still routed)", byMentor(10), []uint64{c.ID}},
		{"mentor 11 (unrouted)", byMentor(11), []uint64{}},
		{"mentor 12 (took it)", byMentor(12), []uint64{c.ID}},
	}
	for _, tt := range tests {
		if !slices.Equal(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().ByThread("slack", "T1", "D10", "1700000100.000200")
	}); err != nil || got.ID != c.ID {
		t.Errorf("ConsultationByThread(dm card): got %d, %v; want %d", got.ID, err, c.ID)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().ByThread("slack", "T1", "C1", "other")
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ConsultationByThread(unknown): got %v, want ErrNotFound", err)
	}
}

// appError stands in for bot.Error, which handlers return from fn.
type appError struct{ code string }

func (e *appError) Error() string { return e.code }

func TestUpdateConsultationFnErrorAborts(t *testing.T) {
	s := storetest.MustOpen(t)
	c := ask(t, s, 1, store.Consultation{})
	_, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			c.State = store.StateClosed
			return &appError{"not_yours"}
		})
	})
	var ae *appError
	if !errors.As(err, &ae) || ae.code != "not_yours" {
		t.Errorf("UpdateConsultation: got %v, want the fn's *appError", err)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(c.ID) }); got.State != store.StateOpen {
		t.Errorf("state after an aborted update: got %q, want open", got.State)
	}
	_, err = storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(c.ID, func(c *store.Consultation) error { c.State = "bogus"; return nil })
	})
	if err == nil {
		t.Errorf("UpdateConsultation(bogus state): got nil error, want one")
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Consultation, error) {
		return tx.Consultations().Update(99, func(*store.Consultation) error { return nil })
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateConsultation(missing): got %v, want ErrNotFound", err)
	}
}

func TestConsultationListsOrder(t *testing.T) {
	s := storetest.MustOpen(t)
	a := ask(t, s, 1, store.Consultation{})
	b := ask(t, s, 2, store.Consultation{State: store.StateResolved})
	c := ask(t, s, 1, store.Consultation{State: store.StateAnswered, Routed: []uint64{9}})
	d := ask(t, s, 1, store.Consultation{TakenBy: 9, Routed: []uint64{9}})

	mine, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByAsker(1) })
	if want := []uint64{d.ID, c.ID, a.ID}; err != nil || !slices.Equal(ids(mine, consultID), want) {
		t.Errorf("ConsultationsByAsker(1): got %v, %v; want %v (newest first)", ids(mine, consultID), err, want)
	}
	theirs, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByMentor(9) })
	if want := []uint64{d.ID, c.ID}; err != nil || !slices.Equal(ids(theirs, consultID), want) {
		t.Errorf("ConsultationsByMentor(9): got %v, %v; want %v (newest first)", ids(theirs, consultID), err, want)
	}
	active, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) {
		return tx.Consultations().ByState(store.StateAnswered, store.StateOpen, store.StateOpen)
	})
	if want := []uint64{a.ID, c.ID, d.ID}; err != nil || !slices.Equal(ids(active, consultID), want) {
		t.Errorf("ConsultationsByState(answered, open): got %v, %v; want %v (oldest first)", ids(active, consultID), err, want)
	}
	all, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() })
	if want := []uint64{a.ID, b.ID, c.ID, d.ID}; err != nil || !slices.Equal(ids(all, consultID), want) {
		t.Errorf("ConsultationsByState(): got %v, %v; want %v", ids(all, consultID), err, want)
	}
}

func TestActiveLoad(t *testing.T) {
	s := storetest.MustOpen(t)
	ask(t, s, 1, store.Consultation{Routed: []uint64{10, 11}})
	ask(t, s, 1, store.Consultation{State: store.StateAnswered, Routed: []uint64{10}, TakenBy: 10})
	ask(t, s, 1, store.Consultation{State: store.StateAnswered, TakenBy: 12})
	ask(t, s, 1, store.Consultation{State: store.StateResolved, Routed: []uint64{10, 13}, TakenBy: 13})
	ask(t, s, 1, store.Consultation{State: store.StateClosed, Routed: []uint64{11}})

	got := storetest.View(t, s, func(tx *store.Tx) (map[uint64]int, error) { return tx.Mentors().ActiveLoad() })
	want := map[uint64]int{10: 2, 11: 1, 12: 1}
	if len(got) != len(want) {
		t.Errorf("ActiveLoad: got %v, want %v", got, want)
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("ActiveLoad[%d]: got %d, want %d", id, got[id], n)
		}
	}
}

func TestConcurrentCreates(t *testing.T) {
	s := storetest.MustOpen(t)
	const workers, events = 8, 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := map[string][]uint64{} // event id -> ids returned
	errs := make(chan error, workers*events)
	for w := range workers {
		wg.Go(func() {
			for i := range events {
				// Every worker delivers every event, as a retrying platform would.
				ev := fmt.Sprintf("Ev%d", (i+w)%events)
				c, _, err := storetest.Write2(s, func(tx *store.Tx) (store.Consultation, bool, error) {
					return tx.Consultations().Create(store.Consultation{AskerID: uint64(w + 1), EventID: ev})
				})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				created[ev] = append(created[ev], c.ID)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("CreateConsultation: %v", err)
	}
	all, err := storetest.Read(s, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState(store.StateOpen) })
	if err != nil || len(all) != events {
		t.Fatalf("open consultations: got %d, %v; want %d", len(all), err, events)
	}
	for ev, got := range created {
		if len(got) != workers || slices.Min(got) != slices.Max(got) {
			t.Errorf("ids returned for %s: got %v, want %d copies of one id", ev, got, workers)
		}
	}
}
