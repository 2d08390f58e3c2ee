package surveydef

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestEngagementIsValid(t *testing.T) {
	d := Engagement()
	if err := Validate(d); err != nil {
		t.Fatalf("built-in survey: %v", err)
	}
	kinds := map[string]int{}
	for _, it := range d.Items {
		kinds[it.Kind]++
	}
	if kinds[KindScale0to10] != 1 || kinds[KindScale1to5] != 5 || kinds[KindText] != 1 || !d.Items[len(d.Items)-1].Optional {
		t.Errorf("built-in kinds = %v, want one 0-10, five 1-5 and an optional comment", kinds)
	}
}

func TestParseTOMLAndYAMLAgree(t *testing.T) {
	var got []Definition
	for _, f := range []string{"testdata/pulse.toml", "testdata/pulse.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		format, ok := FormatOf(f)
		if !ok {
			t.Fatalf("FormatOf(%s) unknown", f)
		}
		d, err := Parse(format, data)
		if err != nil {
			t.Fatalf("Parse(%s): %v", f, err)
		}
		got = append(got, d)
	}
	if !reflect.DeepEqual(got[0], got[1]) {
		t.Errorf("TOML and YAML differ:\n%+v\n%+v", got[0], got[1])
	}
	if d := got[0]; d.ID != "pulse" || len(d.Items) != 3 || len(d.Items[1].Options) != 2 || d.Items[1].Options[1].Title["en"] != "Home" {
		t.Errorf("parsed = %+v", d)
	}
}

// problems parses and returns the refusal's problems as "line: msg".
func problems(t *testing.T, format, src string) []Problem {
	t.Helper()
	_, err := Parse(format, []byte(src))
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse(%s) = %v, want an *Error\n%s", format, err, src)
	}
	return e.Problems
}

// wantProblem fails unless ps holds a problem at line whose message
// contains msg.
func wantProblem(t *testing.T, ps []Problem, line int, msg string) {
	t.Helper()
	for _, p := range ps {
		if p.Line == line && strings.Contains(p.Msg, msg) {
			return
		}
	}
	t.Errorf("problems = %v, want line %d: …%s…", ps, line, msg)
}

func TestParseRefusalsNameLines(t *testing.T) {
	toml := `id = "x"
title = { ja = "題", en = "Title" }

[[items]]
id = "a"
kind = "scale1to5"
title = { ja = "一", en = "One" }

[[items]]
id = "a"
kind = "stars"
title = { ja = "二" }

[[items]]
id = "c"
kind = "choice"
title = { ja = "三", en = "Three" }
`
	ps := problems(t, FormatTOML, toml)
	wantProblem(t, ps, 10, `id "a" is used by item 1 too`)
	wantProblem(t, ps, 11, `unknown kind "stars"`)
	wantProblem(t, ps, 12, "en text is required")
	wantProblem(t, ps, 14, "needs 2 to 20 options")

	yml := `id: x
title:
  ja: 題
items:
  - id: a
    kind: scale1to5
    title: {ja: 一, en: One}
  - id: a
    kind: stars
    title: {ja: 二}
  - id: c
    kind: choice
    title: {ja: 三, en: Three}
    options:
      - id: o
        title: {ja: 甲, en: A}
`
	ps = problems(t, FormatYAML, yml)
	wantProblem(t, ps, 2, "en text is required")
	wantProblem(t, ps, 8, `id "a" is used by item 1 too`)
	wantProblem(t, ps, 9, `unknown kind "stars"`)
	wantProblem(t, ps, 14, "needs 2 to 20 options")

	wantProblem(t, problems(t, FormatTOML, "id = \"x\"\ntitle = { ja = \"a\", en = \"b\" }\nitems = []\n"), 3, "at least one item")
	wantProblem(t, problems(t, FormatYAML, "id: x\ntitle: {ja: a, en: b}\n"), 1, "at least one item")
	wantProblem(t, problems(t, FormatTOML, "id = \"x\"\n\ntitle = [\n"), 3, "")
	wantProblem(t, problems(t, FormatYAML, "id: x\ntitle: {ja: a, en: b}\nitems:\n  - id: q\n    kind: text\n    colour: red\n    title: {ja: a, en: b}\n"), 6, "colour")
	wantProblem(t, problems(t, FormatTOML, "id = \"x\"\ncolour = \"red\"\ntitle = { ja = \"a\", en = \"b\" }\n[[items]]\nid = \"q\"\nkind = \"text\"\ntitle = { ja = \"a\", en = \"b\" }\n"), 2, "colour")
	wantProblem(t, problems(t, FormatYAML, "id: x\ntitle: [1, 2]\n"), 2, "")
	wantProblem(t, problems(t, FormatYAML, "id: \"bad id!\"\ntitle: {ja: \"\u200b\", en: b}\nitems: [{id: q, kind: text, title: {ja: a, en: b}}]\n"), 1, "must be letters")
	wantProblem(t, problems(t, FormatYAML, "id: ok\ntitle: {ja: \"\u200b\", en: b}\nitems: [{id: q, kind: text, title: {ja: a, en: b}}]\n"), 2, "ja text is required")
	wantProblem(t, problems(t, FormatTOML, "id = \"x\"\ntitle = { ja = \"a\", en = \"b\" }\nmode = \"secret\"\nmin_group = 2\n[[items]]\nid = \"q\"\nkind = \"text\"\ntitle = { ja = \"a\", en = \"b\" }\n"), 3, `unknown mode "secret"`)
	wantProblem(t, problems(t, FormatYAML, "id: x\ntitle: {ja: a, en: b}\nmin_group: 51\nitems: [{id: q, kind: text, title: {ja: a, en: b}}]\n"), 3, "min_group 51")
	if d, err := Parse(FormatYAML, []byte("id: care\ntitle: {ja: a, en: b}\nmode: confidential\nmin_group: 10\nitems: [{id: q, kind: scale1to5, title: {ja: a, en: b}}]\n")); err != nil || d.Mode != "confidential" || d.MinGroup != 10 {
		t.Errorf("mode and min_group: %+v, %v", d, err)
	}
}

