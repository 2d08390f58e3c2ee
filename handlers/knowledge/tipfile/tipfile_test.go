package tipfile

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseJSONLReportsBadLinesAndKeepsTheRest(t *testing.T) {
	data := strings.Join([]string{
		`{"id": "t001", "title": "VPN に接続できない", "body": "クライアントを更新する。", "topic": "IT・Teams", "tags": ["VPN", "在宅勤務"], "lang": "ja"}`,
		``,
		`{"id": "t002", "title": "", "body": "x"}`,
		`{"id": "t003", "title": "Manuals", "body": "See the links.", "links": ["https://intra.example.jp/m"], "lang": "en"}`,
		`{"id": "t004", "title": "t", "body": "x", "colour": "red"}`,
		`not json`,
		`{"id": "t001", "title": "again", "body": "x"}`,
		`{"id": "t005", "title": "t", "body": "x", "links": ["javascript:alert(1)"]}`,
		`{"id": "t006", "title": "t", "body": "x", "lang": "fr"}`,
		`{"id": "t007", "title": "t", "body": "x"} {"id": "t008"}`,
	}, "\n")
	recs, probs := ParseJSONL("tips.jsonl", []byte(data))
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.ID+"@"+r.Where)
	}
	if want := []string{"t001@tips.jsonl:1", "t003@tips.jsonl:4"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("records = %v, want %v", ids, want)
	}
	var where []string
	for _, p := range probs {
		where = append(where, p.Where)
	}
	if want := []string{"tips.jsonl:3", "tips.jsonl:5", "tips.jsonl:6", "tips.jsonl:7", "tips.jsonl:8", "tips.jsonl:9", "tips.jsonl:10"}; !reflect.DeepEqual(where, want) {
		t.Errorf("problems at %v, want %v: %v", where, want, probs)
	}
	if !strings.Contains(probs[1].Err, "colour") || !strings.Contains(probs[3].Err, "line 1") {
		t.Errorf("problems = %v, want the unknown key and the earlier line named", probs)
	}
	if got := recs[0]; got.Topic != "IT・Teams" || !reflect.DeepEqual(got.Tags, []string{"VPN", "在宅勤務"}) || got.Lang != "ja" {
		t.Errorf("t001 = %+v", got)
	}
}

func TestMarkdownRoundTrip(t *testing.T) {
	for _, r := range []Record{
		{ID: "t001", Title: "VPN に接続できない", Body: "1. クライアントを更新する。\n2. 再接続する。\n\n---\n\n# 見出し", Topic: "IT・Teams", Tags: []string{"VPN", "在宅: 勤務"}, Links: []string{"https://intra.example.jp/vpn?a=1#x"}, Lang: "ja"},
		{ID: "soudan-12", Title: "---", Body: "x", Lang: "en", TranslationOf: "t001"},
		{ID: "'quoted' \"id\"", Title: "# not a heading: yes", Body: "# not a heading: yes\nbody"},
	} {
		md := FormatMarkdown(r)
		got, err := ParseMarkdown("f.md", md)
		if err != nil {
			t.Fatalf("ParseMarkdown(%s): %v", md, err)
		}
		got.Where = ""
		if !reflect.DeepEqual(got, r) {
			t.Errorf("round trip of %+v:\n%s\ngot %+v", r, md, got)
		}
	}
}

func TestParseMarkdownRefuses(t *testing.T) {
	for _, tc := range []struct{ md, want string }{
		{"# no front matter\n", "no front matter"},
		{"---\nid: a\ntitle: b\n", "no closing"},
		{"---\nid: a\ntitle: b\nauthor: c\n---\nbody", "author"},
		{"---\ntitle: b\n---\nbody", "id is missing"},
		{"---\nid: a\ntitle: b\n---\n", "body is missing"},
		{"---\nid: [a\n---\nbody", "front matter"},
	} {
		if _, err := ParseMarkdown("f.md", []byte(tc.md)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseMarkdown(%q) err = %v, want %q", tc.md, err, tc.want)
		}
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"IT・Teams": "IT・Teams", "a/b\\c:d": "a_b_c_d", "..": "_", "": "_", " .hidden": "hidden", "長い名前です": "長い名"} {
		max := 40
		if in == "長い名前です" {
			max = 3
		}
		if got := FileName(in, max); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestParseJSONLSaysWhatIsWrongInItsOwnWords: the decoder's messages
// ("invalid character 'o' in literal null") never reach the user.
func TestParseJSONLSaysWhatIsWrongInItsOwnWords(t *testing.T) {
	lines := []struct{ line, want string }{
		{`nul`, "not JSON: a line is one tip object such as"},
		{`{"id": "7", "title": "t"`, "not JSON: a line is one tip object such as"},
		{`[1,2]`, "not an object: a line is one tip object {...}, not an array"},
		{`"x"`, "not an object: a line is one tip object {...}, not a string"},
		{`3`, "not an object: a line is one tip object {...}, not a number"},
		{`{"id": "4", "title": 3, "body": "b"}`, "title must be a string, not a number"},
		{`{"id": "5", "title": "t", "body": "b", "tags": "VPN"}`, "tags must be a list of strings, not a string"},
		{`{"id": "6", "title": "t", "body": "b", "colour": 1}`, `unknown key "colour" (the keys are id, title, body, topic, tags, lang, links)`},
	}
	var data []string
	for _, l := range lines {
		data = append(data, l.line)
	}
	_, probs := ParseJSONL("x.jsonl", []byte(strings.Join(data, "\n")))
	if len(probs) != len(lines) {
		t.Fatalf("problems = %v, want one per line", probs)
	}
	for i, l := range lines {
		if !strings.Contains(probs[i].Err, l.want) || strings.Contains(probs[i].Err, "invalid character") || strings.Contains(probs[i].Err, "json:") {
			t.Errorf("%s: got %q, want %q", l.line, probs[i].Err, l.want)
		}
	}
}
