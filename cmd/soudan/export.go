package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// exportJSON runs "soudan export json FILE": everything an admin may see,
// as one JSON document (store.WriteJSON), written to a temporary file
// beside FILE, mode 0600, and renamed into place. It opens the data file
// as import does, so the bot must be stopped; an existing FILE is
// replaced only with -force.
func (m *Main) exportJSON(path string) error {
	db := m.Config.DataFile()
	if same(path, db) {
		return fmt.Errorf("export: %s is the data file itself; name another file", path)
	}
	if _, err := os.Stat(db); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("export: there is no data file %s (check -db or SOUDAN_DB); nothing written", db)
	}
	if _, err := os.Lstat(path); err == nil && !m.Config.Force {
		return fmt.Errorf("export: %s already exists; name a new file, or add -force to replace it", path)
	}
	if err := m.openStore(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".soudan-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	counts, err := m.store.WriteJSON(tmp)
	if err == nil {
		err = tmp.Chmod(0o600)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	syncDir(filepath.Dir(path))
	var parts []string
	for name, n := range counts {
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	slices.Sort(parts)
	m.log.Info("export written", "path", path)
	_, err = fmt.Fprintf(m.Stdout, "exported %s to %s (%s)\n", db, path, strings.Join(parts, ", "))
	return err
}
