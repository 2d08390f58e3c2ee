package pgkv_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// TestSequencesDoNotConflict: transactions that take numbers of one
// bucket at the same time all commit on their first attempt. With the
// sequence kept in a row, the second transaction's NextSequence waited
// for the first one's lock and then failed (40001), and its function ran
// again: on PostgreSQL that was most of the retries per event. Here every
// transaction holds its number until all of them have one, which the row
// made impossible (the wait gives up, and the test fails, after a few
// seconds).
func TestSequencesDoNotConflict(t *testing.T) {
	const n = 6
	// A connection for every transaction: they all hold theirs at once.
	db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{MaxConns: n})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx kv.Tx) error { _, err := tx.CreateBucket("ids"); return err }); err != nil {
		t.Fatal(err)
	}
	before := db.Stats()
	var (
		holding sync.WaitGroup
		all     = make(chan struct{})
		wg      sync.WaitGroup
		mu      sync.Mutex
		got     []uint64
	)
	holding.Add(n)
	go func() { holding.Wait(); close(all) }()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			err := db.Update(func(tx kv.Tx) error {
				b := tx.Bucket("ids")
				id, err := b.NextSequence()
				if err != nil {
					return err
				}
				if !first {
					return fmt.Errorf("transaction %d ran again", i)
				}
				first = false
				holding.Done()
				select {
				case <-all:
				case <-time.After(5 * time.Second):
					return fmt.Errorf("transaction %d: the others did not get their numbers while it held %d", i, id)
				}
				mu.Lock()
				got = append(got, id)
				mu.Unlock()
				return b.Put(fmt.Appendf(nil, "%020d", id), []byte("v"))
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	slices.Sort(got)
	if want := []uint64{1, 2, 3, 4, 5, 6}; !slices.Equal(got, want) {
		t.Errorf("numbers taken = %v, want %v", got, want)
	}
	if d := db.Stats().Sub(before); d.Retries != 0 {
		t.Errorf("%d retries (%+v), want none", d.Retries, d.RetriesBy)
	}
}

// TestSequenceGaps: a number taken by a transaction that rolls back, or
// that PostgreSQL aborts and pgkv runs again, is never given again, and
// a committed transaction's numbers still rise in the order taken.
func TestSequenceGaps(t *testing.T) {
	db := open(t)
	counter(t, db, "ids")
	boom := errors.New("boom")
	if err := db.Update(func(tx kv.Tx) error {
		if _, err := tx.Bucket("ids").NextSequence(); err != nil {
			return err
		}
		return boom
	}); err != boom {
		t.Fatalf("Update = %v, want %v", err, boom)
	}
	// Two transactions that both read n and then write it: one of them
	// fails and runs again, taking a new number each time.
	var (
		read  sync.WaitGroup
		wg    sync.WaitGroup
		mu    sync.Mutex
		taken [][]uint64 // per committed transaction, in the order taken
	)
	read.Add(2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			first := true
			var mine []uint64
			err := db.Update(func(tx kv.Tx) error {
				b := tx.Bucket("ids")
				mine = mine[:0]
				for range 2 {
					id, err := b.NextSequence()
					if err != nil {
						return err
					}
					mine = append(mine, id)
				}
				n := b.Get([]byte("n"))[0]
				if first {
					first = false
					read.Done()
					read.Wait()
				}
				return b.Put([]byte("n"), []byte{n + 1})
			})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			taken = append(taken, slices.Clone(mine))
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(taken) != 2 {
		t.Fatalf("committed %d transactions, want 2", len(taken))
	}
	seen := map[uint64]bool{}
	for _, ids := range taken {
		if ids[0] < 2 || ids[1] <= ids[0] {
			t.Errorf("a committed transaction took %v: want rising numbers above 1, the rolled-back one", ids)
		}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("number %d given twice", id)
			}
			seen[id] = true
		}
	}
	if st := db.Stats(); st.Retries == 0 {
		t.Fatal("no transaction ran again: the test did not make the gap it checks")
	}
	// 1 rolled back, 2 per attempt: at least 3 attempts took 6 numbers.
	if err := db.View(func(tx kv.Tx) error {
		if s := tx.Bucket("ids").Sequence(); s < 7 {
			return fmt.Errorf("Sequence = %d after 1 rolled-back number and three attempts of 2, want 7 or more", s)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestMoveSequences: a database made by a pgkv that kept sequences in the
// table soudan_kv_sequences gets a PostgreSQL sequence per bucket at Open,
// going on after the number its row held; the table then refuses the
// writes an older soudan still running would make there, and a second
// Open changes nothing.
func TestMoveSequences(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// The layout and rows an older pgkv left.
	if _, err := conn.Exec(ctx, `
CREATE TABLE soudan_kv_buckets (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL UNIQUE);
CREATE TABLE soudan_kv (bucket bigint NOT NULL, key bytea NOT NULL, value bytea NOT NULL, PRIMARY KEY (bucket, key));
CREATE TABLE soudan_kv_sequences (bucket bigint PRIMARY KEY, seq bigint NOT NULL);
INSERT INTO soudan_kv_buckets (name) VALUES ('consultations'), ('users'), ('topics');
INSERT INTO soudan_kv_sequences SELECT id, 41 FROM soudan_kv_buckets WHERE name = 'consultations';
INSERT INTO soudan_kv_sequences SELECT id, 0 FROM soudan_kv_buckets WHERE name = 'topics';`); err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"consultations": 41, "users": 0, "topics": 0}
	check := func() {
		t.Helper()
		db, err := pgkv.Open(ctx, url, pgkv.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx kv.Tx) error {
			for name, w := range want {
				b := tx.Bucket(name)
				if s := b.Sequence(); s != w {
					return fmt.Errorf("Sequence of %s = %d, want %d", name, s, w)
				}
				n, err := b.NextSequence()
				if err != nil || n != w+1 {
					return fmt.Errorf("NextSequence of %s = %d, %v; want %d", name, n, err, w+1)
				}
				want[name] = n
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	check()
	check() // a second Open moves nothing again
	var rows int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM soudan_kv_sequences`).Scan(&rows); err != nil || rows != 0 {
		t.Errorf("soudan_kv_sequences holds %d rows (%v), want none", rows, err)
	}
	// What an older pgkv's NextSequence sends must fail, not count on
	// from a number this one has given out already.
	_, err = conn.Exec(ctx, `INSERT INTO soudan_kv_sequences (bucket, seq) SELECT id, 1 FROM soudan_kv_buckets WHERE name = 'users'
ON CONFLICT (bucket) DO UPDATE SET seq = soudan_kv_sequences.seq + 1`)
	if err == nil {
		t.Error("an older soudan could still write a sequence row")
	}
}
