package text

import (
	"slices"
	"strings"
	"testing"
)

func TestBuiltinSynonyms(t *testing.T) {
	d := NewSynonyms(BuiltinSynonyms())
	if d.Len() < 150 {
		t.Errorf("built-in groups = %d, want a few hundred", d.Len())
	}
	for _, tc := range []struct{ word, want string }{
		{"在宅勤務", "telework"},
		{"ｔｅｌｅｗｏｒｋ", "テレワーク"},
		{"超勤", "超過勤務"},
		{"子供", "こども"},
		{"育休", "childcare leave"},
		{"年休", "annual leave"},
		{"出向", "secondment"},
		{"赴任", "posting"},
		{"引継ぎ", "引き継ぎ"},
		{"パソコン", "laptop"},
	} {
		if got := d.Of(tc.word); !slices.Contains(got, tc.want) {
			t.Errorf("Of(%q) = %q, want it to hold %q", tc.word, got, tc.want)
		}
	}
}

func TestParseSynonyms(t *testing.T) {
	g, err := ParseSynonyms(strings.NewReader("# c\n\n在宅勤務, テレワーク ,telework\n"))
	if err != nil || len(g) != 1 || !slices.Equal(g[0], []string{"在宅勤務", "テレワーク", "telework"}) {
		t.Errorf("parse = %q, %v", g, err)
	}
	for _, bad := range []string{"テレワーク\n", "a, b\n", "x,\n", "在宅, " + strings.Repeat("長", 31) + "\n"} {
		if _, err := ParseSynonyms(strings.NewReader("# ok\n" + bad)); err == nil || !strings.HasPrefix(err.Error(), "line 2") {
			t.Errorf("parse %q: err %v, want one on line 2", bad, err)
		}
	}
}

func TestSegment(t *testing.T) {
	d := NewSynonyms([][]string{{"在宅勤務", "remote work"}, {"ネット", "network"}, {"pc", "パソコン"}, {"申請", "application"}})
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"在宅勤務申請", []string{"在宅勤務", "申請"}},
		{"remote work rules", []string{"remote work"}},
		{"remote worker", nil},
		{"インターネット", nil},
		{"ネット接続", []string{"ネット"}},
		{"pc", nil}, // a single latin word is the caller's
	} {
		n := Normalize(tc.in)
		var got []string
		for _, sp := range d.Segment(n) {
			got = append(got, n[sp.Start:sp.End])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Segment(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKanaStems(t *testing.T) {
	var got []string
	for _, st := range KanaStems("情報漏れやすい書き方、テレワーク") {
		got = append(got, st.Text)
	}
	if want := []string{"漏れ", "書き"}; !slices.Equal(got, want) {
		t.Errorf("KanaStems = %q, want %q", got, want)
	}
}

func FuzzParseSynonyms(f *testing.F) {
	f.Add("在宅勤務, テレワーク, telework\n# comment\n子供,子ども,こども")
	f.Fuzz(func(t *testing.T, s string) {
		groups, err := ParseSynonyms(strings.NewReader(s))
		if err != nil {
			return
		}
		d := NewSynonyms(groups)
		for _, g := range groups {
			for _, w := range g {
				if SynonymEntryOK(w) != nil {
					t.Fatalf("parsed entry %q that SynonymEntryOK refuses", w)
				}
			}
		}
		n := Normalize(s)
		end := 0
		for _, sp := range d.Segment(n) {
			if sp.Start < end || sp.End <= sp.Start || sp.End > len(n) || !d.Has(n[sp.Start:sp.End]) {
				t.Fatalf("Segment(%q): bad span %+v", n, sp)
			}
			end = sp.End
		}
	})
}
