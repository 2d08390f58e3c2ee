package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// ErrDamaged means a data file or backup is damaged: cut short (a
// truncated copy), or with pages that do not read back as bbolt wrote
// them. Nothing can be done with it but restoring a backup; `soudan check
// FILE` says what is wrong with a file.
var ErrDamaged = errors.New("store: the file is damaged")

// The layout of a bbolt file's two meta pages (go.etcd.io/bbolt/internal/
// common: a 16-byte page header, then the meta), read here before bbolt
// maps the file: bbolt trusts them, and reading a page past the end of a
// truncated file kills the process (SIGBUS) where no recover can help.
const (
	pageHeaderSize = 16
	metaMagic      = 0xED0CDAED
	metaVersion    = 2
	metaSize       = 64 // magic, version, page size, flags, root, sequence, freelist, pgid, txid, checksum
	noFreelist     = ^uint64(0)
)

// metaPage is what preflight reads of one meta page.
type metaPage struct {
	magic, version, pageSize uint32
	root, freelist, pgid     uint64
	txid, checksum           uint64
	valid                    bool
}

// readMeta decodes the meta page at off in f, valid when its magic,
// version and checksum are right.
func readMeta(f io.ReaderAt, off int64) (metaPage, bool) {
	var b [pageHeaderSize + metaSize]byte
	if _, err := f.ReadAt(b[:], off); err != nil {
		return metaPage{}, false
	}
	m := b[pageHeaderSize:]
	e := binary.NativeEndian
	mp := metaPage{
		magic: e.Uint32(m[0:]), version: e.Uint32(m[4:]), pageSize: e.Uint32(m[8:]),
		root: e.Uint64(m[16:]), freelist: e.Uint64(m[32:]), pgid: e.Uint64(m[40:]),
		txid: e.Uint64(m[48:]), checksum: e.Uint64(m[56:]),
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:56])
	mp.valid = mp.magic == metaMagic && mp.version == metaVersion && h.Sum64() == mp.checksum &&
		mp.pageSize >= 512 && mp.pageSize&(mp.pageSize-1) == 0
	return mp, true
}

// fileShape is what preflight found: the meta page bbolt will use.
type fileShape struct {
	size     int64
	pageSize int64
	pages    uint64 // the high water mark: pages in use, free ones included
	txid     uint64
	root     uint64 // the root bucket's root page
	// badMeta is the meta page (0 or 1) that does not read back while
	// the other does, -1 for none: bbolt reads the file as of the other.
	badMeta int
}

