package store_test

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// adapterStateOf returns what AdapterState says, failing the test on an
// error.
func adapterStateOf(t *testing.T, s *store.Store, platform, key string) ([]byte, bool) {
	t.Helper()
	v, ok, err := storetest.Read2(s, func(tx *store.Tx) ([]byte, bool, error) { return tx.AdapterState(platform, key) })
	if err != nil {
		t.Fatalf("AdapterState(%q, %q): %v", platform, key, err)
	}
	return v, ok
}

func TestAdapterStateRoundTrip(t *testing.T) {
	s, _ := openClocked(t)
	if v, ok := adapterStateOf(t, s, "slack", "form:1"); ok || v != nil {
		t.Errorf("AdapterState of a new file: got %q, %v; want nil, false", v, ok)
	}
	for _, want := range [][]byte{[]byte(`{"form":"相談"}`), []byte(`{"form":"回答"}`), {}} {
		if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState("slack", "form:1", want, t0.Add(time.Hour)) }); err != nil {
			t.Fatalf("PutAdapterState(%q): %v", want, err)
		}
		if got, ok := adapterStateOf(t, s, "slack", "form:1"); !ok || got == nil || !bytes.Equal(got, want) {
			t.Errorf("AdapterState after putting %q: got %q (nil %v), %v; want the bytes put, true", want, got, got == nil, ok)
		}
	}
}

func TestAdapterStateExpires(t *testing.T) {
	s, c := openClocked(t)
	if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState("teams", "29:u", []byte("ref"), t0.Add(time.Hour)) }); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour - time.Second)
	if _, ok := adapterStateOf(t, s, "teams", "29:u"); !ok {
		t.Errorf("AdapterState a second before it expires: got false, want true")
	}
	c.Advance(time.Second)
	if v, ok := adapterStateOf(t, s, "teams", "29:u"); ok || v != nil {
		t.Errorf("AdapterState when it expires: got %q, %v; want nil, false", v, ok)
	}
	// Putting it again revives it; an expiry in the past forgets it.
	if err := s.Update(func(tx *store.Tx) error {
		return tx.PutAdapterState("teams", "29:u", []byte("ref2"), c.Now().Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if v, ok := adapterStateOf(t, s, "teams", "29:u"); !ok || string(v) != "ref2" {
		t.Errorf("AdapterState after a refresh: got %q, %v; want %q, true", v, ok, "ref2")
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState("teams", "29:u", []byte("gone"), c.Now()) }); err != nil {
		t.Fatal(err)
	}
	if v, ok := adapterStateOf(t, s, "teams", "29:u"); ok {
		t.Errorf("AdapterState after putting it with an expiry of now: got %q, true; want false", v)
	}
}

func TestAdapterStatePlatformsIsolated(t *testing.T) {
	s, _ := openClocked(t)
	exp := t0.Add(time.Hour)
	if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState("slack", "U1", []byte("slack"), exp) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState("teams", "U1", []byte("teams"), exp) }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ platform, key, want string }{
		{"slack", "U1", "slack"},
		{"teams", "U1", "teams"},
	} {
		if v, ok := adapterStateOf(t, s, tc.platform, tc.key); !ok || string(v) != tc.want {
			t.Errorf("AdapterState(%q, %q): got %q, %v; want %q, true", tc.platform, tc.key, v, ok, tc.want)
		}
	}
	// Platform and key do not run together: "slac" + "kU1" is not "slack" + "U1".
	if v, ok := adapterStateOf(t, s, "slac", "kU1"); ok {
		t.Errorf("AdapterState(%q, %q): got %q, true; want false", "slac", "kU1", v)
	}
	for _, tc := range []struct{ platform, key string }{{"", "k"}, {"slack", ""}, {"a\x00b", "k"}} {
		if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState(tc.platform, tc.key, []byte("x"), exp) }); err == nil {
			t.Errorf("PutAdapterState(%q, %q): got no error, want one", tc.platform, tc.key)
		}
		if _, _, err := storetest.Read2(s, func(tx *store.Tx) ([]byte, bool, error) { return tx.AdapterState(tc.platform, tc.key) }); err == nil {
			t.Errorf("AdapterState(%q, %q): got no error, want one", tc.platform, tc.key)
		}
	}
}

