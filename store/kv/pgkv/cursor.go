package pgkv

import (
	"errors"

	"github.com/jackc/pgx/v5"
)

// Page sizes of a cursor's reads: a walk starts with a small page (most
// walks read a few keys after a Seek) and grows it fourfold while it goes
// on in the same direction, so a long walk costs few round trips and a
// short one reads, and locks, little more than it uses. An index lookup
// of 60 ids takes two pages (16 + 64), where pages of 8 doubling took
// four (8 + 16 + 32 + 64): each page is a round trip.
const (
	firstPage  = 16
	pageGrowth = 4
	maxPage    = 1024
)

// row is one key and its value.
type row struct{ k, v []byte }

// cursor walks a bucket as range scans on the primary key, a page at a
// time: it holds one page, never the whole bucket.
type cursor struct {
	b *bucket
	// page holds the rows read last, in the direction of the walk (back
	// when it ran backwards); at is the index of the current row.
	page []row
	at   int
	back bool
	// more reports rows past the page's end in its direction.
	more bool
	// gen is the bucket's write count when page was read.
	gen  uint64
	size int
	// off is +1 when the cursor ran off the end (a Next, or a Seek past
	// the last key) and -1 when it ran off the start: a step back from
	// past the end lands on the last key, as bbolt's cursor does after
	// a Seek (the "last key before x" idiom: Seek(x), then Prev).
	off int
}

func (c *cursor) First() ([]byte, []byte) {
	return c.load(false, `SELECT key, value FROM soudan_kv WHERE bucket = $1 ORDER BY key LIMIT $2`, nil)
}

func (c *cursor) Last() ([]byte, []byte) {
	return c.load(true, `SELECT key, value FROM soudan_kv WHERE bucket = $1 ORDER BY key DESC LIMIT $2`, nil)
}

func (c *cursor) Seek(seek []byte) ([]byte, []byte) {
	if seek == nil {
		seek = []byte{} // $3 must be bound: nil seeks from the start
	}
	return c.load(false, `SELECT key, value FROM soudan_kv WHERE bucket = $1 AND key >= $3 ORDER BY key LIMIT $2`, seek)
}

func (c *cursor) Next() ([]byte, []byte) { return c.step(false) }
func (c *cursor) Prev() ([]byte, []byte) { return c.step(true) }

// step moves one row forward (or back), from the page when it holds the
// row and no write changed the bucket since it was read, else from a new
// page that starts after (or before) the current key.
func (c *cursor) step(back bool) ([]byte, []byte) {
	cur := c.current()
	if cur == nil {
		switch {
		case back && c.off > 0:
			return c.Last()
		case !back && c.off < 0:
			return c.First()
		}
		return nil, nil
	}
	if back == c.back && c.gen == c.b.gen {
		if c.at+1 < len(c.page) {
			c.at++
			return c.page[c.at].k, c.page[c.at].v
		}
		if !c.more {
			c.page, c.at = nil, 0
			c.off = 1
			if back {
				c.off = -1
			}
			return nil, nil
		}
		c.size = min(pageGrowth*c.size, maxPage)
	} else {
		c.size = firstPage
	}
	if back {
		return c.read(true, `SELECT key, value FROM soudan_kv WHERE bucket = $1 AND key < $3 ORDER BY key DESC LIMIT $2`, cur)
	}
	return c.read(false, `SELECT key, value FROM soudan_kv WHERE bucket = $1 AND key > $3 ORDER BY key LIMIT $2`, cur)
}

// current returns the key the cursor is on, nil when it is on none.
func (c *cursor) current() []byte {
	if c.at < len(c.page) {
		return c.page[c.at].k
	}
	return nil
}

// load starts a walk with a small page.
func (c *cursor) load(back bool, query string, from []byte) ([]byte, []byte) {
	c.size = firstPage
	return c.read(back, query, from)
}

// read replaces the page with the result of query ($1 the bucket, $2 the
// page size, $3 from when not nil) and lands on its first row.
func (c *cursor) read(back bool, query string, from []byte) ([]byte, []byte) {
	c.page, c.at, c.back, c.more, c.off = nil, 0, back, false, 0
	if c.b.usable() != nil {
		return nil, nil
	}
	args := []any{c.b.id, c.size + 1} // one more row tells whether there are more
	if from != nil {
		args = append(args, from)
	}
	// The page must see the transaction's buffered writes: they are sent
	// first, in the same round trip.
	c.b.t.db.count.cursorPages.Add(1)
	rows, done, err := c.b.t.query(query, args...)
	if err != nil {
		c.b.t.fail(causeRead, "read "+c.b.name, err)
		return nil, nil
	}
	page, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.k, &x.v)
		if x.v == nil {
			x.v = []byte{}
		}
		return x, err
	})
	if err := errors.Join(err, done()); err != nil {
		c.b.t.fail(causeRead, "read "+c.b.name, err)
		return nil, nil
	}
	if len(page) > c.size {
		page, c.more = page[:c.size], true
	}
	c.page, c.gen = page, c.b.gen
	if len(page) == 0 {
		c.off = 1
		if back {
			c.off = -1
		}
		return nil, nil
	}
	return page[0].k, page[0].v
}
