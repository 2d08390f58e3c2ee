package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// terminalSession runs a console session as session does, but as if its
// input were a terminal.
func terminalSession(t *testing.T, db, script string, args ...string) string {
	t.Helper()
	m, stdout, stderr := newMain(script)
	m.terminal = func(io.Reader) bool { return true }
	ctx := context.Background()
	if err := m.ParseFlags(ctx, append([]string{"console", "-db", db}, args...)); err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	err := m.Run(ctx)
	if cerr := m.Close(); cerr != nil {
		t.Errorf("Close: %v", cerr)
	}
	if err != nil {
		t.Fatalf("Run: %v\nstderr:\n%s", err, stderr)
	}
	return stdout.String()
}

func TestConsoleBanner(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "banner.db")
	out := terminalSession(t, db, "", "-console-user", "kim", "-demo")
	want := "! soudan コンソール — あなたは kim です（最初の発言で管理者になります）。:help でコマンド一覧、:quit で終了します。\n" +
		"! デモデータを読み込みました: 「（デモ）」の付いたトピックとメンターはサンプルです。\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("first start: output starts\n%s\nwant\n%s", out, want)
	}
	terminalSession(t, db, "hello\n", "-console-user", "kim") // kim becomes admin
	out = terminalSession(t, db, ":as kim en\n/soudan help\n", "-console-user", "kim")
	wantContains(t, "output", out, "! soudan コンソール — あなたは kim です（管理者）。")
	out = terminalSession(t, db, "", "-console-user", "kim")
	if want := "! soudan console — you are kim (admin). :help lists the commands, :quit leaves.\n"; out != want {
		t.Errorf("once kim speaks English: output %q, want %q", out, want)
	}
	out = terminalSession(t, db, "", "-console-user", "lee", "-lang", "en")
	if want := "! soudan console — you are lee. :help lists the commands, :quit leaves.\n"; out != want {
		t.Errorf("a member: output %q, want %q", out, want)
	}
}

// TestConsoleNoBannerForScripts: a script's transcript has no banner.
func TestConsoleNoBannerForScripts(t *testing.T) {
	t.Parallel()
	out := session(t, filepath.Join(t.TempDir(), "script.db"), "", "-demo")
	if out != "" {
		t.Errorf("a script with no lines printed %q", out)
	}
	f, err := os.CreateTemp(t.TempDir(), "script")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if stdinIsTerminal(f) || stdinIsTerminal(strings.NewReader("")) {
		t.Error("a file or a string reader is taken for a terminal")
	}
}
