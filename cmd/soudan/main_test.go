package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args       []string
		want       int
		wantStderr string
	}{
		{[]string{"-h"}, exitOK, ""},
		{[]string{"version"}, exitOK, ""},
		{[]string{"-lang", "fr"}, exitUsage, "Run 'soudan -h'"},
		{[]string{"serve", "-db", filepath.Join(t.TempDir(), "x.db")}, exitError, "no chat platform is configured"},
	}
	for _, tt := range tests {
		var stdout, stderr bottest.Buffer
		got := run(t.Context(), tt.args, strings.NewReader(""), &stdout, &stderr)
		if got != tt.want {
			t.Errorf("run(%q) = %d, want %d; stderr: %s", tt.args, got, tt.want, stderr.String())
		}
		wantContains(t, "stderr", stderr.String(), tt.wantStderr)
	}
}

func TestServeWithoutPlatform(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	_, err := runCommand(t, "serve", "-db", db)
	want := "no chat platform is configured; set the Slack or Teams settings (soudan -h), or run `soudan console`"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("serve = %v, want %q", err, want)
	}
	if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("serve created the data file (stat: %v); want it untouched", err)
	}
}

func TestConsoleHelp(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	got := session(t, db, "/soudan help\n")
	wantContains(t, "console output", got, "/soudan ask")
}

func TestConsoleRestartKeepsData(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	session(t, db, "/soudan help\n", "-console-user", "佐藤")

	// The first console user became admin, and that is on disk.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("open store after the session: %v", err)
	}
	u := storetest.View(t, st, func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: "console", Workspace: "console", PlatformID: "佐藤"})
	})
	if !u.HasRole(store.RoleAdmin) {
		t.Errorf("user 佐藤 roles = %v, want admin (first console user)", u.Roles)
	}
	if _, ok, err := storetest.Read2(st, func(tx *store.Tx) (time.Time, bool, error) { return tx.PeriodClaimedAt("events:purge:2026-11-21") }); err != nil || !ok {
		t.Errorf("events:purge period after start = %v, %v; want claimed by the catch-up", ok, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	// After a restart 佐藤 is still the admin: 田中, first in this session,
	// is refused and 佐藤 is not. (On a fresh file 田中 would be the admin.)
	got := session(t, db, ":as 田中\n/soudan admin audit\n:as 佐藤\n/soudan admin audit\n", "-console-user", "佐藤")
	tanaka, sato, refusal := strings.Index(got, "[田中 → DM]"), strings.Index(got, "[佐藤 → DM]"), strings.Index(got, "管理者のみ")
	if n := strings.Count(got, "管理者のみ"); n != 1 || tanaka < 0 || !(tanaka < refusal && refusal < sato) {
		t.Errorf("got %d refusals of admin audit, want 1, for 田中 only; output:\n%s", n, got)
	}
}

func TestSecondProcessOnSameFile(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	in, feed := io.Pipe()
	first, stdout, _ := newMain("")
	first.Stdin = in
	if err := first.ParseFlags(t.Context(), []string{"console", "-db", db}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- first.Run(context.Background()) }()
	defer func() {
		feed.Close()
		if err := <-done; err != nil {
			t.Errorf("first Run: %v", err)
		}
		if err := first.Close(); err != nil {
			t.Errorf("first Close: %v", err)
		}
	}()
	// Once the first console answers, it holds the file.
	if _, err := io.WriteString(feed, "/soudan help\n"); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); stdout.String() == ""; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the first console never answered")
		}
	}

	second, _, _ := newMain("/soudan help\n")
	if err := second.ParseFlags(t.Context(), []string{"console", "-db", db}); err != nil {
		t.Fatal(err)
	}
	err := second.Run(t.Context())
	if cerr := second.Close(); cerr != nil {
		t.Errorf("second Close: %v", cerr)
	}
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "in use by another soudan process") {
		t.Errorf("second Run = %v, want store.ErrLocked saying the file is in use", err)
	}
}

func TestConsoleDemo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	with := session(t, filepath.Join(dir, "demo.db"), "/soudan mentors\n", "-demo")
	wantContains(t, "mentors with -demo", with, "鈴木（デモ）")
	without := session(t, filepath.Join(dir, "plain.db"), "/soudan mentors\n")
	if strings.Contains(without, "（デモ）") {
		t.Errorf("mentors without -demo list demo data:\n%s", without)
	}
}

// -demo keeps its sample data out of the default data file: without -db
// or SOUDAN_DB it runs on ./soudan-demo.db, and ./soudan.db is never made.
func TestConsoleDemoUsesItsOwnFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	m, stdout, stderr := newMain("/soudan mentors\n")
	if err := m.ParseFlags(t.Context(), []string{"-demo"}); err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	err := m.Run(t.Context())
	if cerr := m.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	if err != nil {
		t.Fatalf("Run: %v\nstderr:\n%s", err, stderr)
	}
	wantContains(t, "mentors with -demo", stdout.String(), "鈴木（デモ）")
	if _, err := os.Stat(filepath.Join(dir, "soudan-demo.db")); err != nil {
		t.Errorf("the demo data file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "soudan.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("-demo touched ./soudan.db (stat: %v); want it left alone", err)
	}
	// A later console without -demo on the default file sees no demo data.
	plain := session(t, "./soudan.db", "/soudan mentors\n")
	if strings.Contains(plain, "（デモ）") {
		t.Errorf("./soudan.db after a -demo run lists demo mentors:\n%s", plain)
	}
}
