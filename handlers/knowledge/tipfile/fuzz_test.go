package tipfile

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

// FuzzParseJSONL checks that any input gives records that pass Check and
// problems with a place, and never panics.
func FuzzParseJSONL(f *testing.F) {
	f.Add([]byte(`{"id": "t001", "title": "VPN", "body": "更新する", "tags": ["VPN"], "lang": "ja"}` + "\n\n{\"id\": 1}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, probs := ParseJSONL("f", data)
		seen := map[string]bool{}
		for _, r := range recs {
			again := r
			if err := again.Check(); err != nil || !reflect.DeepEqual(again, r) {
				t.Fatalf("record %+v does not pass Check again: %v", r, err)
			}
			if seen[r.ID] {
				t.Fatalf("id %q twice", r.ID)
			}
			seen[r.ID] = true
		}
		for _, p := range probs {
			if p.Where == "" || p.Err == "" {
				t.Fatalf("problem without place or reason: %+v", p)
			}
		}
	})
}

// FuzzParseMarkdown checks that what ParseMarkdown accepts passes Check,
// and that FormatMarkdown of it reads back the same.
func FuzzParseMarkdown(f *testing.F) {
	f.Add([]byte("---\nid: t001\ntitle: VPN\ntags: [VPN]\n---\n\n# VPN\n\n本文"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseMarkdown("f.md", data)
		if err != nil {
			return
		}
		if !utf8.ValidString(r.Body) {
			t.Fatalf("body not UTF-8")
		}
		r.Where = ""
		back, err := ParseMarkdown("g.md", FormatMarkdown(r))
		if err != nil {
			t.Fatalf("formatted %+v does not read back: %v", r, err)
		}
		back.Where = ""
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("round trip: %+v, got %+v", r, back)
		}
	})
}
