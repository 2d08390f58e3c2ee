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
	c := &catalog{bundle: b, loc: map[string]*i18n.Localizer{}, def: LangOf(def, "ja")}
	for _, l := range languages {
		c.loc[l] = i18n.NewLocalizer(b, l)
	}
	return c, nil
}

// LangOf maps a platform locale ("en-US", "ja_JP", "ja") to a language
// soudan speaks, or def.
func LangOf(locale, def string) string {
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
	loc, ok := c.loc[LangOf(lang, c.def)]
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

// Languages are the locales soudan speaks, Japanese first.
func Languages() []string { return append([]string(nil), languages...) }

// T localizes key in the user's language.
func (k *Kit) T(u store.User, key string, kv ...any) string {
	return k.cat.t(k.Lang(u), key, kv...)
}

// TL localizes key in a language ("ja", "en", or a platform locale).
func (k *Kit) TL(lang, key string, kv ...any) string { return k.cat.t(lang, key, kv...) }

// TM localizes key with a ready map of template data, as bot.Error
// carries.
func (k *Kit) TM(lang, key string, data map[string]any) string { return k.cat.tm(lang, key, data) }

// Lang is the language soudan speaks to u.
func (k *Kit) Lang(u store.User) string { return LangOf(u.Locale, k.cat.def) }
