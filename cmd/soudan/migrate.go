package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"text/tabwriter"
	"time"

	"github.com/soudan/soudan/handlers/survey"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kvcopy"
	"github.com/soudan/soudan/store/pgstore"
)

// migrate runs "soudan migrate -from A -to B": it copies every bucket of
// database A (a data file or postgres://…) into the empty database B and
// prints each bucket with its key count and checksum, read back from B.
//
// The source is first opened as soudan opens it (its migrations run, a
// data file is read through and refused when damaged), so that the copy
// is of a whole database at the schema this binary knows; the target is
// opened the same way after the copy, to prove that soudan accepts it.
// Every soudan on either database must be stopped: a data file in use is
// refused by its lock, a PostgreSQL database is not locked, so a replica
// still running would write what the copy misses.
func (m *Main) migrate() error {
	from, to := m.Config.MigrateFrom, m.Config.MigrateTo
	if from == to {
		return errors.New("migrate: -from and -to name the same database")
	}
	if !pgstore.IsURL(from) {
		if _, err := os.Stat(from); err != nil {
			return fmt.Errorf("migrate: -from: %w", err)
		}
	}
	if !pgstore.IsURL(to) {
		if _, err := os.Stat(to); err == nil {
			return fmt.Errorf("migrate: -to %s exists; name a new file, so that nothing is overwritten", to)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("migrate: -to: %w", err)
		}
	}
	if err := m.prepareForCopy(from); err != nil {
		return fmt.Errorf("migrate: -from: %w", err)
	}
	src, err := openKV(from)
	if err != nil {
		return fmt.Errorf("migrate: -from: %w", err)
	}
	srcOpen := true
	defer func() {
		if srcOpen {
			src.Close()
		}
	}()
	dst, err := openKV(to)
	if err != nil {
		return fmt.Errorf("migrate: -to: %w", err)
	}
	started := time.Now()
	buckets, err := kvcopy.Copy(dst, src)
	if a, ok := dst.(interface{ Analyze(context.Context) error }); ok && err == nil {
		// The copy's planner statistics, before the first replica's load.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		err = a.Analyze(ctx)
		cancel()
	}
	if cerr := dst.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		if !pgstore.IsURL(to) && !errors.Is(err, kvcopy.ErrNotEmpty) {
			os.Remove(to) // the file was made by this copy and holds nothing of it
		}
		return fmt.Errorf("migrate: %w", err)
	}
	// The source's lock goes before its inbox is read through the store.
	srcOpen = false
	if err := src.Close(); err != nil {
		return fmt.Errorf("migrate: -from: %w", err)
	}
	if err := m.prepareForCopy(to); err != nil {
		return fmt.Errorf("migrate: the copy does not open: %w", err)
	}
	pending, err := m.copyInbox(from, to)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	keys := 0
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "bucket\tkeys\tsequence\tsha256")
	for _, b := range buckets {
		keys += b.Keys
		fmt.Fprintf(w, "%s\t%d\t%d\t%x\n", b.Name, b.Keys, b.Sequence, b.Sum)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(m.Stdout, "copied %d buckets, %d keys in %s; every bucket's checksum matches the source's\n",
		len(buckets), keys, time.Since(started).Round(time.Millisecond))
	if err == nil && pending > 0 {
		_, err = fmt.Fprintf(m.Stdout, "and %d events recorded in the inbox and not handled yet: the first start on the copy handles them\n", pending)
	}
	return err
}

// copyInbox copies the events a bbolt data file's inbox (its own file,
// InboxPath, which the bucket copy does not see) holds unhandled into the
// copy's inbox. From PostgreSQL there is nothing to do: the inbox's rows
// are in the database and the bucket copy carried them into the data
// file, whose first Open (prepareForCopy) moved them to its inbox file.
func (m *Main) copyInbox(from, to string) (int, error) {
	if pgstore.IsURL(from) {
		return 0, nil
	}
	src, err := store.Open(from, store.Options{Timeout: storeTimeout, Now: m.Now})
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	es, err := src.Inbox().Entries()
	if cerr := src.Close(); err == nil {
		err = cerr
	}
	if err != nil || len(es) == 0 {
		return 0, err
	}
	opt := store.Options{Timeout: storeTimeout, Now: m.Now}
	var dst *store.Store
	if pgstore.IsURL(to) {
		dst, err = pgstore.Open(to, opt)
	} else {
		dst, err = store.Open(to, opt)
	}
	if err != nil {
		return 0, fmt.Errorf("inbox: %w", err)
	}
	defer dst.Close()
	for _, e := range es {
		if _, _, err := dst.Inbox().Record(e); err != nil {
			return 0, fmt.Errorf("inbox: %w", err)
		}
	}
	return len(es), nil
}

// prepareForCopy opens the database at where as soudan does (migrations,
// a data file checked through) and closes it.
func (m *Main) prepareForCopy(where string) error {
	opt := store.Options{Timeout: storeTimeout, Now: m.Now, Check: true, SurveyRelease: survey.Release}
	var (
		st  *store.Store
		err error
	)
	if pgstore.IsURL(where) {
		st, err = pgstore.Open(where, opt)
	} else {
		st, err = store.Open(where, opt)
	}
	if err != nil {
		return err
	}
	return st.Close()
}

// openKV opens the database at where through the key-value seam.
func openKV(where string) (kv.DB, error) {
	if pgstore.IsURL(where) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return pgkv.Open(ctx, where, pgkv.Options{})
	}
	db, err := boltkv.Open(where, storeTimeout)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w (is a soudan using it?)", where, err)
	}
	return db, nil
}
