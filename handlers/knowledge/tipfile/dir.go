package tipfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// NoTopicDir is the directory of the tips without a topic.
const NoTopicDir = "_no_topic"

// WriteDir writes each record as a Markdown file (FormatMarkdown) in a
// directory named after its topic, "ID TITLE.md", mode 0600 (directories
// 0700). dir must not exist or be empty, so an export never mixes with
// an older one. It returns how many files it wrote.
func WriteDir(dir string, recs []Record) (int, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, err
	}
	if ents, err := os.ReadDir(dir); err != nil {
		return 0, err
	} else if len(ents) > 0 {
		return 0, fmt.Errorf("%s is not empty: export into a new directory", dir)
	}
	used := map[string]bool{}
	n := 0
	for _, r := range recs {
		sub := NoTopicDir
		if r.Topic != "" {
			sub = FileName(r.Topic, 80)
		}
		base := FileName(r.ID, 60) + " " + FileName(r.Title, 60)
		name := filepath.Join(sub, base+".md")
		for i := 2; used[strings.ToLower(name)]; i++ {
			name = filepath.Join(sub, base+"-"+strconv.Itoa(i)+".md")
		}
		used[strings.ToLower(name)] = true
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return n, err
		}
		if err := os.WriteFile(filepath.Join(dir, name), FormatMarkdown(r), 0o600); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ReadDir reads every .md file under dir (ParseMarkdown), in path order.
// A file that is not a tip, or whose id an earlier file has, is a Problem
// and none of it is in the records. An error is a directory that cannot
// be read.
func ReadDir(dir string) ([]Record, []Problem, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".md") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(paths)
	var recs []Record
	var probs []Problem
	seen := map[string]string{}
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		data, err := readLimited(p, MaxFile)
		if err == nil {
			var r Record
			if r, err = ParseMarkdown(rel, data); err == nil {
				if first, dup := seen[r.ID]; dup {
					err = fmt.Errorf("%s: id %q is already in %s", rel, r.ID, first)
				} else {
					seen[r.ID] = rel
					recs = append(recs, r)
					continue
				}
			}
		}
		msg := err.Error()
		probs = append(probs, Problem{Where: rel, Err: strings.TrimPrefix(msg, rel+": ")})
	}
	return recs, probs, nil
}

// readLimited reads the file at p, refusing one larger than limit.
func readLimited(p string, limit int64) ([]byte, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, errors.New("larger than " + strconv.FormatInt(limit>>20, 10) + " MiB")
	}
	return os.ReadFile(p)
}
