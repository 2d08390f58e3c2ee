// Package store keeps soudan's state in one embedded bbolt file: users,
// topics, mentor profiles, consultations, seen platform events, claimed
// scheduler periods and the admin audit log.
//
// Each entity lives in its own bucket under big-endian uint64 keys; index
// buckets named "entity.by_field" hold keys "value 0x00 id" and are kept in
// the same transaction as the record, as are the counts per-event work
// reads instead of scanning records (a mentor's active consultations in
// "consultations.load_by_mentor"). Records are JSON. *bbolt.Tx never
// leaves the package: callers use the domain verbs on Tx, inside
// Store.Update (several changes committed together) or Store.View, or the
// Store methods of the same names, each its own transaction.
package store

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/kvguard"
	"github.com/soudan/soudan/store/kv/kvretry"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors returned (wrapped) by the store; test them with errors.Is.
var (
	// ErrNotFound means the record looked up does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists means the record would collide with an existing one.
	ErrExists = errors.New("store: already exists")
	// ErrLocked means another process holds the database file.
	ErrLocked = errors.New("store: database file is locked")
)

// DefaultTimeout is how long Open waits for the file lock when
// Options.Timeout is zero.
const DefaultTimeout = time.Second

// fileMode is the permission of the database file: it holds personal data.
const fileMode os.FileMode = 0o600

// Options configure Open.
type Options struct {
	// Timeout is how long to wait for the file lock; zero means DefaultTimeout.
	Timeout time.Duration
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Check reads the whole file before using it (see Check) and refuses
	// a damaged one with ErrDamaged. Without it, Open checks only the
	// file's header pages and length, which costs nothing; reading the
	// whole file costs about a second per gigabyte.
	Check bool

	// SurveyRelease, when set, releases at Open the survey rounds an
	// older soudan closed with their cells (department x band tallies):
	// only what their reports may show stays. soudan passes the survey
	// feature's; without it such rounds keep their cells until an Open
	// with it.
	SurveyRelease SurveyReleaser
}

// Store is soudan's database. It is safe for concurrent use.
type Store struct {
	// db is the bbolt file, for what only a file has (backup, compaction,
	// its path); nil on another engine (OpenDB).
	db *bbolt.DB
	// kv is db seen through the key-value seam: every transaction goes
	// through it (and, in test binaries, through kvguard, which fails a
	// transaction nested in another on the same goroutine).
	kv kv.DB
	// inbox is the inbox's own database (see Inbox): on bbolt the file
	// InboxPath(path), also in inboxFile; on PostgreSQL the same database
	// through a connection pool of its own; on another engine kv itself.
	inbox     kv.DB
	inboxFile *bbolt.DB
	inboxSeq  atomic.Uint64 // the last arrival number given (Inbox.nextSeq)
	inboxTrim inboxTrim     // handled entries to delete (Inbox.Done)
	// Now returns the current time; it stamps every record the store writes.
	Now func() time.Time

	commits  atomic.Uint64 // write transactions committed
	lastTxID atomic.Uint64 // the write transaction last counted
}

// Commits returns how many write transactions (each one disk sync) the
// store committed since it was opened: for benchmarks and metrics.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// Open opens (creating if needed) the database file at path, restricts it to
// mode 0600 and runs pending migrations. It fails with an error wrapping
// ErrLocked when another process holds the file for longer than
// opt.Timeout.
func Open(path string, opt Options) (*Store, error) {
	return open(path, opt, migrations)
}

