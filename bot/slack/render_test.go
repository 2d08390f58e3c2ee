package slack

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// blocksJSON renders r and returns the blocks as JSON.
func blocksJSON(t *testing.T, r bot.Reply, formKey string) string {
	t.Helper()
	b, err := json.Marshal(blocks(r, formKey))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBlocks(t *testing.T) {
	r := bot.Reply{
		Title:  "相談 #12 · キャリア",
		Text:   "<@U1> さんの質問: a<b & c",
		Fields: []bot.Field{{Label: "相談者", Value: "田中さん"}},
		Buttons: []bot.Button{
			{ID: "consult.take", Label: "引き受ける", Value: "12"},
			{ID: "consult.answer", Label: "回答する", Value: "12", Style: bot.StylePrimary},
			{ID: "consult.take", Label: "引き受ける", Value: "13"},
			{Label: "開く", URL: "https://example.com/x", Style: bot.StyleDanger},
		},
	}
	got := blocks(r, "")
	types := []string{}
	for _, b := range got {
		types = append(types, string(b.BlockType()))
	}
	if want := "header section section actions actions"; strings.Join(types, " ") != want {
		t.Errorf("block types = %v, want %s (a repeated action id starts a new actions block)", types, want)
	}
	js := blocksJSON(t, r, "")
	for _, want := range []string{
		`"text":"相談 #12 · キャリア"`,
		`\u003c@U1\u003e さんの質問: a\u0026lt;b \u0026amp; c`,
		`*相談者*\n田中さん`,
		`"action_id":"consult.answer","value":"12","style":"primary"`,
		`"url":"https://example.com/x"`,
		`"action_id":"soudan.url.3"`,
		`"style":"danger"`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("blocks lack %s:\n%s", want, js)
		}
	}
}

func TestBlocksLimits(t *testing.T) {
	long := strings.Repeat("あ", 2000) + "\n" + strings.Repeat("い", 2000) + strings.Repeat("&", 3000)
	var buttons []bot.Button
	for range 30 {
		buttons = append(buttons, bot.Button{ID: "b" + strings.Repeat("x", 300), Label: strings.Repeat("長", 100), Value: strings.Repeat("v", 3000)})
	}
	var fields []bot.Field
	for range 12 {
		fields = append(fields, bot.Field{Label: "L", Value: strings.Repeat("値", 1500)})
	}
	r := bot.Reply{Title: strings.Repeat("題", 200), Text: long, Fields: fields, Buttons: buttons}
	for _, b := range blocks(r, "") {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if n := utf8.RuneCountInString(b.Text.Text); n > maxHeader {
				t.Errorf("header of %d characters, want at most %d", n, maxHeader)
			}
		case *slack.SectionBlock:
			if b.Text != nil && len(b.Text.Text) > maxSectionText {
				t.Errorf("section text of %d bytes, want at most %d", len(b.Text.Text), maxSectionText)
			}
			if b.Text != nil && (strings.HasSuffix(b.Text.Text, "&") || strings.HasSuffix(b.Text.Text, "&am")) {
				t.Errorf("section cut inside an escape: …%s", b.Text.Text[len(b.Text.Text)-10:])
			}
			if len(b.Fields) > maxFields {
				t.Errorf("%d fields in a section, want at most %d", len(b.Fields), maxFields)
			}
			for _, f := range b.Fields {
				if n := utf8.RuneCountInString(f.Text); n > 2000 {
					t.Errorf("field of %d characters, want at most 2000", n)
				}
			}
		case *slack.ActionBlock:
			if n := len(b.Elements.ElementSet); n > maxActions {
				t.Errorf("%d elements in an actions block, want at most %d", n, maxActions)
			}
			for _, e := range b.Elements.ElementSet {
				btn := e.(*slack.ButtonBlockElement)
				if len(btn.ActionID) > maxActionID || len(btn.Value) > maxButtonValue || utf8.RuneCountInString(btn.Text.Text) > maxButtonText {
					t.Errorf("button over the limits: id %d, value %d, label %d", len(btn.ActionID), len(btn.Value), utf8.RuneCountInString(btn.Text.Text))
				}
			}
		}
	}
}

// TestBlocksForm: a form posted as a message is its intro, its errors, and
// a button that opens it.
func TestBlocksForm(t *testing.T) {
	f := bot.Form{ID: "consult.answer", Title: "回答 #3", Intro: "質問の抜粋", Inputs: []bot.Input{{Name: "answer", Label: "回答"}}, Errors: map[string]string{"answer": "入力してください"}}
	js := blocksJSON(t, bot.Reply{Form: &f}, "k123")
	for _, want := range []string{"質問の抜粋", "⚠️ 回答: 入力してください", `"action_id":"soudan.form.open","value":"k123"`, "📝 回答 #3"} {
		if !strings.Contains(js, want) {
			t.Errorf("form message lacks %s:\n%s", want, js)
		}
	}
	if got := fallback(bot.Reply{Form: &f}); got != "回答 #3" {
		t.Errorf("fallback of a form = %q, want its title", got)
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want []string
	}{
		{"", 10, nil},
		{"abc", 10, []string{"abc"}},
		{"line1\nline2\nline3", 12, []string{"line1\nline2", "line3"}},
		{"あいうえお", 7, []string{"あい", "うえ", "お"}},
		{"ab&amp;cd", 5, []string{"ab", "&amp;", "cd"}},
	}
	for _, tt := range tests {
		got := split(tt.in, tt.n)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("split(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
