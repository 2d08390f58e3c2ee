package tipfile

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// frontMatter is the fence around a Markdown file's front matter.
const frontMatter = "---"

// Limits of a Markdown tip: the front matter holds a title, a topic and
// at most 20 tags and 20 links; YAML aliases, which could make a small
// file expand, have no use in it.
const (
	maxFrontMatter = 32 << 10
	MaxFile        = 1 << 20
)

// FormatMarkdown writes r as a Markdown file: a YAML front matter with
// its id, title, topic, tags, links and lang, then the title as a heading
// and the body, so that it reads well on a wiki and ParseMarkdown reads
// it back as r.
func FormatMarkdown(r Record) []byte {
	var b bytes.Buffer
	b.WriteString(frontMatter + "\n")
	head, err := yaml.Marshal(r)
	if err != nil {
		// Strings and string lists always marshal.
		panic(fmt.Sprintf("tipfile: front matter: %v", err))
	}
	b.Write(head)
	b.WriteString(frontMatter + "\n\n")
	b.WriteString("# " + oneLine(r.Title) + "\n\n")
	b.WriteString(r.Body)
	b.WriteString("\n")
	return b.Bytes()
}

// ParseMarkdown reads a tip written by FormatMarkdown (or by hand in its
// shape): a front matter between "---" lines with at least id and title,
// then the body. A first "# " heading equal to the title is not part of
// the body.
func ParseMarkdown(where string, data []byte) (Record, error) {
	if len(data) > MaxFile {
		return Record{}, fmt.Errorf("%s: larger than %d MiB", where, MaxFile>>20)
	}
	if !utf8.Valid(data) {
		return Record{}, fmt.Errorf("%s: not UTF-8", where)
	}
	s := lineEnds.Replace(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	rest, ok := strings.CutPrefix(s, frontMatter+"\n")
	if !ok {
		return Record{}, fmt.Errorf("%s: no front matter (the file must start with a %q line)", where, frontMatter)
	}
	head, body, ok := cutFence(rest)
	if !ok {
		return Record{}, fmt.Errorf("%s: the front matter has no closing %q line", where, frontMatter)
	}
	if len(head) > maxFrontMatter {
		return Record{}, fmt.Errorf("%s: the front matter is longer than %d KiB", where, maxFrontMatter>>10)
	}
	var r Record
	dec := yaml.NewDecoder(strings.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return Record{}, fmt.Errorf("%s: front matter: %v", where, yamlError(err))
	}
	body = strings.TrimLeft(body, "\n")
	if first, after, _ := strings.Cut(body, "\n"); strings.TrimSpace(first) == "# "+oneLine(strings.TrimSpace(r.Title)) {
		body = after
	}
	r.Body = body
	if err := r.Check(); err != nil {
		return Record{}, fmt.Errorf("%s: %v", where, err)
	}
	r.Where = where
	return r, nil
}

// lineEnds turns every line end (CR LF, and a lone CR as old Mac files
// and some editors leave it) into LF, in one pass so that "\r\r\n" is two
// line ends both times a tip is read.
var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n")

// cutFence cuts s at its first line that is the front matter fence.
func cutFence(s string) (head, body string, ok bool) {
	if strings.HasPrefix(s, frontMatter+"\n") || s == frontMatter {
		return "", strings.TrimPrefix(s[len(frontMatter):], "\n"), true
	}
	i := strings.Index(s, "\n"+frontMatter+"\n")
	if i < 0 {
		if strings.HasSuffix(s, "\n"+frontMatter) {
			return s[:len(s)-len(frontMatter)-1], "", true
		}
		return "", "", false
	}
	return s[:i+1], s[i+len(frontMatter)+2:], true
}

// yamlError is a YAML error on one line, for a report.
func yamlError(err error) string {
	return strings.ReplaceAll(strings.TrimPrefix(err.Error(), "yaml: "), "\n", "; ")
}

// oneLine puts s on one line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
}

// FileName is a file or directory name made of s: the characters file
// systems and wikis refuse replaced by "_", at most max characters, never
// empty, ".", ".." or hidden.
func FileName(s string, max int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == max {
			break
		}
		switch {
		case unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>|#%`, r):
			r = '_'
		case unicode.IsSpace(r):
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	name := strings.Trim(b.String(), " .")
	if name == "" {
		return "_"
	}
	return name
}
