package main

import (
	"path/filepath"
	"strings"
	"testing"
)

const (
	helpEN = "show how to use soudan"
	helpJA = "使い方を表示する"
)

// TestConsoleLangFlag: -lang en is the language of console users who did
// not choose one, the default user first.
func TestConsoleLangFlag(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "lang.db")
	out := session(t, db, "/soudan help\n:who\n:as 田中\n/soudan help\n", "-lang", "en", "-console-user", "kim")
	if n := strings.Count(out, helpEN); n != 2 || strings.Contains(out, helpJA) {
		t.Errorf("want two English helps and no Japanese one; got:\n%s", out)
	}
	wantContains(t, "output", out, "! user: kim (en), posting to: DM\n")
}

// TestConsoleLangConfigFile: "lang en" in the config file works as -lang.
func TestConsoleLangConfigFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "soudan.conf")
	writeFile(t, conf, "lang en\n")
	out := session(t, filepath.Join(dir, "lang.db"), "/soudan help\n", "-config", conf, "-console-user", "kim")
	if !strings.Contains(out, helpEN) || strings.Contains(out, helpJA) {
		t.Errorf("want the English help; got:\n%s", out)
	}
}

// TestConsoleAsLocaleSwitchesKnownUser: ":as NAME en" for a user the bot
// already knows in Japanese switches them, across a restart too, and
// ":as NAME ja" switches them back.
func TestConsoleAsLocaleSwitchesKnownUser(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "lang.db")
	out := session(t, db, ":as 田中\n/soudan help\n", "-console-user", "kim")
	if !strings.Contains(out, helpJA) {
		t.Fatalf("want the Japanese help first; got:\n%s", out)
	}
	out = session(t, db, ":as 田中 en\n/soudan help\n:as 鈴木\n:as 田中\n/soudan help\n", "-console-user", "kim")
	if n := strings.Count(out, helpEN); n != 2 || strings.Contains(out, helpJA) {
		t.Errorf("want two English helps after :as 田中 en; got:\n%s", out)
	}
	out = session(t, db, ":as 田中\n/soudan help\n:as 田中 ja\n/soudan help\n", "-console-user", "kim")
	if strings.Count(out, helpEN) != 1 || strings.Count(out, helpJA) != 1 || strings.Index(out, helpEN) > strings.Index(out, helpJA) {
		t.Errorf("want English after the restart, then Japanese after :as 田中 ja; got:\n%s", out)
	}
}
