package tipfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// maxLine is the longest JSON Lines line read (a tip of MaxBody
// characters, escaped, fits).
const maxLine = 1 << 20

// ParseJSONL reads JSON Lines, one tip object per line:
//
//	{"id": "t001", "title": "...", "body": "...", "topic": "...", "tags": ["..."], "lang": "ja", "links": ["https://..."]}
//
// Blank lines are skipped. A line that is not such an object (an unknown
// key, a missing id, title or body, a bad link, an id already used on an
// earlier line) is a Problem naming name:line, and none of it is in the
// records returned; the other lines are.
func ParseJSONL(name string, data []byte) ([]Record, []Problem) {
	var recs []Record
	var probs []Problem
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		where := name + ":" + strconv.Itoa(line)
		raw := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")) // a byte order mark
		}
		if len(raw) == 0 {
			continue
		}
		r, err := parseLine(raw)
		if err == nil {
			if first, dup := seen[r.ID]; dup {
				err = fmt.Errorf("id %q is already on line %d", r.ID, first)
			}
		}
		if err != nil {
			probs = append(probs, Problem{Where: where, Err: err.Error()})
			continue
		}
		seen[r.ID] = line
		r.Where = where
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		probs = append(probs, Problem{Where: name + ":" + strconv.Itoa(line+1), Err: fmt.Sprintf("cannot read on: %v (a line is at most %d bytes)", err, maxLine)})
	}
	return recs, probs
}

// parseLine decodes and checks one line.
func parseLine(raw []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, fmt.Errorf("not a tip object: %v", err)
	}
	if dec.More() {
		return Record{}, fmt.Errorf("more than one JSON value on the line")
	}
	if err := r.Check(); err != nil {
		return Record{}, err
	}
	return r, nil
}
