package pgkv

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Defaults of Options' timeouts.
const (
	// defaultStatementTimeout bounds one statement's round trip, from
	// sending it to its last row. A statement waits at most for the
	// transactions whose rows it must wait for, which are short: far
	// below this, unless the network to the database stalled.
	defaultStatementTimeout = 15 * time.Second
	// defaultPingTimeout bounds the pool's check of a connection it hands
	// out after it sat idle.
	defaultPingTimeout = 2 * time.Second
)

// timed sends a transaction's statements on its connection, each under a
// deadline of its own: a network that stops forwarding without closing
// (a paused link, a dead peer behind a NAT) leaves a read waiting for
// ever otherwise, holding the pool's connection and whatever waits behind
// it (the replica's readiness probe answers, the inbox keeps acknowledging
// into a database it cannot reach, the outbox's claims hang). When the
// deadline passes pgx closes the connection: the statement fails, the
// transaction is lost, and the pool opens a new connection next time.
// Every statement gets a deadline of its own rather than the transaction
// one: a long transaction of many short statements (a migration, a
// backup's walk) is healthy, a statement that gets no answer is not.
type timed struct {
	q interface {
		querier
		SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	}
	d time.Duration
}

var _ querier = timed{}

func (t timed) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	defer cancel()
	return t.q.Exec(ctx, sql, args...)
}

// Query's deadline covers the rows too: it ends when they are closed or
// read to their end.
func (t timed) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	rows, err := t.q.Query(ctx, sql, args...)
	if err != nil {
		cancel()
		return nil, err
	}
	return &timedRows{Rows: rows, cancel: cancel}, nil
}

func (t timed) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	return timedRow{row: t.q.QueryRow(ctx, sql, args...), cancel: cancel}
}

// SendBatch's deadline covers reading the batch's results, until they are
// closed.
func (t timed) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	ctx, cancel := context.WithTimeout(ctx, t.d)
	return &timedBatch{BatchResults: t.q.SendBatch(ctx, b), cancel: cancel}
}

// timedRows ends its statement's deadline when the rows are done.
type timedRows struct {
	pgx.Rows
	cancel context.CancelFunc
}

func (r *timedRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.cancel()
	return false
}

func (r *timedRows) Close() {
	r.Rows.Close()
	r.cancel()
}

// timedRow ends its statement's deadline once scanned.
type timedRow struct {
	row    pgx.Row
	cancel context.CancelFunc
}

func (r timedRow) Scan(dest ...any) error {
	defer r.cancel()
	return r.row.Scan(dest...)
}

// timedBatch ends its batch's deadline when its results are closed.
type timedBatch struct {
	pgx.BatchResults
	cancel context.CancelFunc
}

func (b *timedBatch) Close() error {
	defer b.cancel()
	return b.BatchResults.Close()
}