// preflight checks, without bbolt, that the file at path can be mapped
// safely: one of its meta pages is whole and consistent, and the file is
// as long as that meta page says. A file that is not bbolt at all (no
// magic number in either meta page) is ErrNotStore; one that is bbolt
// but damaged is ErrDamaged, saying what is wrong.
func preflight(path string) (fileShape, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileShape{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileShape{}, err
	}
	shape := fileShape{size: fi.Size(), badMeta: -1}
	m0, _ := readMeta(f, 0)
	// The second meta page is one page further on; when the first is not
	// readable, its page size is unknown: try the usual ones, as bbolt does.
	var m1 metaPage
	sizes := []int64{int64(os.Getpagesize()), 4096, 8192, 16384, 32768, 65536}
	if m0.valid {
		sizes = []int64{int64(m0.pageSize)}
	}
	for _, ps := range sizes {
		if m, ok := readMeta(f, ps); ok && m.valid && int64(m.pageSize) == ps {
			m1 = m
			break
		} else if ok && m.magic == metaMagic && m1.magic == 0 {
			m1 = m
		}
	}
	var use metaPage
	switch {
	case m0.valid && m1.valid:
		use = m0
		if m1.txid > m0.txid {
			use = m1
		}
	case m0.valid:
		use, shape.badMeta = m0, 1
	case m1.valid:
		use, shape.badMeta = m1, 0
	case m0.magic != metaMagic && m1.magic != metaMagic:
		return shape, fmt.Errorf("%w (no bbolt header)", ErrNotStore)
	default:
		return shape, fmt.Errorf("%w: neither of its two header pages reads back whole (checksum)", ErrDamaged)
	}
	shape.pageSize, shape.pages, shape.txid, shape.root = int64(use.pageSize), use.pgid, use.txid, use.root
	need := int64(use.pgid) * int64(use.pageSize)
	switch {
	case use.pgid < 2 || use.pgid > uint64(1<<62)/uint64(use.pageSize):
		return shape, fmt.Errorf("%w: its header counts %d pages", ErrDamaged, use.pgid)
	case shape.size < need:
		return shape, fmt.Errorf("%w: it is cut short: %d bytes, but its pages reach byte %d (a truncated or unfinished copy)", ErrDamaged, shape.size, need)
	case use.root < 2 || use.root >= use.pgid:
		return shape, fmt.Errorf("%w: its root page %d is outside its %d pages", ErrDamaged, use.root, use.pgid)
	case use.freelist != noFreelist && (use.freelist < 2 || use.freelist >= use.pgid):
		return shape, fmt.Errorf("%w: its free list page %d is outside its %d pages", ErrDamaged, use.freelist, use.pgid)
	}
	if use.freelist != noFreelist {
		if err := freelistFits(f, use); err != nil {
			return shape, err
		}
	}
	return shape, nil
}

// freelistFits checks the header of the free list page: bbolt reads the
// list where a fault cannot be recovered (the goroutine of tx.Check), so
// its length must fit in its pages, and they in the file.
func freelistFits(f io.ReaderAt, m metaPage) error {
	ps := int64(m.pageSize)
	var h [pageHeaderSize + 8]byte
	if _, err := f.ReadAt(h[:], int64(m.freelist)*ps); err != nil {
		return fmt.Errorf("%w: its free list page cannot be read (%v)", ErrDamaged, err)
	}
	e := binary.NativeEndian
	id, flags, count, overflow := e.Uint64(h[0:]), e.Uint16(h[8:]), uint64(e.Uint16(h[10:])), uint64(e.Uint32(h[12:]))
	head := uint64(pageHeaderSize)
	if count == 0xFFFF { // a long list keeps its length in its first element
		count, head = e.Uint64(h[pageHeaderSize:]), head+8
	}
	switch {
	case id != m.freelist || flags&0x10 == 0:
		return fmt.Errorf("%w: page %d is not the free list its header names", ErrDamaged, m.freelist)
	case m.freelist+overflow >= m.pgid:
		return fmt.Errorf("%w: the free list runs past its %d pages", ErrDamaged, m.pgid)
	case count > ((overflow+1)*uint64(ps)-head)/8:
		return fmt.Errorf("%w: the free list claims %d pages, more than it holds", ErrDamaged, count)
	}
	return nil
}

// guard turns a panic of bbolt reading a damaged file (an assertion on a
// page, an index out of range, or a fault on the mapped file, which
// debug.SetPanicOnFault makes a panic) into an error wrapping ErrDamaged
// in *err, prefixed with op when not "", then, when *err is not nil,
// runs cleanup (nil for none). Use it as
//
//	defer guard(&err, op, cleanup)()
//
// in the goroutine that reads the file.
func guard(err *error, op string, cleanup func()) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if r := recover(); r != nil {
			*err = fmt.Errorf("%w: reading it failed (%v)", ErrDamaged, r)
			if op != "" {
				*err = fmt.Errorf("%s: %w", op, *err)
			}
		}
		if *err != nil && cleanup != nil {
			cleanup()
		}
	}
}

// Counts are the records of a checked file, by kind.
type Counts struct {
	Users, Topics, Mentors, Consultations, Tips int
	SurveyRounds, SurveyResponses, OutboxItems  int
	AuditEntries, InboxEntries                  int
}

