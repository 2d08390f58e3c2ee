package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The offline commands follow one rule for what they write (backup, export
// json, export knowledge, teams-package): an existing output is replaced
// only with -force, and a missing input is named in one sentence.

// needInput checks that the input file (or directory) path of verb
// exists: a missing one is "VERB: there is no WHAT PATH", not the
// operating system's "stat PATH: no such file or directory".
func needInput(verb, what, path string) error {
	_, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: there is no %s %s; nothing changed", verb, what, path)
	case err != nil:
		return fmt.Errorf("%s: %w", verb, err)
	}
	return nil
}

// needDataFile checks that the data file a command reads exists (a
// misspelt -db is not an empty file to read).
func (m *Main) needDataFile(verb string) error {
	db := m.Config.DataFile()
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: there is no data file %s (check -db or SOUDAN_DB); nothing written", verb, db)
	} else if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	return nil
}

// checkNewFile refuses to write the file path of verb when it exists,
// unless -force, and names a missing directory to write it in.
func (m *Main) checkNewFile(verb, path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) || err == nil && !fi.IsDir() {
			return fmt.Errorf("%s: there is no directory %s to write %s in; nothing written", verb, dir, path)
		}
	}
	if _, err := os.Lstat(path); err == nil && !m.Config.Force {
		return fmt.Errorf("%s: %s already exists; name a new file, or add -force to replace it", verb, path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", verb, err)
	}
	return nil
}

// checkNewDir refuses to write into the directory dir of verb when it
// holds anything, unless -force; even with -force, only a directory that
// holds nothing but what an export writes (.md files in folders) is
// replaced, so a mistyped path never deletes other files.
func (m *Main) checkNewDir(verb, dir string) error {
	ents, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist), err == nil && len(ents) == 0:
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", verb, err)
	case !m.Config.Force:
		return fmt.Errorf("%s: %s already exists and is not empty; name a new directory, or add -force to replace it", verb, dir)
	}
	var other string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (!d.Type().IsRegular() || !strings.EqualFold(filepath.Ext(p), ".md")) && other == "" {
			other = p
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", verb, err)
	}
	if other != "" {
		return fmt.Errorf("%s: %s holds %s, which an export does not write; -force replaces only an earlier export, so name a new directory", verb, dir, other)
	}
	return nil
}