// TestParseReportsEveryProblem: an unknown key is one problem among the
// file's others, in TOML and YAML alike.
func TestParseReportsEveryProblem(t *testing.T) {
	for _, c := range []struct{ format, data string }{
		{FormatTOML, "id = \"x\"\ncolour = \"red\"\ntitle = { ja = \"調子\" }\n[[items]]\nid = \"q\"\nkind = \"stars\"\ntitle = { ja = \"a\", en = \"b\" }\n"},
		{FormatYAML, "id: x\ncolour: red\ntitle: {ja: 調子}\nitems:\n  - id: q\n    kind: stars\n    title: {ja: a, en: b}\n"},
	} {
		_, err := Parse(c.format, []byte(c.data))
		for _, want := range []string{"line 2:", "colour", "line 3: title: the en text is required", `unknown kind "stars"`} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %v, want %q among the problems", c.format, err, want)
			}
		}
	}
}

// TestShortTitles: an item's short title is optional (definitions
// without one stay valid), read from TOML and YAML alike, and when given
// needs both languages and at most MaxShort characters, refused at its
// line.
func TestShortTitles(t *testing.T) {
	d, err := Parse(FormatTOML, []byte("id = \"x\"\ntitle = { ja = \"題\", en = \"T\" }\n[[items]]\nid = \"q\"\nkind = \"scale1to5\"\ntitle = { ja = \"今週の調子は良い\", en = \"This week went well\" }\n"))
	if err != nil || d.Items[0].Short != nil {
		t.Errorf("a definition without short titles: %+v, %v", d, err)
	}
	for _, f := range []string{"testdata/pulse.toml", "testdata/pulse.yaml"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		format, _ := FormatOf(f)
		d, err := Parse(format, data)
		if err != nil {
			t.Fatalf("Parse(%s): %v", f, err)
		}
		if got := d.Items[0].Short; got["ja"] != "調子" || got["en"] != "Mood" {
			t.Errorf("%s: mood's short title = %v, want 調子 / Mood", f, got)
		}
		if d.Items[1].Short != nil {
			t.Errorf("%s: place has no short title, got %v", f, d.Items[1].Short)
		}
	}
	head := "id = \"x\"\ntitle = { ja = \"題\", en = \"T\" }\n[[items]]\nid = \"q\"\nkind = \"scale1to5\"\ntitle = { ja = \"a\", en = \"b\" }\n"
	wantProblem(t, problems(t, FormatTOML, head+"short = { ja = \"調子\" }\n"), 7, "item 1 (q) short title: the en text is required")
	long := strings.Repeat("長", MaxShort+1)
	wantProblem(t, problems(t, FormatTOML, head+"short = { ja = \""+long+"\", en = \"Mood\" }\n"), 7, "longer than 24 characters")
	wantProblem(t, problems(t, FormatYAML, "id: x\ntitle: {ja: 題, en: T}\nitems:\n  - id: q\n    kind: scale1to5\n    title: {ja: a, en: b}\n    short: {ja: 調子, en: Mood, fr: Humeur}\n"), 7, `unknown language "fr"`)
	if _, err := Parse(FormatTOML, []byte(head+"short = { ja = \""+strings.Repeat("長", MaxShort)+"\", en = \"Mood\" }\n")); err != nil {
		t.Errorf("a short title of %d characters is refused: %v", MaxShort, err)
	}
	for _, it := range Engagement().Items {
		if it.Kind != KindText && (it.Short["ja"] == "" || it.Short["en"] == "") {
			t.Errorf("built-in item %s has no short title in both languages: %v", it.ID, it.Short)
		}
	}
}
