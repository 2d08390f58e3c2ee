package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/paralleltest"
	"github.com/soudan/soudan/store/kv/kvretry"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// TestMain clears SOUDAN_* variables so that the developer's environment
// cannot change what the tests see (but for the test harness's own,
// SOUDAN_TEST_*), and gives the tests on PostgreSQL a server.
//
// Every test owns its data files (t.TempDir), its listeners (port 0) and
// its fakes, so tests run in parallel (t.Parallel), all but the few that
// set environment variables or change directory, which the process
// shares: those run first, alone, and parallel tests start after them.
// They mostly wait, so 8 run at once (paralleltest): on 2 CPUs this
// package's tests took 23 s with 2 at once and 9 s with 8.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, envPrefix+"_") && !strings.HasPrefix(k, envPrefix+"_TEST_") {
			os.Unsetenv(k)
		}
	}
	paralleltest.Set(8)
	os.Exit(pgtest.Main(m))
}

// fixedNow is the time the in-process runs see: a Saturday morning in Tokyo.
var fixedNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("JST", 9*60*60))

// newMain returns a Main with in-memory streams, stdin reading script.
func newMain(script string) (*Main, *bottest.Buffer, *bottest.Buffer) {
	var stdout, stderr bottest.Buffer
	m := NewMain()
	m.Stdin, m.Stdout, m.Stderr = strings.NewReader(script), &stdout, &stderr
	m.Now = func() time.Time { return fixedNow }
	return m, &stdout, &stderr
}

// parse runs ParseFlags on args with a fresh Main.
func parse(t *testing.T, args ...string) (*Main, error) {
	t.Helper()
	m, _, _ := newMain("")
	return m, m.ParseFlags(context.Background(), args)
}

// session runs a whole console session in-process: ParseFlags, Run on the
// script, Close. It fails the test on any error and returns stdout. db is
// a data file, or a postgres:// URL (see consoleStores).
func session(t *testing.T, db, script string, args ...string) string {
	t.Helper()
	m, stdout, stderr := newMain(script)
	ctx := context.Background()
	if err := m.ParseFlags(ctx, append([]string{"console", storeFlag(db), db}, args...)); err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	err := m.Run(ctx)
	if cerr := m.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	if err != nil {
		t.Fatalf("Run: %v\nstderr:\n%s", err, stderr)
	}
	if s := stderr.String(); s != "" {
		t.Logf("stderr:\n%s", s)
	}
	return stdout.String()
}

// wantContains fails the test for each want missing from got.
func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not contain %q; got:\n%s", what, w, got)
		}
	}
}

// consoleStores runs walk on both engines as subtests, each with a store
// of its own: a new data file, and a new PostgreSQL database (skipped,
// saying why, only where pgtest can have no server). What a walkthrough
// asserts holds on either engine: the same bot, one seam below.
func consoleStores(t *testing.T, walk func(t *testing.T, db string)) {
	t.Helper()
	for _, engine := range []string{"bbolt", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "soudan.db")
			if engine == "postgres" {
				if os.Getenv(kvretry.EnvVar) == "1" {
					// Every write runs twice there, and PostgreSQL's ids
					// keep the gap the rolled-back run left (kv's
					// contract): the scripts name ids (topics=2, #1). The
					// rerun pass runs them on bbolt, and the engine pass
					// here without it.
					t.Skipf("%s=1: the transcript's ids would shift on PostgreSQL", kvretry.EnvVar)
				}
				db = pgtest.URL(t)
			}
			walk(t, db)
		})
	}
}

// storeFlag is the console's flag for db: -store for a PostgreSQL URL,
// -db for a data file.
func storeFlag(db string) string {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return "-store"
	}
	return "-db"
}
