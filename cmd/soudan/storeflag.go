package main

import (
	"fmt"

	"github.com/soudan/soudan/handlers/survey"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/pgstore"
)

// onPostgres are the commands that run on a store at -store
// postgres://…: the bot itself. The others work on the data file's bytes
// (backup, restore, compact, check: PostgreSQL has pg_dump and its own
// checks), or read and write files around it and compact it afterwards
// (import, export, survey import): those run on a data file, which
// migrate moves to PostgreSQL and back.
var onPostgres = map[string]bool{"serve": true, "console": true, "version": true, "help": true, "teams-package": true}

// checkStoreCommand refuses -store with a command that cannot use it, and
// -from/-to anywhere but migrate, before anything is opened.
func checkStoreCommand(command string, cfg *Config) error {
	if command == "migrate" {
		if cfg.MigrateFrom == "" || cfg.MigrateTo == "" {
			return fmt.Errorf("migrate needs both databases: soudan migrate -from FILE.db -to postgres://… (or -from postgres://… -to FILE.db)")
		}
		// -store is not read: a deployment's config file or environment
		// names it for serve, and migrate runs beside that with both of
		// its databases named on its own command line.
		return nil
	}
	if cfg.MigrateFrom != "" || cfg.MigrateTo != "" {
		return fmt.Errorf("-from and -to are migrate's; %s does not take them", command)
	}
	if cfg.Store == "" || onPostgres[command] {
		if cfg.Store != "" && cfg.BackupDir != "" {
			return fmt.Errorf("-backup-dir (%s) writes copies of the data file; a store on PostgreSQL is backed up with PostgreSQL's tools (pg_dump, base backups)", envName("backup-dir"))
		}
		return nil
	}
	return fmt.Errorf("%s works on the data file; with -store (%s) it has nothing to work on. Move the data to a file with soudan migrate, or use PostgreSQL's tools (pg_dump) for backups", command, envName("store"))
}

// openPostgres opens the store on -store. The URL may hold a password: it
// is never logged, only the engine.
func (m *Main) openPostgres() error {
	st, err := pgstore.Open(m.Config.Store, store.Options{Now: m.Now, SurveyRelease: survey.Release})
	if err != nil {
		return fmt.Errorf("-store (%s): %w", envName("store"), err)
	}
	m.store = st
	m.log.Debug("store opened", "engine", st.Engine())
	return nil
}
