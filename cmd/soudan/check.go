package main

import (
	"errors"
	"fmt"

	"github.com/soudan/soudan/store"
)

// check reads the data file or backup at path through, without changing
// it, and prints whether it is whole, with its record counts. A damaged
// file is an error (exit status 1) saying what is wrong and what to do.
func (m *Main) check(path string) error {
	if err := needInput("check", "file", path); err != nil {
		return err
	}
	rep, err := store.Check(path, storeTimeout)
	switch {
	case errors.Is(err, store.ErrDamaged) && same(path, m.Config.DataFile()):
		return damagedDataFile(path, err)
	case errors.Is(err, store.ErrDamaged):
		return fmt.Errorf("%w\n%s is damaged: do not restore it; check and restore another backup", err, path)
	case err != nil:
		return err
	}
	c := rep.Counts
	_, err = fmt.Fprintf(m.Stdout, "%s: OK, schema version %d, %d bytes (%d pages of %d bytes)\n"+
		"  users %d, topics %d, mentors %d, consultations %d, tips %d, survey rounds %d, survey responses %d, outbox items %d, audit entries %d, inbox entries %d\n",
		path, rep.Schema, rep.Size, rep.Pages, rep.PageSize,
		c.Users, c.Topics, c.Mentors, c.Consultations, c.Tips, c.SurveyRounds, c.SurveyResponses, c.OutboxItems, c.AuditEntries, c.InboxEntries)
	for _, n := range rep.Notes {
		if err == nil {
			_, err = fmt.Fprintf(m.Stdout, "  note: %s\n", n)
		}
	}
	return err
}

// damagedDataFile is err, which says the data file db is damaged, with
// what to do about it.
func damagedDataFile(db string, err error) error {
	return fmt.Errorf("%w\nThe data file %s is damaged; nothing was done with it. Put the newest good backup in its place: "+
		"soudan restore BACKUP keeps the damaged file aside and changes nothing when the backup is damaged too; "+
		"soudan check BACKUP tells whether a backup is whole", err, db)
}
