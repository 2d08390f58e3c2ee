package knowledge

import (
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
)

// TestReadTip: the tip form's reader, alone: a good form makes the tip
// with its fields cleaned; a bad one names every field that is wrong at
// once and nothing else.
func TestReadTip(t *testing.T) {
	e := newEnv(t)
	f := New(e.Kit)
	u := store.User{Locale: "ja"}
	known := func(id uint64) bool { return id == 3 }
	tip, errs := f.readTip(u, tipInput{title: "  VPN の\n再接続 ", body: "クライアントを更新します。", topic: "3", tags: "VPN、 在宅 ", links: "https://example.jp/vpn"}, known)
	if len(errs) != 0 {
		t.Fatalf("a good form: errors %v", errs)
	}
	if tip.Title != "VPN の 再接続" || tip.TopicID != 3 || !slices.Equal(tip.Tags, []string{"VPN", "在宅"}) || !slices.Equal(tip.Links, []string{"https://example.jp/vpn"}) {
		t.Errorf("tip = %+v", tip)
	}
	_, errs = f.readTip(u, tipInput{title: " ", body: "", topic: "9", tags: strings.Repeat("長", 100), links: "javascript:alert(1)"}, known)
	for _, field := range []string{"title", "body", "topic", "tags", "links"} {
		if errs[field] == "" {
			t.Errorf("no error for %s: %v", field, errs)
		}
	}
	if len(errs) != 5 {
		t.Errorf("errors %v, want exactly the five fields", errs)
	}
}
