package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// damaged is the source file of damagedSource, built once per test
// binary: building it is 302 commits, and each test damages copies of it.
var damaged struct {
	sync.Mutex
	b     []byte
	ps    int64
	pages uint64
}

// damagedSource writes a soudan data file with a few hundred records
// (several pages of each kind: branches, leaves, overflow values) and
// returns its bytes, its page size and its pages in use. The bytes are
// shared: damage a copy.
func damagedSource(t *testing.T) ([]byte, int64, uint64) {
	t.Helper()
	damaged.Lock()
	defer damaged.Unlock()
	if damaged.b == nil {
		damaged.b, damaged.ps, damaged.pages = buildDamagedSource(t)
	}
	return damaged.b, damaged.ps, damaged.pages
}

func buildDamagedSource(t *testing.T) ([]byte, int64, uint64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "source.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := testWrite(st, func(tx *Tx) (Topic, error) {
			return tx.Topics().Create(Topic{Name: fmt.Sprintf("topic %03d %s", i, bytes.Repeat([]byte("x"), i%7*40))})
		}); err != nil {
			t.Fatal(err)
		}
	}
	big := bytes.Repeat([]byte("長い説明"), 1000) // a value over several pages
	if _, err := testWrite(st, func(tx *Tx) (Topic, error) {
		return tx.Topics().Create(Topic{Name: "big", Aliases: []string{string(big)}})
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	shape, err := preflight(path)
	if err != nil {
		t.Fatalf("preflight(whole file) = %v", err)
	}
	return b, shape.pageSize, shape.pages
}

// writeVariant writes b to a new file and returns its path.
func writeVariant(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTruncatedFilesAreDamaged: a copy cut short anywhere before its last
// page in use is refused with ErrDamaged by Check, Verify, Open (checked
// or not) and Compact, none of which panics or changes the file; before
// preflight, bbolt panicked or the process died of SIGBUS.
func TestTruncatedFilesAreDamaged(t *testing.T) {
	whole, ps, pages := damagedSource(t)
	dir := t.TempDir()
	end := int64(pages) * ps
	cuts := []int64{100, ps - 1, ps + 100, 2*ps + 1, end / 3, end / 2, end - ps, end - 1}
	for _, n := range cuts {
		p := writeVariant(t, dir, fmt.Sprintf("cut%d.db", n), whole[:n])
		if _, err := Check(p, 0); !errors.Is(err, ErrDamaged) {
			t.Errorf("Check(cut at %d of %d) = %v, want ErrDamaged", n, end, err)
		}
		if _, err := Verify(p, 0); !errors.Is(err, ErrDamaged) {
			t.Errorf("Verify(cut at %d) = %v, want ErrDamaged", n, err)
		}
		for _, chk := range []bool{false, true} {
			st, err := Open(p, Options{Check: chk})
			if err == nil {
				st.Close()
			}
			if !errors.Is(err, ErrDamaged) {
				t.Errorf("Open(cut at %d, Check %v) = %v, want ErrDamaged", n, chk, err)
			}
		}
		if _, _, err := CompactFile(p, 0); !errors.Is(err, ErrDamaged) {
			t.Errorf("CompactFile(cut at %d) = %v, want ErrDamaged", n, err)
		}
		if got, _ := os.ReadFile(p); !bytes.Equal(got, whole[:n]) {
			t.Errorf("cut at %d: the file was changed", n)
		}
	}
	// Past the last page in use, nothing is missing: the file is whole.
	if int64(len(whole)) > end {
		p := writeVariant(t, dir, "tail.db", whole[:end])
		if rep, err := Check(p, 0); err != nil || rep.Counts.Topics != 301 {
			t.Errorf("Check(cut after its last page) = %+v, %v; want OK with 301 topics", rep.Counts, err)
		}
	}
}

// TestFlippedBytesNeverCrash flips one byte at several places of every
// page: Check and a checked Open either accept the file (the byte was in
// unused space) or refuse it with ErrDamaged or ErrNotStore, and never
// panic or fault; what they accept reads back every record. Damage in
// the pages that hold the records is found.
func TestFlippedBytesNeverCrash(t *testing.T) {
	whole, ps, pages := damagedSource(t)
	dir := t.TempDir()
	var found, tried atomic.Int64
	// Every flipped copy is opened, which commits (the schema check), so
	// the pages are checked in parallel: the test waits on the disk more
	// than it computes.
	t.Run("pages", func(t *testing.T) {
		for pg := range pages {
			t.Run(fmt.Sprint(pg), func(t *testing.T) {
				t.Parallel()
				for _, off := range []int64{0, 8, 10, 12, 16, 24, 40, ps / 2, ps - 8} {
					at := int64(pg)*ps + off
					b := bytes.Clone(whole)
					b[at] ^= 0xA5
					p := writeVariant(t, dir, fmt.Sprintf("flip%d.db", at), b)
					tried.Add(1)
					rep, err := Check(p, 0)
					switch {
					case err == nil && pg < 2 && len(rep.Notes) > 0 && rep.Counts.Topics >= 300:
						// A header page flipped: bbolt reads the file as of the
						// other, which may be one commit older, and Check says so.
						found.Add(1)
					case err == nil:
						if rep.Counts.Topics != 301 {
							t.Errorf("Check(byte %d flipped) = OK with %d topics, want 301 or an error", at, rep.Counts.Topics)
						}
					case errors.Is(err, ErrDamaged) || errors.Is(err, ErrNotStore):
						found.Add(1)
					default:
						t.Errorf("Check(byte %d flipped) = %v, want nil, ErrDamaged or ErrNotStore", at, err)
					}
					st, oerr := Open(p, Options{Check: true})
					if oerr == nil {
						if n, err := testRead(st, func(tx *Tx) ([]Topic, error) { return tx.Topics().All() }); err != nil || len(n) != 301 && !(pg < 2 && len(n) == 300) {
							t.Errorf("Open(byte %d flipped) accepted it, but Topics = %d, %v", at, len(n), err)
						}
						st.Close()
					} else if !errors.Is(oerr, ErrDamaged) && !errors.Is(oerr, ErrNotStore) {
						t.Errorf("Open(byte %d flipped) = %v, want nil, ErrDamaged or ErrNotStore", at, oerr)
					}
					os.Remove(p)
				}
			})
		}
	})
	if found.Load() < tried.Load()/4 {
		t.Errorf("damage found in %d of %d flipped files; want most of those in used pages", found.Load(), tried.Load())
	}
}

// TestHoldADamagedFile: restore may replace a damaged data file, so Hold
// takes its lock without reading it.
func TestHoldADamagedFile(t *testing.T) {
	whole, _, _ := damagedSource(t)
	p := writeVariant(t, t.TempDir(), "cut.db", whole[:5000])
	release, err := Hold(p, 0)
	if err != nil {
		t.Fatalf("Hold(damaged file) = %v", err)
	}
	if _, err := Hold(p, 100e6); !errors.Is(err, ErrLocked) {
		t.Errorf("Hold(held file) = %v, want ErrLocked", err)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
}

// TestPageCycleIsDamaged: a branch page whose child is itself (or an
// ancestor) made bbolt's cursor descend without end, growing its stack
// until the process was killed for want of memory (seen when a flipped
// byte landed on a child page id). Check and a checked Open refuse it.
func TestPageCycleIsDamaged(t *testing.T) {
	whole, ps, pages := damagedSource(t)
	e := binary.NativeEndian
	dir := t.TempDir()
	// The pages in the tree (free pages keep their old headers, and
	// damage to them changes nothing).
	src := writeVariant(t, dir, "source.db", whole)
	shape, err := preflight(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := treeWalk{f: f, ps: shape.pageSize, pages: shape.pages, seen: make([]bool, shape.pages)}
	if err := w.page(shape.root, 0); err != nil {
		t.Fatalf("the whole file's tree: %v", err)
	}
	branches := 0
	for pg := uint64(2); pg < pages; pg++ {
		at := int64(pg) * ps
		if !w.seen[pg] || e.Uint64(whole[at:]) != pg || e.Uint16(whole[at+8:]) != branchPageFlag || e.Uint16(whole[at+10:]) == 0 {
			continue
		}
		branches++
		for _, child := range []uint64{pg, 0, pages + 5} { // itself, a meta page, past the file
			b := bytes.Clone(whole)
			e.PutUint64(b[at+pageHeaderSize+8:], child) // the first element's child
			p := writeVariant(t, dir, fmt.Sprintf("cycle%d-%d.db", pg, child), b)
			if _, err := Check(p, 0); !errors.Is(err, ErrDamaged) {
				t.Errorf("Check(branch %d pointing at %d) = %v, want ErrDamaged", pg, child, err)
			}
			if st, err := Open(p, Options{Check: true}); !errors.Is(err, ErrDamaged) {
				if err == nil {
					st.Close()
				}
				t.Errorf("Open(branch %d pointing at %d, Check) = %v, want ErrDamaged", pg, child, err)
			}
		}
	}
	if branches == 0 {
		t.Fatal("the source file has no branch page to damage")
	}
}