func TestAdapterStatePurge(t *testing.T) {
	s, _ := openClocked(t)
	for _, e := range []struct {
		platform, key string
		ttl           time.Duration
	}{
		{"slack", "old", time.Hour},
		{"teams", "old", 2 * time.Hour},
		{"slack", "new", 3 * time.Hour},
	} {
		if err := s.Update(func(tx *store.Tx) error { return tx.PutAdapterState(e.platform, e.key, []byte(e.key), t0.Add(e.ttl)) }); err != nil {
			t.Fatal(err)
		}
	}
	n, err := storetest.Write(s, func(tx *store.Tx) (int, error) { return tx.PurgeAdapterState(t0.Add(2 * time.Hour)) })
	if err != nil || n != 2 {
		t.Errorf("PurgeAdapterState: got %d, %v; want 2, nil", n, err)
	}
	// The clock has not moved: only the purge can have removed them.
	for _, p := range []string{"slack", "teams"} {
		if v, ok := adapterStateOf(t, s, p, "old"); ok {
			t.Errorf("AdapterState(%q, old) after the purge: got %q, true; want false", p, v)
		}
	}
	if v, ok := adapterStateOf(t, s, "slack", "new"); !ok || string(v) != "new" {
		t.Errorf("AdapterState(slack, new) after the purge: got %q, %v; want %q, true", v, ok, "new")
	}
	if n, err := storetest.Write(s, func(tx *store.Tx) (int, error) { return tx.PurgeAdapterState(t0.Add(2 * time.Hour)) }); err != nil || n != 0 {
		t.Errorf("second PurgeAdapterState: got %d, %v; want 0, nil", n, err)
	}
}

func TestAdapterStateSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	now := func() time.Time { return t0 }
	s, err := store.Open(path, store.Options{Now: now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.Update(func(tx *store.Tx) error {
		return tx.PutAdapterState("slack", "form:1", []byte("form"), t0.Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(path, store.Options{Now: now})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if v, ok := adapterStateOf(t, s, "slack", "form:1"); !ok || string(v) != "form" {
		t.Errorf("AdapterState after reopen: got %q, %v; want %q, true", v, ok, "form")
	}
}

// TestAdapterStateMigration opens a file from before the adapter state
// bucket with the current binary: it migrates, keeps its data and starts
// with no adapter state.
func TestAdapterStateMigration(t *testing.T) {
	if store.AdapterStateSchema < 2 {
		t.Fatalf("AdapterStateSchema = %d: the migration is not in the list", store.AdapterStateSchema)
	}
	path := filepath.Join(t.TempDir(), "soudan.db")
	before := store.AdapterStateSchema - 1
	old, err := store.OpenAtSchema(path, store.Options{}, before)
	if err != nil {
		t.Fatalf("open at schema %d: %v", before, err)
	}
	u := mustUser(t, old, "U1", "Sato")
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := store.Open(path, store.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatalf("Open of a schema %d file: %v", before, err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(); err != nil || v != store.KnownSchemaVersion {
		t.Errorf("SchemaVersion after migration: got %d, %v; want %d", v, err, store.KnownSchemaVersion)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); err != nil || got.Name != "Sato" {
		t.Errorf("User(%d) after migration: got %q, %v; want %q", u.ID, got.Name, err, "Sato")
	}
	if v, ok := adapterStateOf(t, s, "slack", "form:1"); ok {
		t.Errorf("AdapterState after migration: got %q, true; want false", v)
	}
	if err := s.Update(func(tx *store.Tx) error {
		return tx.PutAdapterState("slack", "form:1", []byte("form"), t0.Add(time.Hour))
	}); err != nil {
		t.Fatalf("PutAdapterState after migration: %v", err)
	}
	if v, ok := adapterStateOf(t, s, "slack", "form:1"); !ok || string(v) != "form" {
		t.Errorf("AdapterState after putting on a migrated file: got %q, %v; want %q, true", v, ok, "form")
	}
}
