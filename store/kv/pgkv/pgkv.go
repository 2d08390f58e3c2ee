// Package pgkv implements the store's key-value seam (store/kv) on
// PostgreSQL through pgx: the engine for a deployment that outgrows one
// machine, where several soudan processes share one database.
//
// # Layout
//
// Two tables, created at Open when missing, and a sequence per bucket:
//
//	soudan_kv_buckets   (id bigint identity primary key, name text unique)
//	soudan_kv           (bucket bigint, key bytea, value bytea, primary key (bucket, key))
//	soudan_kv_seq_<id>  a PostgreSQL sequence, made with the bucket
//
// A bucket is its rows in soudan_kv, ordered by the primary key's btree:
// bytea compares byte by byte whatever the collation, which is exactly the
// order bbolt keeps, so cursors are range scans on the primary key
// (key > last, key < first), fetched a page at a time. Buckets are
// numbered rather than named in every row so that the primary key stays
// small; deleting a bucket deletes its rows, and a bucket made again gets
// a new number.
//
// A bucket's sequence is a PostgreSQL sequence (CREATE SEQUENCE), made
// and dropped with the bucket. nextval never waits for another
// transaction and never makes one fail: a sequence kept in a row, as
// before, was written by every transaction that took an id of its bucket,
// so that any two of them that ran at once conflicted on it and one ran
// again from the start: most of the retries per event, on one replica and
// on three (docs/measurements/2026-12-07-postgres.md). The price is
// the one the seam allows (kv.Bucket.NextSequence): a number taken by a
// transaction that then rolls back, or runs again, is not given again, so
// ids have gaps.
//
// Databases made before kept the sequences in the table
// soudan_kv_sequences; Open moves them into sequences and leaves the
// table empty, with a constraint that refuses every row, so that an older
// soudan still running on the database fails when it takes an id instead
// of giving out one again.
//
// # Transactions
//
// Update and Batch run SERIALIZABLE read-write transactions; when
// PostgreSQL aborts one for a serialization failure or a deadlock
// (SQLSTATE 40001, 40P01), the whole function runs again on a new
// transaction after a short random backoff. That is safe because the
// store's transaction functions have no effects outside the transaction
// (the store's one door demands it; commit hooks run only after the
// commit that succeeded). View runs a READ ONLY REPEATABLE READ
// transaction: one snapshot, never aborted for serialization.
//
// Batch is Update: concurrent transactions commit on separate
// connections, and PostgreSQL groups their WAL flushes itself.
//
// # Round trips
//
// Every exchange with the server costs a round trip, and an event's
// handling makes hundreds of seam calls, so a transaction asks as little
// as the seam allows (buffer.go): it keeps every key it read or wrote, so
// a key read twice is fetched once; it buffers Puts, Deletes and sequence
// changes and sends them in one pipelined batch together with the next
// statement that must see them (a cursor's page, a count) or with COMMIT;
// it reads a sequence once. kv.Prefetch reads the keys the store is about
// to Get, of several buckets, in one exchange (prefetch.go). Nothing is
// kept across transactions. Stats counts the round trips and the calls.
//
// # Limits
//
// A key is at most MaxKeySize bytes (the seam allows 32,768; a btree
// entry in PostgreSQL holds about 2,700): the store's keys are ids, names
// and words, far shorter.
package pgkv

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/soudan/soudan/store/kv"
)

// MaxKeySize is the longest key Put accepts.
const MaxKeySize = 2048

var (
	_ kv.DB     = (*DB)(nil)
	_ kv.Tx     = (*tx)(nil)
	_ kv.Bucket = (*bucket)(nil)
	_ kv.Cursor = (*cursor)(nil)
)

// Options configure Open. The zero value is ready to use.
type Options struct {
	// MaxConns bounds the connection pool; zero keeps pgx's default
	// (the larger of 4 and the number of CPUs) or the URL's
	// pool_max_conns.
	MaxConns int32
	// MaxAttempts is how many times a transaction function runs before
	// a serialization failure is returned; zero means 30.
	MaxAttempts int
	// ConnectTimeout bounds each new connection when the URL sets no
	// connect_timeout; zero means 5 seconds. It is what makes a database
	// that went away an error quickly instead of a hang.
	ConnectTimeout time.Duration
	// StatementTimeout bounds each statement's round trip (see timed);
	// zero means 15 seconds. It is what makes a database whose network
	// stopped answering, without closing, an error instead of a hang.
	StatementTimeout time.Duration
}

