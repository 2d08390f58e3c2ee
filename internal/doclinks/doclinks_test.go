// Package doclinks checks the project's own documentation: every relative
// link in README.md, CHANGELOG.md and docs/ points to a file that exists,
// and every #fragment to a heading of the file it names.
package doclinks

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's root, from this package's directory.
const root = "../.."

// linkRE matches a Markdown link or image: [text](target) or
// [text](target "title"); the target is group 1.
var linkRE = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)

// docs lists the Markdown files the test reads, relative to root.
func docs(t *testing.T) []string {
	t.Helper()
	files := []string{"README.md", "CHANGELOG.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 5 {
		t.Fatalf("found %d Markdown files (%v); is the repository root right?", len(files), files)
	}
	return files
}

// link is a link found in a Markdown file.
type link struct {
	line   int
	target string
}

// links returns the links of a Markdown file outside fenced code blocks
// and inline code spans.
func links(t *testing.T, path string) []link {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []link
	fenced := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		for _, m := range linkRE.FindAllStringSubmatch(withoutCode(line), -1) {
			out = append(out, link{line: n, target: m[1]})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutCode blanks the inline code spans of a line.
func withoutCode(line string) string {
	parts := strings.Split(line, "`")
	for i := 1; i < len(parts); i += 2 {
		parts[i] = ""
	}
	return strings.Join(parts, "`")
}

// anchors returns the fragment ids GitHub gives the headings of a
// Markdown file.
func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	seen := map[string]int{}
	fenced := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced || !strings.HasPrefix(line, "#") {
			continue
		}
		id := slug(strings.TrimLeft(line, "#"))
		if k := seen[id]; k > 0 {
			ids[id+"-"+strconv.Itoa(k)] = true
		} else {
			ids[id] = true
		}
		seen[id]++
	}
	return ids
}

// slug is GitHub's id of a heading: lower case, inline code marks and
// punctuation dropped, spaces as hyphens.
func slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestDocLinks fails for each relative link of the documentation that
// points to no file, or to a heading its file does not have.
func TestDocLinks(t *testing.T) {
	checked := 0
	for _, doc := range docs(t) {
		for _, l := range links(t, filepath.Join(root, doc)) {
			if strings.Contains(l.target, "://") || strings.HasPrefix(l.target, "mailto:") {
				continue
			}
			target, fragment, _ := strings.Cut(l.target, "#")
			file := filepath.Join(root, doc)
			if target != "" {
				file = filepath.Join(root, filepath.Dir(doc), filepath.FromSlash(target))
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s:%d: link to %s: no such file", doc, l.line, l.target)
					continue
				}
			}
			checked++
			if fragment == "" || !strings.HasSuffix(file, ".md") {
				continue
			}
			if !anchors(t, file)[fragment] {
				t.Errorf("%s:%d: link to %s: %s has no heading #%s", doc, l.line, l.target, filepath.Base(file), fragment)
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked %d relative links; the documentation has more, so the link pattern is wrong", checked)
	}
}

// TestSlug pins GitHub's heading ids for the forms the docs use.
func TestSlug(t *testing.T) {
	for heading, want := range map[string]string{
		" Backups while soudan serves":             "backups-while-soudan-serves",
		" Dependencies, and why":                   "dependencies-and-why",
		" Tip import: `soudan import tips FILE`":   "tip-import-soudan-import-tips-file",
		" Report pages and the report-link secret": "report-pages-and-the-report-link-secret",
		" The 📚 reaction":                          "the--reaction",
	} {
		if got := slug(heading); got != want {
			t.Errorf("slug(%q) = %q, want %q", heading, got, want)
		}
	}
}
