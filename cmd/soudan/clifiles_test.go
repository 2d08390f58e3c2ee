package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the soudan command line as a user does and returns its
// exit status, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run(t.Context(), args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestOneForceRuleForWhatCommandsWrite: backup, export json, export
// knowledge and teams-package refuse an existing output the same way and
// replace it with -force; each prints its result once, on stdout, with
// nothing on stderr.
func TestOneForceRuleForWhatCommandsWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "soudan.db")
	seed(t, db, "キャリア")
	app := "-teams-app-id=00000000-0000-0000-0000-000000000000"
	for _, c := range []struct {
		name string
		args []string
		out  string
	}{
		{"backup", []string{"backup", "-db", db}, filepath.Join(dir, "copy.db")},
		{"export json", []string{"export", "json", "-db", db}, filepath.Join(dir, "all.json")},
		{"export knowledge", []string{"export", "knowledge", "-db", db}, filepath.Join(dir, "tips")},
		{"teams-package", []string{"teams-package", app}, filepath.Join(dir, "soudan-teams.zip")},
	} {
		args := append(append([]string{}, c.args...), c.out)
		code, stdout, stderr := runCLI(t, args...)
		if code != exitOK || strings.Count(stdout, "\n") != 1 || stderr != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want one line on stdout, nothing on stderr", c.name, code, stdout, stderr)
		}
		if c.name == "export knowledge" { // an empty export is an empty directory: make it an earlier export
			if err := os.WriteFile(filepath.Join(c.out, "1 old.md"), []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		code, stdout, stderr = runCLI(t, args...)
		if code != exitError || stdout != "" || !strings.Contains(stderr, c.out+" already exists") || !strings.Contains(stderr, "add -force to replace it") {
			t.Errorf("%s again: exit %d, stdout %q, stderr %q; want a refusal naming -force", c.name, code, stdout, stderr)
		}
		code, stdout, stderr = runCLI(t, append([]string{"-force"}, args...)...)
		if code != exitOK || strings.Count(stdout, "\n") != 1 || stderr != "" {
			t.Errorf("%s -force: exit %d, stdout %q, stderr %q; want it replaced", c.name, code, stdout, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "tips", "1 old.md")); !os.IsNotExist(err) {
		t.Errorf("export knowledge -force kept the earlier export's file (stat: %v)", err)
	}
	// -force never deletes files an export does not write.
	other := filepath.Join(dir, "notes")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(other, "keep.txt"), "mine")
	code, _, stderr := runCLI(t, "export", "knowledge", "-force", "-db", db, other)
	if code != exitError || !strings.Contains(stderr, "which an export does not write") {
		t.Errorf("export knowledge -force into a directory of other files: exit %d, %q; want a refusal", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "keep.txt")); err != nil {
		t.Errorf("the other file: %v", err)
	}
}

// TestMissingInputsNamedInOneSentence: a missing input or data file is
// named in a sentence, not "stat FILE: no such file or directory".
func TestMissingInputsNamedInOneSentence(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, nope := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "nope")
	seed(t, db, "キャリア")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "knowledge", "-db", nope, filepath.Join(dir, "k")}, "export knowledge: there is no data file " + nope},
		{[]string{"restore", "-db", db, nope}, "restore: there is no backup file " + nope + "; nothing changed"},
		{[]string{"import", "tips", "-db", db, nope}, "import tips: there is no file or directory " + nope + "; nothing changed"},
		{[]string{"import", "users", "-db", db, nope}, "import users: there is no file " + nope + "; nothing changed"},
		{[]string{"check", nope}, "check: there is no file " + nope + "; nothing changed"},
		{[]string{"survey", "import", "-db", db, nope + ".toml"}, "survey import: there is no file " + nope + ".toml; nothing changed"},
		{[]string{"backup", "-db", db, filepath.Join(nope, "x.db")}, "backup: there is no directory " + nope + " to write " + filepath.Join(nope, "x.db") + " in; nothing written"},
		{[]string{"export", "json", "-db", db, filepath.Join(nope, "x.json")}, "export: there is no directory " + nope},
		{[]string{"teams-package", "-teams-app-id=00000000-0000-0000-0000-000000000000", filepath.Join(nope, "x.zip")}, "teams-package: there is no directory " + nope},
	} {
		code, _, stderr := runCLI(t, c.args...)
		if code != exitError || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "no such file") {
			t.Errorf("%q: exit %d, stderr %q; want %q", c.args, code, stderr, c.want)
		}
	}
}