// DB is a PostgreSQL database seen through the seam. It is safe for
// concurrent use.
type DB struct {
	pool        *pgxpool.Pool
	maxAttempts int
	stmtTimeout time.Duration
	ids         atomic.Uint64 // transaction ids, see tx.ID
	count       counters
}

// Open connects to the database at url (postgres://... or a key=value
// connection string) and creates the tables when missing.
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pgkv: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = opt.ConnectTimeout
		if cfg.ConnConfig.ConnectTimeout <= 0 {
			cfg.ConnConfig.ConnectTimeout = 5 * time.Second
		}
	}
	if cfg.PingTimeout == 0 {
		// The pool pings a connection that sat idle before it hands it
		// out; without a bound, a stalled network hangs that ping, and
		// the transaction that asked, for ever.
		cfg.PingTimeout = defaultPingTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgkv: %w", err)
	}
	d := &DB{pool: pool, maxAttempts: opt.MaxAttempts, stmtTimeout: opt.StatementTimeout}
	if d.stmtTimeout <= 0 {
		d.stmtTimeout = defaultStatementTimeout
	}
	if d.maxAttempts <= 0 {
		d.maxAttempts = 30
	}
	if err := d.createSchema(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return d, nil
}

// schemaLock is the advisory lock key that serialises creating the
// tables: CREATE TABLE IF NOT EXISTS is not safe against itself when
// several replicas start together.
const schemaLock = 0x736f7564616e // "soudan"

func (d *DB) createSchema(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, d.pool, func(t pgx.Tx) error {
		if _, err := t.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(schemaLock)); err != nil {
			return err
		}
		_, err := t.Exec(ctx, `
CREATE TABLE IF NOT EXISTS soudan_kv_buckets (
	id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name text NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS soudan_kv (
	bucket bigint NOT NULL,
	key    bytea  NOT NULL,
	value  bytea  NOT NULL,
	PRIMARY KEY (bucket, key)
);
CREATE TABLE IF NOT EXISTS soudan_kv_sequences (
	bucket bigint PRIMARY KEY,
	seq    bigint NOT NULL
);`)
		if err != nil {
			return err
		}
		return moveSequences(ctx, t)
	})
	if err != nil {
		return fmt.Errorf("pgkv: create tables: %w", err)
	}
	return nil
}

// moveSequences gives every bucket that has none its PostgreSQL
// sequence, starting after the number its row in soudan_kv_sequences (the
// layout before) says was given out last, deletes those rows, and retires
// the table: an older soudan that still writes its sequence rows there
// would give out numbers this one gave already, so its writes must fail.
// The caller holds the schema lock, and the table stays so that an older
// soudan's CREATE TABLE IF NOT EXISTS finds it with its constraint.
func moveSequences(ctx context.Context, t pgx.Tx) error {
	rows, err := t.Query(ctx, `
SELECT b.id, coalesce(s.seq, 0) FROM soudan_kv_buckets b
LEFT JOIN soudan_kv_sequences s ON s.bucket = b.id
WHERE to_regclass('soudan_kv_seq_' || b.id) IS NULL`)
	if err != nil {
		return err
	}
	type bucketSeq struct{ id, seq int64 }
	var (
		todo []bucketSeq
		b    bucketSeq
	)
	if _, err := pgx.ForEachRow(rows, []any{&b.id, &b.seq}, func() error {
		todo = append(todo, b)
		return nil
	}); err != nil {
		return err
	}
	for _, b := range todo {
		if _, err := t.Exec(ctx, createSequence(b.id)); err != nil {
			return err
		}
		if b.seq > 0 {
			if _, err := t.Exec(ctx, `SELECT setval($1::regclass, $2, true)`, seqName(b.id), b.seq); err != nil {
				return err
			}
		}
	}
	if _, err := t.Exec(ctx, `DELETE FROM soudan_kv_sequences`); err != nil {
		return err
	}
	var retired bool
	if err := t.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_constraint
WHERE conname = 'soudan_kv_sequences_retired' AND conrelid = 'soudan_kv_sequences'::regclass)`).Scan(&retired); err != nil {
		return err
	}
	if !retired {
		// NOT VALID: the check holds for every row written from now on
		// (an older soudan's INSERT or UPDATE fails), and the table is
		// empty anyway.
		_, err = t.Exec(ctx, `ALTER TABLE soudan_kv_sequences ADD CONSTRAINT soudan_kv_sequences_retired