// countedBuckets are the buckets whose keys Counts counts.
var countedBuckets = map[string]func(*Counts) *int{
	bktUsers:       func(c *Counts) *int { return &c.Users },
	bktTopics:      func(c *Counts) *int { return &c.Topics },
	bktMentors:     func(c *Counts) *int { return &c.Mentors },
	bktConsults:    func(c *Counts) *int { return &c.Consultations },
	bktTips:        func(c *Counts) *int { return &c.Tips },
	bktRounds:      func(c *Counts) *int { return &c.SurveyRounds },
	bktResponses:   func(c *Counts) *int { return &c.SurveyResponses },
	bktOutboxItems: func(c *Counts) *int { return &c.OutboxItems },
	bktAudit:       func(c *Counts) *int { return &c.AuditEntries },
	bktInbox:       func(c *Counts) *int { return &c.InboxEntries },
}

// recordBuckets hold one JSON record per key: walk checks that each
// decodes, as bbolt keeps no checksum of values.
var recordBuckets = map[string]bool{
	bktUsers: true, bktTopics: true, bktMentors: true, bktConsults: true, bktDepts: true, bktTips: true,
	bktRounds: true, bktSynonyms: true, bktOutboxItems: true, bktOutboxBatches: true, bktSurveys: true,
}

// walk reads every bucket, key and value of tx in the calling goroutine
// (so that guard turns a bad page into an error), checks that the records
// of recordBuckets are JSON, and counts the records.
// A walk that ends touched every page a later read can reach, so bbolt's
// own check (tx.Check, which reads in a goroutine of its own, where a
// fault cannot be recovered) reads nothing the walk did not.
func walk(tx *bbolt.Tx) (Counts, error) {
	var c Counts
	var sum byte
	var each func(b *bbolt.Bucket, n *int, records string) error
	each = func(b *bbolt.Bucket, n *int, records string) error {
		return b.ForEach(func(k, v []byte) error {
			if len(k) > 0 {
				sum ^= k[0] ^ k[len(k)-1]
			}
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					return each(sub, nil, "")
				}
				return nil
			}
			if len(v) > 0 {
				sum ^= v[0] ^ v[len(v)-1]
			}
			if records != "" && !json.Valid(v) {
				return fmt.Errorf("a record of %s (key %x) does not read back", records, k)
			}
			if n != nil {
				*n++
			}
			return nil
		})
	}
	err := tx.ForEach(func(name []byte, b *bbolt.Bucket) error {
		var n *int
		if f, ok := countedBuckets[string(name)]; ok {
			n = f(&c)
		}
		records := ""
		if recordBuckets[string(name)] {
			records = string(name)
		}
		return each(b, n, records)
	})
	_ = sum // the bytes are read so that a page beyond the file faults here
	return c, err
}

// consistency drains bbolt's consistency check of tx (free list, page
// reachability, key order) and returns its first few findings.
func consistency(tx *bbolt.Tx) []string {
	var found []string
	for err := range tx.Check() { // drain it: Check stops only when read to the end
		if len(found) < 5 {
			found = append(found, err.Error())
		}
	}
	return found
}

// Report is what Check found in a file.
type Report struct {
	Path     string
	Size     int64
	PageSize int64
	Pages    uint64 // pages in use, free ones included
	Schema   int
	Counts   Counts
	// Notes are what is wrong but does not stop the file from being
	// used as it is read.
	Notes []string
}

// Check verifies the file at path without changing it (read-only, never
// migrated): its header pages and length, every page reachable from its
// root read in full, bbolt's consistency check (free list, unreachable
// pages, key order), and a soudan schema version this binary knows. It
// returns what it counted; a damaged file is an error wrapping
// ErrDamaged, saying what is wrong, and a file that is not soudan's one
// wrapping ErrNotStore.
func Check(path string, timeout time.Duration) (Report, error) {
	rep, err := check(path, timeout)
	if err != nil {
		return rep, fmt.Errorf("check %s: %w", path, err)
	}
	return rep, nil
}

