package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// testBot is the whole bot as `soudan serve` runs it, in-process: the
// adapters of the platforms its settings name, the real handlers and
// router, the outbox worker and the scheduler, on a fresh data file.
type testBot struct {
	t   *testing.T
	m   *Main
	log *bottest.Buffer // the bot's log (stderr), at debug level
}

// startBot runs serve with the platform settings args until the test
// ends, at fixedNow and without pacing the outbox. It is the one place
// the end-to-end tests build the bot: they talk to it only through fake
// platforms, and read the data file through st.
func startBot(t *testing.T, args ...string) *testBot {
	t.Helper()
	m, _, stderr := newMain("")
	all := append([]string{"serve", "-db", filepath.Join(t.TempDir(), "soudan.db"), "-log-level", "debug",
		"-delivery-limits", "slack=1000/1000,teams=1000/1000"}, args...)
	if err := m.ParseFlags(context.Background(), all); err != nil {
		t.Fatalf("ParseFlags(%q): %v", all, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	b := &testBot{t: t, m: m, log: stderr}
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("Run did not return after cancel")
		}
		if err := m.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		for _, secret := range []string{testSlackBot, testSlackApp, testSlackSecret, testTeamsSecret} {
			if strings.Contains(stderr.String(), secret) {
				t.Errorf("the log contains the secret %q", secret)
			}
		}
		if testing.Verbose() {
			t.Logf("log:\n%s", stderr)
		}
	})
	return b
}

// waitLog waits until the bot has logged s, and returns the log line.
func (b *testBot) waitLog(s string) string {
	b.t.Helper()
	var line string
	waitUntil(b.t, "the log line "+s, func() bool {
		for _, l := range strings.Split(b.log.String(), "\n") {
			if strings.Contains(l, s) {
				line = l
				return true
			}
		}
		return false
	})
	return line
}

// st is the bot's data file. Call it once the bot has logged that a
// platform started: serve opens the store first.
func (b *testBot) st() *store.Store {
	b.t.Helper()
	if b.m.store == nil {
		b.t.Fatal("the store is not open")
	}
	return b.m.store
}

// waitUntil polls cond for up to 10 s and fails the test when it never
// holds.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !eventually(cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// eventually polls cond for up to 10 s and reports whether it held, so
// that the caller can check and report what it sees.
func eventually(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}
