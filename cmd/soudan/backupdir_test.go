package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// backupNames lists the files in dir, sorted.
func backupNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	slices.Sort(out)
	return out
}

// A backup taken by /soudan admin backup while the console serves the data
// file holds what was written before it; it is audited, and a member is
// refused.
func TestAdminBackupWhileServing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, backups := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "backups")
	got := session(t, db, strings.Join([]string{
		"/soudan admin topic add 転勤",
		"/soudan admin backup",
		"/soudan admin audit",
		":as 田中",
		"/soudan admin backup",
	}, "\n")+"\n", "-console-user", "佐藤", "-backup-dir", backups)
	name := "soudan-" + fixedNow.Format(backupLayout) + ".db"
	wantContains(t, "console output", got, "データファイルをバックアップしました："+name, "バックアップ: "+name)
	if n := strings.Count(got, "管理者のみ"); n != 1 || strings.Index(got, "管理者のみ") < strings.Index(got, "[田中 → DM]") {
		t.Errorf("got %d refusals, want 1, for 田中's backup; output:\n%s", n, got)
	}
	if names := backupNames(t, backups); !slices.Equal(names, []string{name}) {
		t.Errorf("backup directory = %q, want [%s]", names, name)
	}
	path := filepath.Join(backups, name)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", fi, err)
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer st.Close()
	if _, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("転勤") }); err != nil {
		t.Errorf("topic added before the backup, in the backup: %v", err)
	}
}

// Without -backup-dir, /soudan admin backup says there is no backup
// directory, in the user's language, and writes nothing.
func TestAdminBackupWithoutDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "soudan.db")
	got := session(t, db, "/soudan admin backup\n")
	wantContains(t, "console output", got, "バックアップ用ディレクトリが設定されていない", "-backup-dir（SOUDAN_BACKUP_DIR）")
	got = session(t, filepath.Join(dir, "en.db"), "/soudan admin backup\n", "-lang", "en")
	wantContains(t, "console output", got, "No backup directory is set", "-backup-dir (SOUDAN_BACKUP_DIR)")
	if names := backupNames(t, dir); !slices.Equal(names, []string{"en.db", "en.db.inbox", "soudan.db", "soudan.db.inbox"}) {
		t.Errorf("files = %q, want only the data files and their inbox files", names)
	}
}

// The daily store:backup job writes soudan-YYYYMMDD-HHMMSS.db files and
// keeps the newest -backup-keep of them; other files are left alone.
func TestBackupJobKeepsN(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "backups")
	st := storetest.MustOpen(t, store.Options{})
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: "キャリア"}) }); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, other := range []string{"notes.txt", "soudan-manual.db"} {
		writeFile(t, filepath.Join(dir, other), "keep me")
	}
	m, _, _ := newMain("")
	m.store, m.log = st, slog.New(slog.NewTextHandler(io.Discard, nil))
	m.Config.BackupDir, m.Config.BackupKeep, m.Config.location = dir, 3, fixedNow.Location()
	b := m.backups()
	if b == nil {
		t.Fatal("backups() = nil with -backup-dir set")
	}
	job := b.job()
	if job.Name != "store:backup" || job.Spec != backupJobSpec || job.Period == nil || job.Period(fixedNow) != "2026-11-21" {
		t.Fatalf("job = %+v, want the daily store:backup", job)
	}
	var want []string
	for day := range 5 {
		now := fixedNow.AddDate(0, 0, day)
		if err := job.Run(context.Background(), now); err != nil {
			t.Fatalf("run %d: %v", day, err)
		}
		want = append(want, "soudan-"+now.Format(backupLayout)+".db")
	}
	want = append(want[2:], "notes.txt", "soudan-manual.db")
	slices.Sort(want)
	if got := backupNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("backup directory = %q, want %q", got, want)
	}
	newest := filepath.Join(dir, "soudan-"+fixedNow.AddDate(0, 0, 4).Format(backupLayout)+".db")
	if fi, err := os.Stat(newest); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("newest backup: %v, %v; want mode 0600", fi, err)
	}
	if v, err := store.Verify(newest, 0); err != nil || v == 0 {
		t.Errorf("Verify(newest backup) = %d, %v", v, err)
	}
}

// -backup-dir turns the hot backups on; -backup-keep is at least 1.
func TestBackupSettings(t *testing.T) {
	t.Parallel()
	m, _ := parse(t, "console", "-db", "x.db")
	if m.backups() != nil {
		t.Errorf("backups() without -backup-dir is not nil")
	}
	m, err := parse(t, "console", "-db", "x.db", "-backup-dir", "b", "-backup-keep", "2")
	if err != nil {
		t.Fatal(err)
	}
	if m.Config.BackupKeep != 2 || m.Config.BackupDir != "b" {
		t.Errorf("settings = %q, %d; want b, 2", m.Config.BackupDir, m.Config.BackupKeep)
	}
	if _, err := parse(t, "console", "-backup-keep", "0"); err == nil || !strings.Contains(err.Error(), "-backup-keep (SOUDAN_BACKUP_KEEP)") {
		t.Errorf("-backup-keep 0 = %v, want a refusal", err)
	}
}
