package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitIgnoreCoversWhatSoudanLeaves: the files soudan writes beside a
// data file in a clone (the data file, what restore keeps aside, the
// temporary files) are ignored by git, and kept out of the Docker build.
func TestGitIgnoreCoversWhatSoudanLeaves(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "soudan.db")
	seed(t, db, "キャリア")
	backup := filepath.Join(dir, "backup.db")
	if _, err := runCommand(t, "backup", "-db", db, backup); err != nil {
		t.Fatal(err)
	}
	if _, err := runCommand(t, "restore", "-db", db, backup); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	left := []string{".soudan-restore-123", ".soudan-export-123", ".soudan-teams-123"}
	for _, e := range ents {
		left = append(left, e.Name())
	}
	if !strings.Contains(strings.Join(left, " "), "soudan.db.before-restore-") {
		t.Fatalf("restore left %v, want soudan.db.before-restore-TIME among them", left)
	}
	for _, file := range []string{"../../.gitignore", "../../.dockerignore"} {
		patterns := ignorePatterns(t, file)
		for _, name := range left {
			if !ignored(patterns, name) {
				t.Errorf("%s does not cover %s", file, name)
			}
		}
	}
}

// ignorePatterns reads the name patterns of an ignore file (a leading
// "/" or "**/" dropped: the files are at the clone's root here).
func ignorePatterns(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, strings.TrimPrefix(strings.TrimPrefix(l, "**/"), "/"))
		}
	}
	return out
}

// ignored reports whether a pattern matches name.
func ignored(patterns []string, name string) bool {
	for _, p := range patterns {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
	}
	return false
}
