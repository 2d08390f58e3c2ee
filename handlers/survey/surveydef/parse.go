package surveydef

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// Formats of definition files.
const (
	FormatTOML = "toml"
	FormatYAML = "yaml"
)

// FormatOf is the format of a file by its name: .toml, or .yaml and .yml.
func FormatOf(name string) (string, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".toml":
		return FormatTOML, true
	case ".yaml", ".yml":
		return FormatYAML, true
	}
	return "", false
}

// Parse reads a definition in format and validates it. A refusal is an
// *Error whose problems name the lines of data.
func Parse(format string, data []byte) (Definition, error) {
	if len(data) > MaxSize {
		return Definition{}, &Error{Problems: []Problem{{Msg: fmt.Sprintf("the file is larger than %d bytes", MaxSize)}}}
	}
	var (
		d    Definition
		at   locator
		keys []Problem // unknown keys and mistyped values: the rest still read
		err  error
	)
	switch format {
	case FormatTOML:
		d, at, keys, err = decodeTOML(data)
	case FormatYAML:
		d, at, keys, err = decodeYAML(data)
	default:
		return Definition{}, fmt.Errorf("unknown format %q (want %s or %s)", format, FormatTOML, FormatYAML)
	}
	if err != nil {
		return Definition{}, err
	}
	// Every problem at once: an unknown key does not hide the others.
	ps := keys
	var ve *Error
	if err := validate(d, at); errors.As(err, &ve) {
		ps = append(ps, ve.Problems...)
	} else if err != nil {
		return Definition{}, err
	}
	if len(ps) > 0 {
		slices.SortStableFunc(ps, func(a, b Problem) int { return a.Line - b.Line })
		return Definition{}, &Error{Problems: ps}
	}
	return d, nil
}

// decodeTOML decodes a TOML definition; keys it does not know are
// problems beside what it read.
func decodeTOML(data []byte) (Definition, locator, []Problem, error) {
	var d Definition
	at := tomlLocator(data)
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&d)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return d, at, nil, &Error{Problems: []Problem{{Line: pe.Position.Line, Msg: pe.Message}}}
		}
		return d, at, nil, &Error{Problems: []Problem{{Msg: err.Error()}}}
	}
	var ps []Problem
	for _, k := range md.Undecoded() {
		path := make([]any, len(k))
		for i, part := range k {
			path[i] = part
		}
		ps = append(ps, Problem{Line: at(path...), Msg: fmt.Sprintf("unknown key %q", k.String())})
	}
	return d, at, ps, nil
}

// tomlLocator finds lines in a TOML file by its text: toml's MetaData
// keeps no key positions. Items are the [[items]] tables in order, their
// options the [[items.options]] tables within; a key is the first line
// of its table that assigns it ("kind =", "title.ja =") or opens it
// ("[items.title]"). It falls back to the table's header.
func tomlLocator(data []byte) locator {
	lines := strings.Split(string(data), "\n")
	header := regexp.MustCompile(`^\s*\[\[?\s*([A-Za-z0-9_.\s]+?)\s*\]\]?`)
	tableOf := func(i int) (string, bool) {
		m := header.FindStringSubmatch(lines[i])
		if m == nil {
			return "", false
		}
		return strings.Join(strings.Fields(strings.ReplaceAll(m[1], " ", "")), ""), true
	}
	// next finds the n-th (0-based) header named name in [from, to).
	next := func(name string, n, from, to int) (int, bool) {
		for i := from; i < to; i++ {
			if t, ok := tableOf(i); ok && t == name && strings.Contains(lines[i], "[[") {
				if n == 0 {
					return i, true
				}
				n--
			}
		}
		return 0, false
	}
	// end is where the array element opened at start ends: the next
	// header of the same array or of a shorter path.
	end := func(start int, name string, to int) int {
		for i := start + 1; i < to; i++ {
			if t, ok := tableOf(i); ok && (t == name || !strings.HasPrefix(t, name+".")) {
				return i
			}
		}
		return to
	}
	// key finds a line within [from, to) that assigns or opens key, for
	// tables under prefix.
	key := func(prefix, k string, from, to int) (int, bool) {
		assign := regexp.MustCompile(`^\s*"?` + regexp.QuoteMeta(k) + `"?\s*[=.]`)
		for i := from; i < to; i++ {
			if t, ok := tableOf(i); ok {
				if t == strings.TrimPrefix(prefix+"."+k, ".") {
					return i, true
				}
				if i > from {
					continue
				}
			}
			if assign.MatchString(lines[i]) {
				return i, true
			}
		}
		return 0, false
	}
	return func(path ...any) int {
		from, to, prefix, line := 0, len(lines), "", 0
		for _, p := range path {
			switch p := p.(type) {
			case int:
				i, ok := next(prefix, p, from, to)
				if !ok {
					return line
				}
				from, to, line = i, end(i, prefix, to), i+1
			case string:
				i, ok := key(prefix, p, from, to)
				prefix = strings.TrimPrefix(prefix+"."+p, ".")
				if !ok {
					return line
				}
				line = i + 1
				if _, isHeader := tableOf(i); isHeader {
					from = i
				}
			}
		}
		return line
	}
}

// decodeYAML decodes a YAML definition; keys it does not know and values
// of the wrong type are problems beside what it read (yaml decodes the
// rest).
func decodeYAML(data []byte) (Definition, locator, []Problem, error) {
	var d Definition
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return d, nil, nil, yamlError(err)
	}
	at := yamlLocator(&root)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return d, at, yamlError(err).(*Error).Problems, nil
		}
		return d, at, nil, yamlError(err)
	}
	return d, at, nil, nil
}

// yamlLine reads the line yaml puts in its messages ("line 3: ...").
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns a yaml error into problems with lines.
func yamlError(err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	ps := make([]Problem, 0, len(msgs))
	for _, m := range msgs {
		p := Problem{Msg: strings.TrimPrefix(m, "yaml: ")}
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			p.Line, _ = strconv.Atoi(sub[1])
			p.Msg = sub[2]
		}
		ps = append(ps, p)
	}
	return &Error{Problems: ps}
}

// yamlLocator finds lines by walking the document's nodes: a key's line,
// an item's first line, or the nearest enclosing one's.
func yamlLocator(root *yaml.Node) locator {
	return func(path ...any) int {
		n := root
		if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
			n = n.Content[0]
		}
		line := n.Line
		for _, p := range path {
			for n.Kind == yaml.AliasNode && n.Alias != nil {
				n = n.Alias
			}
			var found *yaml.Node
			switch p := p.(type) {
			case int:
				if n.Kind == yaml.SequenceNode && p < len(n.Content) {
					found = n.Content[p]
					line = found.Line
				}
			case string:
				if n.Kind == yaml.MappingNode {
					for i := 0; i+1 < len(n.Content); i += 2 {
						if n.Content[i].Value == p {
							found = n.Content[i+1]
							line = n.Content[i].Line
							break
						}
					}
				}
			}
			if found == nil {
				return line
			}
			n = found
		}
		return line
	}
}
