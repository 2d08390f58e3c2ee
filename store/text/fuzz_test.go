package text

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/.

func FuzzNormalize(f *testing.F) {
	f.Add("ＩＴ・Ｔｅａｍｓ\u200b の相談")
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q): got invalid UTF-8 %q", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("Normalize(%q): got %q, then %q: want idempotent", s, n, again)
		}
		if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
			t.Fatalf("Normalize(%q): got %q, want trimmed, single spaces", s, n)
		}
		if fo := Fold(s); Fold(fo) != fo || strings.Contains(fo, " ") {
			t.Fatalf("Fold(%q): got %q, then %q: want idempotent, no spaces", s, fo, Fold(fo))
		}
	})
}

func FuzzTokens(f *testing.F) {
	f.Add("Teamsで画面共有できない c++ e-mail")
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		end := 0
		for i, tok := range Tokens(s) {
			switch {
			case tok.Text == "":
				t.Fatalf("Tokens(%q)[%d]: got empty token", s, i)
			case tok.Pos != i:
				t.Fatalf("Tokens(%q)[%d]: got Pos %d, want %d", s, i, tok.Pos, i)
			case tok.Start < 0 || tok.End > len(n) || n[tok.Start:tok.End] != tok.Text:
				t.Fatalf("Tokens(%q)[%d]: got %+v, not at its offsets in %q", s, i, tok, n)
			case tok.Start < end && tok.Script == Latin:
				t.Fatalf("Tokens(%q)[%d]: got %+v overlapping the token before", s, i, tok)
			case !utf8.ValidString(tok.Text) || strings.Contains(tok.Text, " "):
				t.Fatalf("Tokens(%q)[%d]: got %q, want valid UTF-8 without spaces", s, i, tok.Text)
			case Normalize(tok.Text) != tok.Text && tok.Script == Latin:
				t.Fatalf("Tokens(%q)[%d]: got %q, want normalised", s, i, tok.Text)
			}
			end = tok.End
		}
	})
}

func FuzzMatch(f *testing.F) {
	f.Add("ITの相談です", "IT・Teams")
	f.Fuzz(func(t *testing.T, text, name string) {
		entries := append([]Entry{{ID: 99, Names: []string{name, text}}}, topics...)
		m := NewMatcher(entries)
		got := m.Match(text)
		if again := m.Match(text); !reflect.DeepEqual(got, again) {
			t.Fatalf("Match(%q): got %+v, then %+v: want deterministic", text, got, again)
		}
		seen := map[uint64]bool{}
		for _, g := range got {
			if seen[g.ID] || g.Count < 1 || g.Term == "" {
				t.Fatalf("Match(%q): got %+v, want distinct IDs with a term", text, got)
			}
			seen[g.ID] = true
		}
		_ = ContainsWord(text, name)
		_ = MatchAll(name, text, name)
		_ = SameName(text, name)
	})
}
