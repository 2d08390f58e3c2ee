package main

import (
	"bufio"
	"embed"
	"fmt"
	"strings"
)

//go:embed data/tips.tsv data/queries.tsv
var dataFS embed.FS

// tip is one tip of the labelled set.
type tip struct {
	ID, Lang, Title, Body string
	Tags                  []string
}

// query is one labelled query: its kind, its text and the ids of the tips
// that answer it (none for a query with no answer).
type query struct {
	Kind, Text string
	Relevant   map[string]bool
}

// readTSV returns the tab-separated fields of each line of the embedded
// file that is not blank or a # comment, checking the field count.
func readTSV(name string, fields int) ([][]string, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var rows [][]string
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for line := 1; sc.Scan(); line++ {
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != fields {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d", name, line, len(f), fields)
		}
		rows = append(rows, f)
	}
	return rows, sc.Err()
}

// loadSet reads the labelled set and checks that every label names a tip.
func loadSet() ([]tip, []query, error) {
	rows, err := readTSV("data/tips.tsv", 5)
	if err != nil {
		return nil, nil, err
	}
	var tips []tip
	ids := map[string]bool{}
	for _, r := range rows {
		if ids[r[0]] {
			return nil, nil, fmt.Errorf("tip %s twice", r[0])
		}
		ids[r[0]] = true
		tips = append(tips, tip{ID: r[0], Lang: r[1], Title: r[2], Body: r[3], Tags: strings.Split(r[4], ",")})
	}
	if rows, err = readTSV("data/queries.tsv", 3); err != nil {
		return nil, nil, err
	}
	var qs []query
	for _, r := range rows {
		q := query{Kind: r[0], Text: r[1], Relevant: map[string]bool{}}
		for _, id := range strings.Fields(r[2]) {
			if id == "none" {
				continue
			}
			if !ids[id] {
				return nil, nil, fmt.Errorf("query %q: no tip %s", r[1], id)
			}
			q.Relevant[id] = true
		}
		if noAnswer(q.Kind) != (len(q.Relevant) == 0) {
			return nil, nil, fmt.Errorf("query %q: kind %s with %d relevant tips", r[1], q.Kind, len(q.Relevant))
		}
		qs = append(qs, q)
	}
	return tips, qs, nil
}
