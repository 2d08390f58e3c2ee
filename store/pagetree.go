package store

import (
	"encoding/binary"
	"fmt"
	"os"
)

// The page layout pageTree reads (go.etcd.io/bbolt/internal/common).
const (
	branchPageFlag = 0x01
	leafPageFlag   = 0x02
	bucketLeafFlag = 0x01 // a leaf element that is a sub-bucket
	pageElemSize   = 16   // both a branch and a leaf element are 16 bytes
	bucketHdrSize  = 16   // a sub-bucket's value: root page id, sequence
	maxTreeDepth   = 64   // far more than a B+tree of 2^62 pages needs
)

// pageTree reads the B+tree of the file at path the way bbolt's cursors
// will, from the root bucket's root page, with plain reads rather than
// the mapped file, and checks that every page it reaches is whole: its
// id is its place, it is a branch or a leaf page, its elements, keys and
// values lie inside it, its children are pages of the file, and no page
// is reached twice. bbolt trusts all of this: a page pointing back at an
// ancestor makes its cursor descend without end (growing its stack until
// the process runs out of memory), and one pointing past the file faults
// where nothing can recover. What is wrong is an error wrapping
// ErrDamaged. It reads the whole tree, so the full checks (Check, Open
// with Options.Check) run it; serve's quick start does not.
func pageTree(path string, shape fileShape) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := treeWalk{f: f, ps: shape.pageSize, pages: shape.pages, seen: make([]bool, shape.pages)}
	return w.page(shape.root, 0)
}

// treeWalk is one pageTree walk.
type treeWalk struct {
	f     *os.File
	ps    int64
	pages uint64
	seen  []bool
}

// page reads page id, a child at depth, and walks what it points to.
func (w *treeWalk) page(id uint64, depth int) error {
	switch {
	case depth > maxTreeDepth:
		return fmt.Errorf("%w: its page tree is deeper than %d levels at page %d (a page points back at its ancestors)", ErrDamaged, maxTreeDepth, id)
	case id < 2 || id >= w.pages:
		return fmt.Errorf("%w: a page points at page %d, outside its %d pages", ErrDamaged, id, w.pages)
	case w.seen[id]:
		return fmt.Errorf("%w: page %d is reached twice in its page tree", ErrDamaged, id)
	}
	w.seen[id] = true
	var h [pageHeaderSize]byte
	if _, err := w.f.ReadAt(h[:], int64(id)*w.ps); err != nil {
		return fmt.Errorf("%w: page %d cannot be read (%v)", ErrDamaged, id, err)
	}
	e := binary.NativeEndian
	if got := e.Uint64(h[0:]); got != id {
		return fmt.Errorf("%w: page %d says it is page %d", ErrDamaged, id, got)
	}
	overflow := uint64(e.Uint32(h[12:]))
	if id+overflow >= w.pages {
		return fmt.Errorf("%w: page %d runs past its %d pages", ErrDamaged, id, w.pages)
	}
	for o := id + 1; o <= id+overflow; o++ {
		if w.seen[o] {
			return fmt.Errorf("%w: page %d is reached twice in its page tree", ErrDamaged, o)
		}
		w.seen[o] = true
	}
	buf := make([]byte, int64(overflow+1)*w.ps)
	if _, err := w.f.ReadAt(buf, int64(id)*w.ps); err != nil {
		return fmt.Errorf("%w: page %d cannot be read (%v)", ErrDamaged, id, err)
	}
	return w.elements(buf, fmt.Sprintf("page %d", id), depth)
}

// elements checks the elements of the page in buf (a page of the file, or
// an inline bucket's page inside a value) and walks its children.
func (w *treeWalk) elements(buf []byte, where string, depth int) error {
	e := binary.NativeEndian
	if len(buf) < pageHeaderSize {
		return fmt.Errorf("%w: %s is shorter than a page header", ErrDamaged, where)
	}
	flags, count := e.Uint16(buf[8:]), int(e.Uint16(buf[10:]))
	if flags != branchPageFlag && flags != leafPageFlag {
		return fmt.Errorf("%w: %s is neither a branch nor a leaf page (flags %#x)", ErrDamaged, where, flags)
	}
	if pageHeaderSize+count*pageElemSize > len(buf) {
		return fmt.Errorf("%w: %s claims %d elements, more than it holds", ErrDamaged, where, count)
	}
	for i := range count {
		at := pageHeaderSize + i*pageElemSize
		el := buf[at : at+pageElemSize]
		if flags == branchPageFlag {
			pos, ksize, child := int(e.Uint32(el[0:])), int(e.Uint32(el[4:])), e.Uint64(el[8:])
			if at+pos+ksize > len(buf) || pos < 0 || ksize < 0 {
				return fmt.Errorf("%w: a key of %s lies outside it", ErrDamaged, where)
			}
			if err := w.page(child, depth+1); err != nil {
				return err
			}
			continue
		}
		lflags, pos, ksize, vsize := e.Uint32(el[0:]), int(e.Uint32(el[4:])), int(e.Uint32(el[8:])), int(e.Uint32(el[12:]))
		end := at + pos + ksize + vsize
		if end > len(buf) || end < at {
			return fmt.Errorf("%w: a key or value of %s lies outside it", ErrDamaged, where)
		}
		if lflags&bucketLeafFlag == 0 {
			continue
		}
		v := buf[at+pos+ksize : end]
		if len(v) < bucketHdrSize {
			return fmt.Errorf("%w: a bucket in %s has no header", ErrDamaged, where)
		}
		if root := e.Uint64(v[0:]); root != 0 {
			if err := w.page(root, depth+1); err != nil {
				return err
			}
			continue
		}
		if depth+1 > maxTreeDepth {
			return fmt.Errorf("%w: its buckets nest deeper than %d levels in %s", ErrDamaged, maxTreeDepth, where)
		}
		if err := w.elements(v[bucketHdrSize:], "an inline bucket in "+where, depth+1); err != nil {
			return err
		}
	}
	return nil
}
