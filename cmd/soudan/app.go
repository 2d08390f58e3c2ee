package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"

	"github.com/soudan/soudan/handlers/survey"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
)

// Main is the whole program, so that tests can run it in-process:
// ParseFlags, then Run, then Close.
type Main struct {
	Stdin  io.Reader // the console reads its script here
	Stdout io.Writer // console transcript and command output only
	Stderr io.Writer // logs

	Config  Config
	Command string   // serve, console, backup, restore, compact, import, export, survey import, version or help
	Args    []string // the command's arguments, such as backup's FILE

	// Now returns the current time; tests fix it.
	Now func() time.Time

	// terminal reports whether the console's input is a terminal (then it
	// greets with a banner); nil means stdinIsTerminal.
	terminal func(io.Reader) bool

	log   *slog.Logger
	store *store.Store
	// backupDir writes the hot backups of -backup-dir (see backups).
	backupDir *backupDir
	sched     *scheduler.Scheduler
	cancel    context.CancelFunc // cancels background work (jobs, catch-up)
	bg        sync.WaitGroup     // background goroutines

	listenMu   sync.Mutex
	listenAddr net.Addr // where -listen is bound, once serve listens
}

// NewMain returns a Main on the process's standard streams.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now}
}

// storeTimeout is how long Open waits for another process to release the
// data file before it reports the file as in use.
const storeTimeout = time.Second

// shutdownTimeout bounds how long Close waits for running jobs.
const shutdownTimeout = 10 * time.Second

// Run runs the command chosen by ParseFlags until it ends or ctx is
// cancelled. Call Close afterwards, even when Run fails.
func (m *Main) Run(ctx context.Context) error {
	if m.Now == nil {
		m.Now = time.Now
	}
	m.log = withReplica(newLogger(m.Stderr, &m.Config, m.Command), &m.Config)
	err := m.runCommand(ctx)
	if errors.Is(err, store.ErrDamaged) && m.Command != "restore" && m.Command != "check" {
		err = damagedDataFile(m.Config.DataFile(), err)
	}
	return err
}

// runCommand runs the command chosen by ParseFlags.
func (m *Main) runCommand(ctx context.Context) error {
	switch m.Command {
	case "version":
		_, err := fmt.Fprintln(m.Stdout, versionLine(buildInfo()))
		return err
	case "serve":
		return m.runServe(ctx)
	case "backup":
		return m.backup(m.Args[0])
	case "restore":
		return m.restore(m.Args[0])
	case "compact":
		return m.compact()
	case "check":
		return m.check(m.Args[0])
	case "migrate":
		return m.migrate()
	case "console":
		return m.runConsole(ctx)
	case "import":
		if m.Args[0] == "tips" {
			return m.importTips(m.Args[1])
		}
		return m.importUsers(ctx, m.Args[1])
	case "export":
		if m.Args[0] == "knowledge" {
			return m.exportKnowledge(m.Args[1])
		}
		return m.exportJSON(m.Args[1])
	case "teams-package":
		return m.teamsPackage(m.Args[0])
	case "survey import":
		return m.importSurvey(m.Args[0])
	}
	return fmt.Errorf("run: unknown command %q", m.Command)
}

// openStore opens the data file.
func (m *Main) openStore() error {
	// Every command but serve reads the whole file first, so that a damaged
	// one is refused before anything is done with it; serve checks its
	// header and length only, so that a restart stays quick.
	if m.Config.Store != "" {
		return m.openPostgres()
	}
	st, err := store.Open(m.Config.DataFile(), store.Options{Timeout: storeTimeout, Now: m.Now, Check: m.Command != "serve", SurveyRelease: survey.Release})
	if err != nil {
		return err
	}
	m.store = st
	m.log.Debug("store opened", "path", m.Config.DataFile())
	return nil
}

// Close stops the scheduler, waits for background work and closes the
// data file. It is safe to call more than once.
func (m *Main) Close() error {
	if m.cancel != nil {
		m.cancel()
	}
	if m.sched != nil {
		select {
		case <-m.sched.Stop().Done():
		case <-time.After(shutdownTimeout):
			m.log.Warn("scheduler: jobs still running at shutdown", "waited", shutdownTimeout)
		}
		m.sched = nil
	}
	m.bg.Wait()
	if m.store == nil {
		return nil
	}
	err := m.store.Close()
	m.store = nil
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}
