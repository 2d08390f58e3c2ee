package tipfile

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
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

// jsonKeys are the keys of a tip object, as refusals list them.
const jsonKeys = "id, title, body, topic, tags, lang, links"

// jsonProblem says what is wrong with a line the JSON decoder refused, in
// the words of the file's format rather than the decoder's ("invalid
// character 'o' in literal null").
func jsonProblem(raw []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("not JSON: a line is one tip object such as {\"id\": \"t001\", \"title\": \"...\", \"body\": \"...\"}")
	case errors.As(err, &te) && te.Field == "":
		return fmt.Errorf("not an object: a line is one tip object {...}, not %s", jsonKind(raw))
	case errors.As(err, &te):
		want := "a string"
		if te.Field == "tags" || te.Field == "links" || strings.HasPrefix(te.Field, "tags.") || strings.HasPrefix(te.Field, "links.") {
			want = "a list of strings"
		}
		return fmt.Errorf("%s must be %s, not %s", strings.SplitN(te.Field, ".", 2)[0], want, withArticle(te.Value))
	}
	if k, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown key %s (the keys are %s)", k, jsonKeys)
	}
	return fmt.Errorf("not a tip object: %v", err)
}

// withArticle names a JSON kind as the decoder calls it ("number") with
// its article.
func withArticle(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	}
	return "a " + kind
}

// jsonKind names the kind of JSON value raw starts with.
func jsonKind(raw []byte) string {
	switch raw[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	}
	return "a number"
}

// parseLine decodes and checks one line.
func parseLine(raw []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, jsonProblem(raw, err)
	}
	if dec.More() {
		return Record{}, fmt.Errorf("more than one JSON value on the line")
	}
	if err := r.Check(); err != nil {
		return Record{}, err
	}
	return r, nil
}