CHECK (false) NOT VALID`)
	}
	return err
}

// Ping checks that the database answers: what a readiness probe asks.
func (d *DB) Ping(ctx context.Context) error { return d.pool.Ping(ctx) }

// Engine names the engine, for the store's Engine and its metrics.
func (d *DB) Engine() string { return "postgres" }

// Analyze gathers the planner's statistics of the store's table. A table
// just filled (soudan migrate) has none until autovacuum gets round to it,
// under the first load: measured with 100,000 consultations copied in, one
// replica acknowledged 193 of 2,000 events in its first 10 s without it.
func (d *DB) Analyze(ctx context.Context) error {
	if _, err := d.pool.Exec(ctx, `ANALYZE soudan_kv`); err != nil {
		return fmt.Errorf("pgkv: analyze: %w", err)
	}
	return nil
}

// Close implements kv.DB. It waits for transactions in flight.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

// Update implements kv.DB with a SERIALIZABLE transaction, retried on
// serialization failure.
func (d *DB) Update(fn func(kv.Tx) error) error { return d.run(true, fn) }

// Batch implements kv.DB: it is Update (see the package comment).
func (d *DB) Batch(fn func(kv.Tx) error) error { return d.run(true, fn) }

// View implements kv.DB with a READ ONLY REPEATABLE READ transaction.
func (d *DB) View(fn func(kv.Tx) error) error { return d.run(false, fn) }

// run runs fn in transactions until one commits, fn or the database
// fails for a reason a new attempt would not change, or maxAttempts is
// reached.
func (d *DB) run(write bool, fn func(kv.Tx) error) error {
	for attempt := 1; ; attempt++ {
		hooks, again, where, err := d.attempt(write, fn)
		if !again {
			// The hooks run once the connection is back in the pool: a
			// hook that waits for something (a lock another goroutine
			// holds while it opens a transaction) or opens a transaction
			// itself must not hold a connection meanwhile, or a busy pool
			// deadlocks.
			for _, h := range hooks {
				h()
			}
			return err
		}
		d.count.retries.Add(1)
		d.count.retriesBy[where].Add(1)
		if attempt >= d.maxAttempts {
			return fmt.Errorf("pgkv: gave up after %d attempts: %w: %w", attempt, kv.ErrConflict, err)
		}
		time.Sleep(backoff(attempt))
	}
}

// backoff is the pause before attempt+1: random in [0, 1 ms * 2^attempt),
// capped at 100 ms, so that transactions that collided spread out
// instead of colliding again in step.
func backoff(attempt int) time.Duration {
	limit := time.Millisecond << min(attempt, 7)
	return min(rand.N(limit), 100*time.Millisecond)
}

// attempt runs fn once and returns the commit hooks it registered when it
// committed. again reports a failure that a new transaction may not meet,
// and where the kind of statement that met it.
func (d *DB) attempt(write bool, fn func(kv.Tx) error) (hooks []func(), again bool, where cause, err error) {
	ctx := context.Background()
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, false, causeBegin, fmt.Errorf("pgkv: connect: %w", unanswered(err))
	}
	// A connection released inside a transaction, or broken, is closed
	// by the pool rather than reused.
	defer conn.Release()
	if write {
		d.count.writeTxs.Add(1)
	} else {
		d.count.readTxs.Add(1)
	}
	d.count.roundTrips.Add(1)
	// Every statement of the transaction, its begin, commit and rollback
	// included, is sent under a deadline of its own.
	q := timed{q: conn, d: d.stmtTimeout}
	catalog, err := begin(ctx, q, write)
	if err != nil {
		q.Exec(ctx, "ROLLBACK") //nolint:errcheck // the error that matters is err
		// Nothing was done yet: a connection that failed before the
		// transaction began may be retried when pgx says so.
		return nil, retryable(err) || pgconn.SafeToRetry(err), causeBegin, fmt.Errorf("pgkv: begin: %w", unanswered(err))
	}
	ended := false
	defer func() {
		// Every way out but a commit rolls back, a panic in fn included.
		if !ended {
			q.Exec(context.Background(), "ROLLBACK") //nolint:errcheck // the outcome is reported below, or the panic goes on
		}
	}()
	t := &tx{ctx: ctx, db: d, q: q, write: write, id: d.ids.Add(1), catalog: catalog, buckets: map[string]*bucket{}}
	ferr := fn(t)
	if t.err != nil {
		// The database's error comes first: whatever fn made of reads
		// that failed (a missing record, say) is not to be trusted.
		return nil, retryable(t.err), t.cause, unanswered(t.err)
	}
	if ferr != nil {
		return nil, false, causeOther, ferr
	}
	tag, sent, err := t.commit()
	ended = sent
	if err != nil {
		// The buffered writes go first in the commit's batch: a failure
		// before COMMIT was sent is theirs.
		where := causeCommit
		if !sent {
			where = causeWrite
		}
		return nil, retryable(err), where, fmt.Errorf("pgkv: commit: %w", unanswered(err))
	}
	if tag.String() != "COMMIT" {
		// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
		return nil, false, causeCommit, fmt.Errorf("pgkv: commit: the transaction was rolled back (%s)", tag)
	}
	return t.hooks, false, causeOther, nil
}

// commit sends the buffered writes and COMMIT in one round trip. When a
// write fails the transaction is aborted and COMMIT is not run (sent is
// false): the caller's ROLLBACK ends it.
func (t *tx) commit() (tag pgconn.CommandTag, sent bool, err error) {
	batch := &pgx.Batch{}
	n := t.queueFlush(batch)
	batch.Queue("COMMIT")
	t.db.count.roundTrips.Add(1)
	br := t.q.SendBatch(t.ctx, batch)
	for range n {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return pgconn.CommandTag{}, false, fmt.Errorf("write: %w", err)
		}
	}
	if n > 0 {
		t.flushed()
	}
	tag, err = br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, true, err
}

// The statements that begin a transaction: snapshot isolation for reads,
// serializable for writes (the store's invariants span records, so
// snapshot isolation's write skew is not acceptable there).
const (
	beginRead  = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	beginWrite = "BEGIN ISOLATION LEVEL SERIALIZABLE READ WRITE"
)

// begin begins a transaction on conn and reads the bucket catalog, every
// bucket's name and number, in the same round trip: a transaction touches
// several buckets, and each round trip costs more than the catalog's few
// dozen rows. In a SERIALIZABLE transaction that read conflicts only with
// creating or deleting a bucket, which migrations do; the sequences, which
// many transactions write, live in a table of their own.
func begin(ctx context.Context, conn timed, write bool) (map[string]int64, error) {
	b := &pgx.Batch{}
	if write {
		b.Queue(beginWrite)
	} else {
		b.Queue(beginRead)
	}
	b.Queue(`SELECT name, id FROM soudan_kv_buckets`)
	br := conn.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		br.Close()
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, err
	}
	catalog := map[string]int64{}
	var (
		name string
		id   int64
	)
	if _, err := pgx.ForEachRow(rows, []any{&name, &id}, func() error {
		catalog[name] = id
		return nil
	}); err != nil {
		br.Close()
		return nil, err
	}
	return catalog, br.Close()
}

// unanswered marks err with kv.ErrUnavailable when the database did not
// answer: no connection, a connection lost or past its statement's
// deadline, or a server refusing work because it is shutting down or
// starting (SQLSTATE classes 08 and 57P). An error the server answered a
// statement with is returned as is: the same statement would fail again.
func unanswered(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !strings.HasPrefix(pe.Code, "08") && !strings.HasPrefix(pe.Code, "57P") {
		return err
	}
	if errors.Is(err, kv.ErrUnavailable) {
		return err
	}
	return fmt.Errorf("%w: %w", kv.ErrUnavailable, err)
}

// retryable reports a serialization failure or a deadlock: PostgreSQL
// rolled the transaction back and running it again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
