package knowledge

import (
	"context"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
)

// langTips adds the same tip in English and in Japanese, both found by
// "2026" and "VPN", among a few others.
func langTips(t *testing.T, st *store.Store) (en, ja store.Tip) {
	t.Helper()
	err := st.Update(func(tx *store.Tx) (err error) {
		for _, title := range []string{"Printer queue", "年末調整の書類", "会議室の予約", "Sick leave"} {
			if _, err := tx.CreateTip(store.Tip{Title: title, Body: title, Author: 1}); err != nil {
				return err
			}
		}
		if en, err = tx.CreateTip(store.Tip{Title: "VPN client 2026", Body: "Update the VPN client software on your laptop, restart it and reconnect to the office network.", Lang: "en", Author: 1}); err != nil {
			return err
		}
		ja, err = tx.CreateTip(store.Tip{Title: "VPNクライアント 2026", Body: "VPNクライアントを更新。", Lang: "ja", Author: 1})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return en, ja
}

// first reports whether a's title comes before b's in s.
func first(s, a, b string) bool {
	i, j := strings.Index(s, a), strings.Index(s, b)
	return i >= 0 && j >= 0 && i < j
}

// A search answers in the asker's language first: the words' script,
// else the user's locale.
func TestSearchInTheAskersLanguage(t *testing.T) {
	e := newEnv(t)
	en, ja := langTips(t, e.St)
	for _, tc := range []struct {
		english bool // the user's locale is en
		words   string
		want    store.Tip
	}{
		{false, "2026", ja},
		{true, "2026", en},
		{false, "VPN client", en},
		{true, "VPN クライアント", ja},
	} {
		turn := e.Cmd("田中", "/soudan tip search "+tc.words)
		if tc.english {
			turn = e.CmdEN("Alice", "/soudan tip search "+tc.words)
		}
		other := en
		if tc.want.ID == en.ID {
			other = ja
		}
		if got := reply(t, turn); !first(got, tc.want.Title, other.Title) {
			t.Errorf("search %q (english locale: %v) = %q, want %q first", tc.words, tc.english, got, tc.want.Title)
		}
	}
}

// The tips offered on a new question are in the question's language
// first: its script (the whole question's, not only its content words),
// else the asker's locale.
func TestRelatedTipsInTheAskersLanguage(t *testing.T) {
	e := newEnv(t)
	en, ja := langTips(t, e.St)
	a := New(e.Kit)
	for _, tc := range []struct {
		text, locale string
		want         store.Tip
	}{
		{"VPN 2026 がつながらない", "en", ja}, // Japanese, though its content words are Latin
		{"VPN 2026 does not connect", "ja", en},
		{"2026", "ja", ja},
		{"2026", "en", en},
	} {
		tips, err := a.RelatedTips(context.Background(), tc.text, tc.locale, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(tips) != 2 || tips[0].ID != tc.want.ID {
			t.Errorf("RelatedTips(%q, %s) = %+v, want both, %q first", tc.text, tc.locale, tips, tc.want.Title)
		}
	}
}
