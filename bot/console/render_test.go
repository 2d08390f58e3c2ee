package console_test

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

func TestRender(t *testing.T) {
	r := bot.Reply{
		Title: "<@鈴木> さんが引き受けました",
		Text:  "相談 #12\n\n<@佐藤> さん、よろしくお願いします。",
		Fields: []bot.Field{
			{Label: "トピック", Value: "キャリア"},
			{Label: "質問", Value: "一行目\n二行目"},
		},
		Image:   "https://example.com/chart.png",
		Buttons: []bot.Button{{ID: "a", Label: "解決\nした"}, {Label: "Docs", URL: "https://example.com"}},
		Form: &bot.Form{
			ID: "survey.monthly",
			Inputs: []bot.Input{
				{Name: "enps", Kind: bot.InputScale, Min: 0, Max: 10, Required: true, Label: "おすすめ度"},
				{Name: "topics", Kind: bot.InputMultiSelect, Options: []bot.Option{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}, Value: "a,b"},
				{Name: "note", Placeholder: "自由記述"},
			},
			Errors: map[string]string{"zzz": "other", "enps": "0〜10 で", "aaa": "first other"},
		},
		Anchor: "12",
	}
	got := run(t, "/soudan show\n", newReplyAll(r))
	checkOutput(t, got, lines(
		"[佐藤 → DM] /soudan show",
		"[→ DM 佐藤] m1 (#12)",
		"  ■ @鈴木 さんが引き受けました",
		"  相談 #12",
		"  ",
		"  @佐藤 さん、よろしくお願いします。",
		"  ・トピック: キャリア",
		"  ・質問: 一行目",
		"    二行目",
		"  🖼 https://example.com/chart.png",
		"  [1] 解決 した  [2] Docs <https://example.com>",
		"  📝 survey.monthly  (:submit name=value ...)",
		"    enps* (scale 0-10): おすすめ度",
		"    topics (multiselect: a=A, b=B) = a,b",
		"    note (text) — 自由記述",
		"    ! enps: 0〜10 で",
		"    ! aaa: first other",
		"    ! zzz: other",
	))
}

func TestRenderEmptyReply(t *testing.T) {
	got := run(t, "/soudan x\n", newReplyAll(bot.Reply{}))
	checkOutput(t, got, lines("[佐藤 → DM] /soudan x", "[→ DM 佐藤] m1"))
}

// TestOutputShape checks the promise scripts rely on: every line is a
// header "[...", a console message "! ...", or a block line indented by
// two spaces.
func TestOutputShape(t *testing.T) {
	d := newReplyAll(bot.Reply{Text: "a\n\nb\r\n", Fields: []bot.Field{{Label: "x", Value: "1\n2"}}, Form: &answerForm})
	out := run(t, "hi\n:in #c\n/soudan x\n:xyz\n:submit answer=\"x\ny\"\n", d)
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, "[") && !strings.HasPrefix(line, "! ") && !strings.HasPrefix(line, "  ") {
			t.Errorf("line %q is neither a header, a console message nor indented", line)
		}
	}
}
