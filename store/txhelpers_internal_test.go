package store

import "testing"

// The helpers below are storetest's for the store's own tests, which
// cannot import storetest (it imports store): each runs one function in
// one transaction.

// testUpdate returns what fn returns in one write transaction of s; the
// test fails at once if fn returns an error.
func testUpdate[T any](tb testing.TB, s *Store, fn func(tx *Tx) (T, error)) T {
	tb.Helper()
	v, err := testWrite(s, fn)
	if err != nil {
		tb.Fatalf("update: %v", err)
	}
	return v
}

// testRead returns what fn reads in one read transaction of s, and its
// error.
func testRead[T any](s *Store, fn func(tx *Tx) (T, error)) (T, error) {
	v, _, err := run2(s.View, func(tx *Tx) (T, struct{}, error) {
		v, err := fn(tx)
		return v, struct{}{}, err
	})
	return v, err
}

// testWrite returns what fn returns in one write transaction of s, and its
// error.
func testWrite[T any](s *Store, fn func(tx *Tx) (T, error)) (T, error) {
	v, _, err := run2(s.Update, func(tx *Tx) (T, struct{}, error) {
		v, err := fn(tx)
		return v, struct{}{}, err
	})
	return v, err
}

// testWrite2 is testWrite for a function of two values.
func testWrite2[A, B any](s *Store, fn func(tx *Tx) (A, B, error)) (A, B, error) {
	return run2(s.Update, fn)
}

// run2 runs fn in a transaction begun by run and returns its values, or
// zero values with the error.
func run2[A, B any](run func(func(*Tx) error) error, fn func(tx *Tx) (A, B, error)) (A, B, error) {
	var a A
	var b B
	err := run(func(tx *Tx) (err error) {
		a, b, err = fn(tx)
		return err
	})
	if err != nil {
		var za A
		var zb B
		return za, zb, err
	}
	return a, b, nil
}

// testView returns what fn reads in one read transaction of s; the test
// fails at once if fn returns an error.
func testView[T any](tb testing.TB, s *Store, fn func(tx *Tx) (T, error)) T {
	tb.Helper()
	v, err := testRead(s, fn)
	if err != nil {
		tb.Fatalf("view: %v", err)
	}
	return v
}
