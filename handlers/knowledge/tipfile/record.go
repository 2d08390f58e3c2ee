// Package tipfile reads and writes tips as files: JSON Lines from another
// system (one tip per line) and Markdown files with a small front matter,
// one per tip and a directory per topic, as "soudan export knowledge"
// writes them. It knows nothing of the store; the knowledge feature
// applies what it reads.
package tipfile

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of a tip read from a file, as the tip form has them.
const (
	MaxID    = 200
	MaxTitle = 200
	MaxBody  = 20000
	MaxTags  = 20
	MaxTag   = 50
	MaxLinks = 20
	MaxLink  = 500
	MaxTopic = 100
)

// Record is one tip as a file holds it. ID is the source system's key.
type Record struct {
	ID    string   `json:"id" yaml:"id"`
	Title string   `json:"title" yaml:"title"`
	Body  string   `json:"body" yaml:"-"`
	Topic string   `json:"topic,omitempty" yaml:"topic,omitempty"`
	Tags  []string `json:"tags,omitempty" yaml:"tags,omitempty"`
	Links []string `json:"links,omitempty" yaml:"links,omitempty"`
	Lang  string   `json:"lang,omitempty" yaml:"lang,omitempty"`
	// TranslationOf is the id of a record (or of a tip imported before)
	// that says the same in another language.
	TranslationOf string `json:"translation_of,omitempty" yaml:"translation_of,omitempty"`

	// Where is where the record was read: "FILE:LINE" or a file's path.
	Where string `json:"-" yaml:"-"`
}

// Problem is a record that could not be read: where, and why.
type Problem struct {
	Where string
	Err   string
}

func (p Problem) String() string { return p.Where + ": " + p.Err }

// Check trims r's fields and reports the first problem with them.
func (r *Record) Check() error {
	r.ID, r.Title, r.Topic, r.Lang = strings.TrimSpace(r.ID), strings.TrimSpace(r.Title), strings.TrimSpace(r.Topic), strings.TrimSpace(r.Lang)
	r.TranslationOf = strings.TrimSpace(r.TranslationOf)
	r.Body = strings.TrimSpace(r.Body)
	for _, f := range []struct {
		name, v string
		max     int
		need    bool
	}{{"id", r.ID, MaxID, true}, {"title", r.Title, MaxTitle, true}, {"body", r.Body, MaxBody, true}, {"topic", r.Topic, MaxTopic, false},
		{"translation_of", r.TranslationOf, MaxID, false}} {
		switch {
		case !utf8.ValidString(f.v):
			return fmt.Errorf("%s is not valid UTF-8", f.name)
		case f.need && f.v == "":
			return fmt.Errorf("%s is missing", f.name)
		case utf8.RuneCountInString(f.v) > f.max:
			return fmt.Errorf("%s is longer than %d characters", f.name, f.max)
		case f.name != "body" && strings.ContainsFunc(f.v, unicode.IsControl):
			return fmt.Errorf("%s has a control character", f.name)
		}
	}
	switch r.Lang {
	case "", "ja", "en":
	default:
		return fmt.Errorf("lang %q is not ja or en", r.Lang)
	}
	if r.TranslationOf == r.ID {
		return fmt.Errorf("translation_of is the record's own id")
	}
	var tags []string
	for _, g := range r.Tags {
		g = strings.TrimSpace(g)
		switch {
		case g == "":
			continue
		case !utf8.ValidString(g) || strings.ContainsFunc(g, unicode.IsControl):
			return fmt.Errorf("tag %q has a control character or bad UTF-8", g)
		case utf8.RuneCountInString(g) > MaxTag:
			return fmt.Errorf("tag %q is longer than %d characters", g, MaxTag)
		}
		tags = append(tags, g)
	}
	if len(tags) > MaxTags {
		return fmt.Errorf("%d tags, at most %d", len(tags), MaxTags)
	}
	var links []string
	for _, l := range r.Links {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !GoodLink(l) {
			return fmt.Errorf("link %q is not an http or https URL", l)
		}
		links = append(links, l)
	}
	if len(links) > MaxLinks {
		return fmt.Errorf("%d links, at most %d", len(links), MaxLinks)
	}
	r.Tags, r.Links = tags, links
	return nil
}

// GoodLink reports whether l is an http or https URL with a host, of at
// most MaxLink bytes.
func GoodLink(l string) bool {
	if len(l) > MaxLink || strings.ContainsFunc(l, unicode.IsSpace) {
		return false
	}
	p, err := url.Parse(l)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}