// open is Open with the migration list as a parameter, for tests.
func open(path string, opt Options, list []migration) (st *Store, err error) {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	// A damaged file must be an error, not a crash: bbolt trusts the
	// file's header (preflight checks it first) and panics, or faults, on
	// a page that is not what it expects (guard makes that an error).
	if fi, serr := os.Stat(path); serr == nil && fi.Size() > 0 {
		shape, err := preflight(path)
		if err == nil && opt.Check {
			err = pageTree(path, shape)
		}
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	var db *bbolt.DB
	defer guard(&err, "open "+path, func() {
		if db != nil {
			db.Close()
		}
	})()
	db, err = bbolt.Open(path, fileMode, &bbolt.Options{Timeout: opt.Timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: the file is in use by another soudan process (stop it, or point --db/SOUDAN_DB at another file): %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := restrictMode(path); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if opt.Check {
		if err := db.View(func(tx *bbolt.Tx) error { _, err := verifyTx(tx); return err }); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	}
	s := &Store{db: db, kv: testWrap(boltkv.Wrap(db), path), Now: opt.Now}
	if err := s.prepare(opt, list); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ib, err := openInboxFile(InboxPath(path), opt)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s.inboxFile, s.inbox = ib, testWrap(boltkv.Wrap(ib), InboxPath(path))
	guardOrder(s)
	if err := moveInbox(s); err != nil {
		s.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// testWrap wraps each database the store opens with the checks of test
// binaries, a no-op in the product: kvguard fails a transaction nested in
// another, and kvretry, under SOUDAN_TEST_RETRY=1, runs every write
// transaction's function twice, rolling the first attempt back, as a
// serialization failure or a bbolt batch's failed neighbour would. The
// retry sits under the guard, next to the engine it stands in for.
func testWrap(db kv.DB, name string) kv.DB {
	return kvguard.Wrap(kvretry.Wrap(db), name)
}

// guardOrder tells the guards of a store's two databases (test binaries
// only) the one order in which they may nest. The inbox is a database of
// its own: recording an event inside a data transaction is not nested,
// as it takes another lock (another pool on PostgreSQL) and cannot wait
// for its own goroutine; it costs the data transaction only the wait for
// the inbox's commit. The reverse, a data transaction inside the
// inbox's, is flagged: the inbox's transactions (inbox.go) run key-value
// code on its bucket alone, and keeping them so means no two goroutines
// can each hold one database while they wait for the other.
func guardOrder(s *Store) {
	if s.inbox != s.kv {
		kvguard.Before(s.kv, s.inbox)
	}
}

// inboxBatchDelay is how long the inbox's file waits for more records
// before it commits a batch.
const inboxBatchDelay = 2 * time.Millisecond

// openInboxFile opens (creating when missing) the inbox's file beside the
// data file, checked and locked like it: a soudan that holds the data
// file holds its inbox too.
func openInboxFile(path string, opt Options) (db *bbolt.DB, err error) {
	if fi, serr := os.Stat(path); serr == nil && fi.Size() > 0 {
		shape, err := preflight(path)
		if err == nil && opt.Check {
			err = pageTree(path, shape)
		}
		if err != nil {
			return nil, fmt.Errorf("inbox %s: %w", path, err)
		}
	}
	defer guard(&err, "open "+path, func() {
		if db != nil {
			db.Close()
		}
	})()
	// The free list is rebuilt at open rather than written at every
	// commit: one page less to sync per record, in a file that stays a
	// few pages long.
	db, err = bbolt.Open(path, fileMode, &bbolt.Options{Timeout: opt.Timeout, NoFreelistSync: true, FreelistType: bbolt.FreelistMapType})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("inbox %s: the file is in use by another soudan process: %w", path, ErrLocked)
	}
	// An acknowledgement waits for its record's commit: a batch of
	// records commits after inboxBatchDelay rather than bbolt's 10 ms,
	// and the records arriving during its sync form the next.
	db.MaxBatchDelay = inboxBatchDelay
	if err != nil {
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	if err := restrictMode(path); err != nil {
		db.Close()
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		if opt.Check {
			if _, err := verifyTx(tx); err != nil {
				return err
			}
		}
		_, err := tx.CreateBucketIfNotExists([]byte(bktInbox))
		return err
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("inbox %s: %w", path, err)
	}
	return db, nil
}

// prepare brings a store just opened, on any engine, up to date: the
// pending migrations, then the release of survey rounds an older soudan
// closed.
func (s *Store) prepare(opt Options, list []migration) error {
	if err := migrate(s.kv, list); err != nil {
		return err
	}
	if opt.SurveyRelease != nil {
		if err := s.Update(func(tx *Tx) error { return tx.Surveys().releaseClosedRounds(opt.SurveyRelease) }); err != nil {
			return err
		}
	}
	return nil
}

// restrictMode narrows an existing file created with a wider mode to 0600.
func restrictMode(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Perm() == fileMode {
		return nil
	}
	return os.Chmod(path, fileMode)
}

// Close closes the database file, releasing its lock (or the engine
// OpenDB was given).
func (s *Store) Close() error {
	var err error
	if s.inbox != nil {
		s.Inbox().closeTrim()
		if s.inbox != s.kv {
			err = s.inbox.Close()
		}
	}
	if kerr := s.kv.Close(); kerr != nil {
		err = kerr
	}
	if err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Path returns the database file's path; "" for a store on another engine.
func (s *Store) Path() string {
	if s.db == nil {
		return ""
	}
	return s.db.Path()
}

// now returns the injected time without its monotonic reading, so values
// compare the same before and after a JSON round trip.
func (s *Store) now() time.Time { return s.Now().Round(0) }
