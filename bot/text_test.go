package bot

import (
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestNeutralize(t *testing.T) {
	const zw = "\u200b"
	tests := []struct{ in, want string }{
		{"@channel 見てください", "@" + zw + "channel 見てください"},
		{"@Here と @EVERYONE と @all", "@" + zw + "Here と @" + zw + "EVERYONE と @" + zw + "all"},
		{"＠here 全角", "＠" + zw + "here 全角"},
		{"@hereです", "@" + zw + "hereです"},
		{"<!everyone>", "@" + zw + "everyone"},
		{"<!here|here> と <!channel>", "@" + zw + "here と @" + zw + "channel"},
		{"<!subteam^S1> と <!subteam^S2|@mentors>", "@" + zw + "subteam^S1 と @" + zw + "subteam^S2"},
		{"@allison @channels @here_x", "@allison @channels @here_x"},
		{"<@U123> さん", "<@U123> さん"},
		{"行1\n\t行2\r\n", "行1\n\t行2\n"},
		{"ベル\a、NUL\x00、ESC\x1b[31m赤、DEL\x7f、C1\u0085", "ベル、NUL、ESC[31m赤、DEL、C1"},
		{"@\x00here と <!\x01channel>", "@" + zw + "here と @" + zw + "channel"},
		{"相談です", "相談です"},
	}
	for _, tt := range tests {
		if got := Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzNeutralize checks that Neutralize leaves no mass mention and no
// control character but newline and tab, and changes nothing on a second
// pass.
func FuzzNeutralize(f *testing.F) {
	for _, s := range []string{"@channel", "＠here です", "<!here|here>", "<!subteam^S1|@g>", "@\x00everyone", "普通の文"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Neutralize(s)
		if m := broadcast.FindString(out); m != "" {
			t.Errorf("Neutralize(%q) = %q still has %q", s, out, m)
		}
		for _, r := range out {
			if unicode.IsControl(r) && r != '\n' && r != '\t' {
				t.Errorf("Neutralize(%q) = %q keeps control character %U", s, out, r)
			}
		}
		if again := Neutralize(out); again != out {
			t.Errorf("Neutralize is not idempotent: %q -> %q -> %q", s, out, again)
		}
	})
}

func TestFields(t *testing.T) {
	got := Fields(" ask\u3000キャリア \t質問 ")
	want := []string{"ask", "キャリア", "質問"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Fields = %q, want %q", got, want)
	}
}

func TestCutWord(t *testing.T) {
	tests := []struct{ in, word, rest string }{
		{"ask  質問\n二行目", "ask", "質問\n二行目"},
		{"\u3000ヘルプ", "ヘルプ", ""},
		{"", "", ""},
		{"   ", "", ""},
	}
	for _, tt := range tests {
		if w, r := CutWord(tt.in); w != tt.word || r != tt.rest {
			t.Errorf("CutWord(%q) = %q, %q; want %q, %q", tt.in, w, r, tt.word, tt.rest)
		}
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		line, name string
		args       []string
		argText    string
	}{
		{"/soudan ask --anon career 質問です", "ask", []string{"--anon", "career", "質問です"}, "--anon career 質問です"},
		{"ask 質問", "ask", []string{"質問"}, "質問"},
		{"/Soudan\u3000ヘルプ", "ヘルプ", nil, ""},
		{"/soudan", "", nil, ""},
		{"soudan help", "soudan", []string{"help"}, "help"},
		{"/other help", "/other", []string{"help"}, "help"},
		{"/soudan tip add 一行目\n二行目", "tip", []string{"add", "一行目", "二行目"}, "add 一行目\n二行目"},
	}
	for _, tt := range tests {
		name, args, argText := ParseCommand("soudan", tt.line)
		if name != tt.name || argText != tt.argText || len(args) != len(tt.args) || len(args) > 0 && !reflect.DeepEqual(args, tt.args) {
			t.Errorf("ParseCommand(%q) = %q, %q, %q; want %q, %q, %q", tt.line, name, args, argText, tt.name, tt.args, tt.argText)
		}
	}
}

// FuzzParseCommand checks ParseCommand's promises on any line: the name
// is one word, the arguments are the words of the argument text, and the
// argument text is the end of the line.
func FuzzParseCommand(f *testing.F) {
	f.Fuzz(func(t *testing.T, line string) {
		name, args, argText := ParseCommand("soudan", line)
		if strings.IndexFunc(name, unicode.IsSpace) >= 0 {
			t.Errorf("name %q has a space", name)
		}
		if !strings.HasSuffix(line, argText) {
			t.Errorf("argText %q is not the end of %q", argText, line)
		}
		if argText != strings.TrimLeftFunc(argText, unicode.IsSpace) {
			t.Errorf("argText %q starts with a space", argText)
		}
		if got := Fields(argText); !reflect.DeepEqual(args, got) {
			t.Errorf("args %q, want Fields(argText) %q", args, got)
		}
		if name == "" && argText != "" {
			t.Errorf("no name but argText %q", argText)
		}
		if first, _ := CutWord(line); !strings.EqualFold(first, "/soudan") && name != first {
			t.Errorf("name %q, want the first word %q of a line without the prefix", name, first)
		}
		if utf8.ValidString(line) && !utf8.ValidString(name+argText) {
			t.Errorf("invalid UTF-8 out of valid %q", line)
		}
	})
}
