// Package surveydef is what a survey asks: the built-in monthly
// engagement survey and the definitions admins import from TOML or YAML
// files, with validation that names the file's line. It knows nothing of
// the store or the chat platforms.
package surveydef

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/soudan/soudan/store/text"
)

// Kinds of items.
const (
	KindScale0to10 = "scale0to10" // 0-10 (e.g. eNPS)
	KindScale1to5  = "scale1to5"  // 1-5 agreement
	KindChoice     = "choice"     // one of Options
	KindText       = "text"       // free text
)

// Kinds are the item kinds a definition may use.
var Kinds = []string{KindScale0to10, KindScale1to5, KindChoice, KindText}

// Languages are the languages every title needs.
var Languages = []string{"ja", "en"}

// Limits of a definition.
const (
	MaxItems   = 50
	MaxOptions = 20
	MaxTitle   = 300 // characters of a title or intro
	// MaxShort is the characters of an item's short title: a column head
	// or a chart legend, where a sentence-long title does not fit.
	MaxShort = 24
	MaxID    = 50
	MaxSize  = 256 << 10 // bytes of a definition file
)

// Text is a text in each language, keyed by language ("ja", "en").
type Text map[string]string

// In returns the text in lang, or in Japanese when there is none.
func (t Text) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	return t["ja"]
}

// Definition is a survey: an id, a title, an optional intro and its items.
type Definition struct {
	ID    string `toml:"id" yaml:"id"`
	Title Text   `toml:"title" yaml:"title"`
	Intro Text   `toml:"intro" yaml:"intro"`
	// Mode ("anonymous" or "confidential") and MinGroup (the minimum
	// group size k) are the defaults of the survey's rounds; empty and 0
	// mean anonymous and 5. survey send can override them.
	Mode     string `toml:"mode" yaml:"mode"`
	MinGroup int    `toml:"min_group" yaml:"min_group"`
	Items    []Item `toml:"items" yaml:"items"`
}

// Modes a definition may name, and the range of its minimum group size.
var Modes = []string{"anonymous", "confidential"}

// Bounds of MinGroup.
const (
	MinMinGroup = 3
	MaxMinGroup = 50
)

// Item is one question.
type Item struct {
	ID    string `toml:"id" yaml:"id"`
	Kind  string `toml:"kind" yaml:"kind"`
	Title Text   `toml:"title" yaml:"title"`
	// Short is an optional short title ("成長", "Growth") the report
	// pages head columns and legends with; without it they use Title.
	Short    Text     `toml:"short" yaml:"short"`
	Options  []Option `toml:"options" yaml:"options"`
	Optional bool     `toml:"optional" yaml:"optional"`
}

// Option is one choice of a choice item.
type Option struct {
	ID    string `toml:"id" yaml:"id"`
	Title Text   `toml:"title" yaml:"title"`
}

// Problem is one thing wrong with a definition, at a line of its file
// (0: unknown).
type Problem struct {
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return p.Msg
}

// Error is every problem found in a definition.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// locator returns the line of the value at path (keys and item indexes),
// or of its nearest enclosing value; 0 when it cannot tell.
type locator func(path ...any) int

// idPattern is what ids look like: ASCII letters, digits, "-" and "_",
// starting with a letter or digit.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// Validate checks d without a file: its problems carry no lines.
func Validate(d Definition) error { return validate(d, func(...any) int { return 0 }) }

// validate checks d, placing each problem with at.
func validate(d Definition, at locator) error {
	var ps []Problem
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	checkID := func(id, what string, path ...any) {
		switch {
		case id == "":
			add(at(path...), "%s: id is required", what)
		case len(id) > MaxID || !idPattern.MatchString(id):
			add(at(path...), "%s: id %q must be letters, digits, - and _ (at most %d)", what, id, MaxID)
		}
	}
	checkText := func(t Text, optional bool, limit int, what string, path ...any) {
		if optional && len(t) == 0 {
			return
		}
		for _, lang := range Languages {
			if s, ok := t[lang]; !ok || text.Normalize(s) == "" {
				add(at(append(path, lang)...), "%s: the %s text is required", what, lang)
			} else if utf8.RuneCountInString(s) > limit {
				add(at(append(path, lang)...), "%s: the %s text is longer than %d characters", what, lang, limit)
			}
		}
		for _, lang := range slices.Sorted(maps.Keys(t)) {
			if !slices.Contains(Languages, lang) {
				add(at(append(path, lang)...), "%s: unknown language %q (want %s)", what, lang, strings.Join(Languages, ", "))
			}
		}
	}
	checkID(d.ID, "survey", "id")
	checkText(d.Title, false, MaxTitle, "title", "title")
	checkText(d.Intro, true, MaxTitle, "intro", "intro")
	if d.Mode != "" && !slices.Contains(Modes, d.Mode) {
		add(at("mode"), "unknown mode %q (want %s)", d.Mode, strings.Join(Modes, " or "))
	}
	if d.MinGroup != 0 && (d.MinGroup < MinMinGroup || d.MinGroup > MaxMinGroup) {
		add(at("min_group"), "min_group %d: want %d to %d (Japan's stress check uses 10)", d.MinGroup, MinMinGroup, MaxMinGroup)
	}
	switch {
	case len(d.Items) == 0:
		add(at("items"), "a survey needs at least one item")
	case len(d.Items) > MaxItems:
		add(at("items"), "a survey has at most %d items, this one %d", MaxItems, len(d.Items))
	}
	seen := map[string]int{}
	for i, it := range d.Items {
		what := fmt.Sprintf("item %d", i+1)
		if it.ID != "" {
			what = fmt.Sprintf("item %d (%s)", i+1, it.ID)
		}
		checkID(it.ID, what, "items", i, "id")
		if first, dup := seen[strings.ToLower(it.ID)]; dup && it.ID != "" {
			add(at("items", i, "id"), "%s: id %q is used by item %d too", what, it.ID, first)
		} else if it.ID != "" {
			seen[strings.ToLower(it.ID)] = i + 1
		}
		checkText(it.Title, false, MaxTitle, what+" title", "items", i, "title")
		checkText(it.Short, true, MaxShort, what+" short title", "items", i, "short")
		if !slices.Contains(Kinds, it.Kind) {
			add(at("items", i, "kind"), "%s: unknown kind %q (want %s)", what, it.Kind, strings.Join(Kinds, ", "))
			continue
		}
		if it.Kind != KindChoice {
			if len(it.Options) > 0 {
				add(at("items", i, "options"), "%s: only choice items have options", what)
			}
			continue
		}
		if len(it.Options) < 2 || len(it.Options) > MaxOptions {
			add(at("items", i, "options"), "%s: a choice item needs 2 to %d options, this one %d", what, MaxOptions, len(it.Options))
		}
		optSeen := map[string]bool{}
		for j, o := range it.Options {
			ow := fmt.Sprintf("%s option %d", what, j+1)
			checkID(o.ID, ow, "items", i, "options", j, "id")
			if optSeen[strings.ToLower(o.ID)] && o.ID != "" {
				add(at("items", i, "options", j, "id"), "%s: id %q is used twice", ow, o.ID)
			}
			optSeen[strings.ToLower(o.ID)] = true
			checkText(o.Title, false, MaxTitle, ow+" title", "items", i, "options", j, "title")
		}
	}
	if len(ps) > 0 {
		return &Error{Problems: ps}
	}
	return nil
}
