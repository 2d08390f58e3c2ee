package handlers

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/soudan/soudan/store"
)

//go:embed locales/*.toml
var localeFS embed.FS

// languages are the locales soudan speaks, Japanese first.
var languages = []string{"ja", "en"}

// catalog holds the message catalogs, one localizer per language.
type catalog struct {
	bundle *i18n.Bundle
	loc    map[string]*i18n.Localizer
	def    string
}

func loadCatalog(def string) (*catalog, error) {
	b := i18n.NewBundle(language.Japanese)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(localeFS, "locales/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list catalogs: %w", err)
	}
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read catalog %s: %w", f, err)
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("parse catalog %s: %w", f, err)
		}
	}
	c := &catalog{bundle: b, loc: map[string]*i18n.Localizer{}, def: langOf(def, "ja")}
	for _, l := range languages {
		c.loc[l] = i18n.NewLocalizer(b, l)
	}
	return c, nil
}

// langOf maps a platform locale ("en-US", "ja_JP", "ja") to a language
// soudan speaks, or def.
func langOf(locale, def string) string {
	l := strings.ToLower(strings.ReplaceAll(locale, "_", "-"))
	for _, s := range languages {
		if l == s || strings.HasPrefix(l, s+"-") {
			return s
		}
	}
	return def
}

// t localizes key for lang with key/value template data. A missing key is
// a defect: it returns the key itself so the gap is visible, not silent.
func (c *catalog) t(lang, key string, kv ...any) string {
	loc, ok := c.loc[langOf(lang, c.def)]
	if !ok {
		loc = c.loc[c.def]
	}
	var data map[string]any
	if len(kv) > 0 {
		data = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			k, _ := kv[i].(string)
			data[k] = kv[i+1]
		}
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil {
		return key
	}
	return s
}

// tm localizes with a ready map, as bot.Error carries.
func (c *catalog) tm(lang, key string, data map[string]any) string {
	kv := make([]any, 0, 2*len(data))
	for k, v := range data {
		kv = append(kv, k, v)
	}
	return c.t(lang, key, kv...)
}

// T localizes key in the user's language.
func (a *App) T(u store.User, key string, kv ...any) string {
	return a.cat.t(a.lang(u), key, kv...)
}

// lang is the language soudan speaks to u.
func (a *App) lang(u store.User) string { return langOf(u.Locale, a.cat.def) }
