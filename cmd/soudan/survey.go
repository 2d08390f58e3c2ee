package main

import (
	"fmt"
	"os"

	"github.com/soudan/soudan/handlers/survey"
)

// importSurvey runs "soudan survey import FILE": it reads a survey definition
// (TOML or YAML) and stores it in the data file, replacing the survey
// with the same id. Run it with the bot stopped, like backup: the running
// bot holds the file.
func (m *Main) importSurvey(path string) error {
	if err := needInput("survey import", "file", path); err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("survey import: %w", err)
	}
	if err := m.openStore(); err != nil {
		return fmt.Errorf("survey import: %w", err)
	}
	s, outcome, err := survey.Import(m.store, path, data)
	if err != nil {
		return err
	}
	verb := "imported"
	switch outcome {
	case survey.Replaced:
		verb = "replaced"
	case survey.Unchanged:
		_, err = fmt.Fprintf(m.Stdout, "survey %q from %s is already stored as it is: nothing changed\n", s.ID, path)
		return err
	}
	m.log.Debug("survey "+verb, "id", s.ID, "file", path, "items", len(s.Items))
	_, err = fmt.Fprintf(m.Stdout, "%s survey %q (%s, %d items) from %s\n", verb, s.ID, s.Title["en"], len(s.Items), path)
	return err
}