// check is Check without its error wrapping.
func check(path string, timeout time.Duration) (rep Report, err error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	rep.Path = path
	fi, err := os.Stat(path)
	if err != nil {
		return rep, err
	}
	if !fi.Mode().IsRegular() || fi.Size() == 0 {
		return rep, ErrNotStore
	}
	shape, err := preflight(path)
	rep.Size, rep.PageSize, rep.Pages = shape.size, shape.pageSize, shape.pages
	if err != nil {
		return rep, err
	}
	if err := pageTree(path, shape); err != nil {
		return rep, err
	}
	if shape.badMeta >= 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("header page %d does not read back (checksum): the file is read as of the other one, "+
			"which is where it was before its last commit (as after a power cut during a commit); what that commit wrote may be missing", shape.badMeta))
	}
	var db *bbolt.DB
	defer guard(&err, "", func() {
		if db != nil {
			db.Close()
		}
	})()
	db, err = bbolt.Open(path, fileMode, &bbolt.Options{ReadOnly: true, Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return rep, fmt.Errorf("the file is in use by another soudan process: %w", ErrLocked)
	}
	if err != nil {
		return rep, fmt.Errorf("%w: bbolt cannot open it (%v)", ErrDamaged, err)
	}
	err = db.View(func(tx *bbolt.Tx) error {
		counts, err := verifyTx(tx)
		if err != nil {
			return err
		}
		rep.Counts = counts
		meta := tx.Bucket([]byte(bktMeta))
		if meta == nil {
			return fmt.Errorf("%w (no meta bucket)", ErrNotStore)
		}
		v, err := readVersion(meta)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrDamaged, err)
		}
		if v == 0 {
			return fmt.Errorf("%w (no schema version)", ErrNotStore)
		}
		if v > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this soudan binary knows (%d): upgrade soudan", v, len(migrations))
		}
		rep.Schema = v
		return nil
	})
	if err != nil {
		return rep, err
	}
	err = db.Close()
	db = nil
	if err != nil {
		return rep, err
	}
	n, err := checkInboxFile(InboxPath(path), timeout)
	rep.Counts.InboxEntries += n
	return rep, err
}

// checkInboxFile checks the inbox's file beside a data file as check does
// the data file, and counts its entries; a missing one is no error (Open
// creates it).
func checkInboxFile(path string, timeout time.Duration) (n int, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && fi.Size() == 0 {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	fail := func(err error) (int, error) { return 0, fmt.Errorf("inbox %s: %w", path, err) }
	shape, err := preflight(path)
	if err != nil {
		return fail(err)
	}
	if err := pageTree(path, shape); err != nil {
		return fail(err)
	}
	var db *bbolt.DB
	defer guard(&err, "", func() {
		if db != nil {
			db.Close()
		}
	})()
	db, err = bbolt.Open(path, fileMode, &bbolt.Options{ReadOnly: true, Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fail(fmt.Errorf("the file is in use by another soudan process: %w", ErrLocked))
	}
	if err != nil {
		return fail(fmt.Errorf("%w: bbolt cannot open it (%v)", ErrDamaged, err))
	}
	err = db.View(func(tx *bbolt.Tx) error {
		if _, err := verifyTx(tx); err != nil {
			return err
		}
		if b := tx.Bucket([]byte(bktInbox)); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	db = nil
	if err != nil {
		return fail(err)
	}
	return n, nil
}

// verifyTx reads every page of tx reachable from its root (walk, in this
// goroutine) and then runs bbolt's consistency check; what either finds
// is an error wrapping ErrDamaged.
func verifyTx(tx *bbolt.Tx) (Counts, error) {
	c, err := walk(tx)
	if err != nil {
		return c, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if found := consistency(tx); len(found) > 0 {
		return c, fmt.Errorf("%w: %s", ErrDamaged, strings.Join(found, "; "))
	}
	return c, nil
}
