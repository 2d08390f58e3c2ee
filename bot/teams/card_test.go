package teams

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

// cardJSON renders r with fixed names and returns the card as JSON.
func cardJSON(t *testing.T, r bot.Reply) (card, string) {
	t.Helper()
	names := map[string]string{"29:sato": "佐藤"}
	c := renderer{nameOf: func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return "user"
	}}.card(r)
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return c, string(b)
}

func TestCardText(t *testing.T) {
	c, js := cardJSON(t, bot.Reply{
		Title:  "相談 #12",
		Text:   "<@29:sato> さん、@channel *重要* [link](x) <at>x</at>",
		Fields: []bot.Field{{Label: "テーマ", Value: "キャリア"}, {Label: "相談者", Value: "<@29:sato>"}},
		Image:  "https://example.com/a.png",
	})
	body := c["body"].([]any)
	title := body[0].(map[string]any)
	if title["text"] != "相談 #12" || title["weight"] != "Bolder" {
		t.Errorf("title block %+v", title)
	}
	text := body[1].(map[string]any)["text"].(string)
	for _, want := range []string{"<at>佐藤</at> さん", "@\u200bchannel", "*重要*", "[link]\u200b(x)", "<\u200bat>x<\u200b/at>"} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q lacks %q", text, want)
		}
	}
	if !strings.Contains(js, `"type":"FactSet"`) || !strings.Contains(js, `"title":"テーマ","value":"キャリア"`) {
		t.Errorf("no FactSet of the fields: %s", js)
	}
	ents := c["msteams"].(map[string]any)["entities"].([]any)
	if len(ents) != 1 {
		t.Fatalf("mention entities: got %d, want 1 (deduplicated): %+v", len(ents), ents)
	}
	e := ents[0].(map[string]any)
	if e["text"] != "<at>佐藤</at>" || e["mentioned"].(map[string]any)["id"] != "29:sato" {
		t.Errorf("mention entity %+v", e)
	}
	if !strings.Contains(js, `"type":"Image"`) {
		t.Errorf("no image: %s", js)
	}
}

func TestCardButtons(t *testing.T) {
	c, _ := cardJSON(t, bot.Reply{Text: "x", Buttons: []bot.Button{
		{ID: "consult.take", Label: "引き受ける", Value: "12", Style: bot.StylePrimary},
		{ID: "consult.decline", Label: "辞退", Value: "12", Style: bot.StyleDanger},
		{Label: "開く", URL: "https://teams.microsoft.com/l/x"},
		{Label: "bad", URL: "javascript:alert(1)", ID: "b"},
	}})
	acts := c["actions"].([]any)
	if len(acts) != 4 {
		t.Fatalf("actions: got %d, want 4", len(acts))
	}
	take := acts[0].(map[string]any)
	if take["type"] != "Action.Execute" || take["verb"] != "consult.take" || take["style"] != "positive" {
		t.Errorf("take %+v", take)
	}
	if d := take["data"].(map[string]any); d[dataAction] != "consult.take" || d[dataValue] != "12" {
		t.Errorf("take data %+v", d)
	}
	if acts[1].(map[string]any)["style"] != "destructive" {
		t.Errorf("decline %+v", acts[1])
	}
	if open := acts[2].(map[string]any); open["type"] != "Action.OpenUrl" || open["url"] != "https://teams.microsoft.com/l/x" {
		t.Errorf("link %+v", open)
	}
	if bad := acts[3].(map[string]any); bad["type"] != "Action.Execute" {
		t.Errorf("a javascript: link must not become OpenUrl: %+v", bad)
	}
	// The data round-trips into the neutral action.
	b, _ := json.Marshal(take["data"])
	if s, ok := submissionOf(b); !ok || s.kind != bot.KindAction || s.action != (bot.Action{ID: "consult.take", Value: "12"}) {
		t.Errorf("button data read back as %+v (ok %v)", s, ok)
	}
}

func TestCardForm(t *testing.T) {
	f := bot.Form{
		ID: "mentor.register", Value: "v1", Title: "メンター登録", Intro: "プロフィール", Submit: "登録",
		Inputs: []bot.Input{
			{Name: "message", Label: "ひとこと", Kind: bot.InputTextarea, Required: true, MaxLen: 200, Hint: "短く"},
			{Name: "posting", Label: "勤務地", Kind: bot.InputSelect, Options: []bot.Option{{Value: "hq", Label: "本省"}, {Value: "overseas", Label: "在外"}}},
			{Name: "topics", Label: "テーマ", Kind: bot.InputMultiSelect, Options: []bot.Option{{Value: "1", Label: "キャリア"}}, Value: "1"},
			{Name: "anon", Label: "匿名", Kind: bot.InputCheckbox},
			{Name: "rating", Label: "評価", Kind: bot.InputScale, Min: 0, Max: 10},
			{Name: "kind", Label: "種類", Kind: bot.InputRadio, Options: []bot.Option{{Value: "a", Label: "A"}}},
		},
		Errors: map[string]string{"message": "入力してください"},
	}
	c, js := cardJSON(t, bot.Reply{Form: &f})
	inputs := map[string]map[string]any{}
	for _, el := range c["body"].([]any) {
		m := el.(map[string]any)
		if id, ok := m["id"].(string); ok {
			inputs[id] = m
		}
	}
	check := func(id, key string, want any) {
		t.Helper()
		if got := inputs[id][key]; got != want {
			t.Errorf("%s.%s: got %v, want %v", id, key, got, want)
		}
	}
	check("message", "type", "Input.Text")
	check("message", "isMultiline", true)
	check("message", "isRequired", true)
	check("message", "maxLength", 200)
	check("posting", "type", "Input.ChoiceSet")
	check("posting", "style", "compact")
	check("topics", "isMultiSelect", true)
	check("topics", "value", "1")
	check("anon", "type", "Input.Toggle")
	check("anon", "value", "false")
	check("anon", "valueOn", "true")
	check("kind", "style", "expanded")
	if n := len(inputs["rating"]["choices"].([]any)); n != 11 {
		t.Errorf("rating choices: got %d, want 11", n)
	}
	if !strings.Contains(js, "⚠️ 入力してください") || !strings.Contains(js, `"color":"Attention"`) {
		t.Errorf("the error is not shown: %s", js)
	}
	submit := c["actions"].([]any)[0].(map[string]any)
	if submit["title"] != "登録" || submit["type"] != "Action.Execute" {
		t.Errorf("submit %+v", submit)
	}
	if d := submit["data"].(map[string]any); d[dataForm] != "mentor.register" || d[dataValue] != "v1" {
		t.Errorf("submit data %+v", d)
	}
}

func TestSummary(t *testing.T) {
	for _, tc := range []struct {
		r    bot.Reply
		want string
	}{
		{bot.Reply{Title: "T", Text: "x"}, "T"},
		{bot.Reply{Text: "<@29:a> さん\n二行目"}, "@ さん"},
		{bot.Reply{Text: strings.Repeat("あ", 200)}, strings.Repeat("あ", 119) + "…"},
		{bot.Reply{Form: &bot.Form{Title: "フォーム"}}, "フォーム"},
	} {
		if got := summary(tc.r); got != tc.want {
			t.Errorf("summary(%+v): got %q, want %q", tc.r, got, tc.want)
		}
	}
}
