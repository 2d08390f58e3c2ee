package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/soudan/soudan/store"
)

// exportJSON runs "soudan export json FILE": everything an admin may see,
// as one JSON document (store.WriteJSON), written to a temporary file
// beside FILE, mode 0600, and renamed into place. It opens the data file
// as import does, so the bot must be stopped; an existing FILE is
// replaced only with -force.
func (m *Main) exportJSON(path string) error {
	db := m.Config.DataFile()
	if err := m.checkOutput("export", path); err != nil {
		return err
	}
	if err := m.openStore(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	var counts store.ExportCounts
	err := writeAtomic(path, ".soudan-export-*", func(f *os.File) (err error) {
		counts, err = m.store.WriteJSON(f)
		return err
	})
	if err != nil {
		return fmt.Errorf("export to %s: %w", path, err)
	}
	var parts []string
	for name, n := range counts {
		parts = append(parts, fmt.Sprintf("%s %d", name, n))
	}
	slices.Sort(parts)
	m.log.Debug("export written", "path", path)
	_, err = fmt.Fprintf(m.Stdout, "exported %s to %s (%s)\n", db, path, strings.Join(parts, ", "))
	return err
}
