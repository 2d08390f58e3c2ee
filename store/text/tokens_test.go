package text

import (
	"reflect"
	"testing"
)

func texts(toks []Token) []string {
	out := []string{}
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"IT support for my laptop", []string{"it", "support", "for", "my", "laptop"}},
		{"Is it normal?", []string{"is", "it", "normal"}},
		{"e-mail, C++ and C# on node.js; don't", []string{"e-mail", "c++", "and", "c#", "on", "node.js", "don't"}},
		{"a+b win11 3.14 -x- end.", []string{"a", "b", "win11", "3.14", "x", "end"}},
		{"Teamsで画面共有できない", []string{"teams", "画面", "面共", "共有", "でき", "きな", "ない"}},
		{"キャリアパスに悩んでいます", []string{"キャ", "ャリ", "リア", "アパ", "パス", "悩", "んで", "でい", "いま", "ます"}},
		{"ITの相談", []string{"it", "相談"}},
		{"社内ITについて", []string{"社内", "it"}},
		{"ＩＴ・Ｔｅａｍｓ", []string{"it", "teams"}},
		{"東京都", []string{"東京", "京都"}},
		{"三ヶ月", []string{"三ヶ", "ヶ月"}},
		{"コーヒー", []string{"コー", "ーヒ", "ヒー"}},
		{"です。", []string{}},
		{"", []string{}},
		{"\u200b・、。!", []string{}},
	}
	for _, tt := range tests {
		if got := texts(Tokens(tt.in)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokens(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokensPositions(t *testing.T) {
	in := "ＩＴの相談 about Teams"
	n := Normalize(in)
	toks := Tokens(in)
	want := []Token{
		{Text: "it", Script: Latin, Start: 0, End: 2, Pos: 0, Stop: true},
		{Text: "相談", Script: Kanji, Start: 5, End: 11, Pos: 1},
		{Text: "about", Script: Latin, Start: 12, End: 17, Pos: 2, Stop: true},
		{Text: "teams", Script: Latin, Start: 18, End: 23, Pos: 3},
	}
	if !reflect.DeepEqual(toks, want) {
		t.Fatalf("Tokens(%q): got %+v, want %+v", in, toks, want)
	}
	for _, tok := range toks {
		if got := n[tok.Start:tok.End]; got != tok.Text {
			t.Errorf("Normalize(%q)[%d:%d]: got %q, want %q", in, tok.Start, tok.End, got, tok.Text)
		}
	}
}

func TestTokensScripts(t *testing.T) {
	toks := Tokens("ガイドを読む")
	var got []Script
	for _, tok := range toks {
		got = append(got, tok.Script)
	}
	want := []Script{Katakana, Katakana, Kanji}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tokens(ガイドを読む) scripts: got %v, want %v (%q)", got, want, texts(toks))
	}
}
