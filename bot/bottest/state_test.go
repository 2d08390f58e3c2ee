package bottest_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
)

func TestStateStoreRoundTripAndExpiry(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	s := bottest.NewStateStore(func() time.Time { return now })
	if v, ok, err := s.AdapterState("slack", "form:1"); ok || v != nil || err != nil {
		t.Errorf("AdapterState of an empty store: got %q, %v, %v; want nil, false, nil", v, ok, err)
	}
	in := []byte("form")
	if err := s.PutAdapterState("slack", "form:1", in, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	in[0] = 'X' // the store keeps its own copy
	got, ok, err := s.AdapterState("slack", "form:1")
	if err != nil || !ok || string(got) != "form" {
		t.Errorf("AdapterState after Put: got %q, %v, %v; want %q, true, nil", got, ok, err, "form")
	}
	got[0] = 'Y'
	if again, _, _ := s.AdapterState("slack", "form:1"); !bytes.Equal(again, []byte("form")) {
		t.Errorf("AdapterState after changing a returned value: got %q, want %q", again, "form")
	}
	if _, ok, _ := s.AdapterState("teams", "form:1"); ok {
		t.Errorf("AdapterState of another platform's key: got true, want false")
	}
	if _, ok, _ := s.AdapterState("slac", "kform:1"); ok {
		t.Errorf("AdapterState(slac, kform:1): got true, want false (platform and key do not run together)")
	}

	now = now.Add(time.Hour - time.Second)
	if _, ok, _ := s.AdapterState("slack", "form:1"); !ok {
		t.Errorf("AdapterState a second before the expiry: got false, want true")
	}
	now = now.Add(time.Second)
	if v, ok, _ := s.AdapterState("slack", "form:1"); ok || v != nil {
		t.Errorf("AdapterState at the expiry: got %q, %v; want nil, false", v, ok)
	}

	if err := s.PutAdapterState("teams", "29:u", []byte("ref"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.PutAdapterState("teams", "29:u", []byte("gone"), now); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := s.AdapterState("teams", "29:u"); ok {
		t.Errorf("AdapterState after a Put expiring now: got %q, true; want false", v)
	}
	if p, r := s.Puts(), s.Reads(); p != 3 || r != 8 {
		t.Errorf("calls: got %d puts, %d reads; want 3, 8", p, r)
	}
}

func TestStateStoreConcurrent(t *testing.T) {
	s := &bottest.StateStore{} // zero value, real clock
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			key := string(rune('a' + i))
			if err := s.PutAdapterState("teams", key, []byte(key), time.Now().Add(time.Hour)); err != nil {
				t.Error(err)
			}
			if v, ok, err := s.AdapterState("teams", key); err != nil || !ok || string(v) != key {
				t.Errorf("AdapterState(%q): got %q, %v, %v", key, v, ok, err)
			}
		})
	}
	wg.Wait()
	if s.Puts() != 20 || s.Reads() != 20 {
		t.Errorf("calls: got %d puts, %d reads; want 20, 20", s.Puts(), s.Reads())
	}
}
