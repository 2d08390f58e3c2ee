package slack

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/slack-go/slack"
	"github.com/soudan/soudan/bot"
)

// everyInput is a form with one input of each kind.
var everyInput = bot.Form{
	ID: "survey.answer", Value: "2026-11", Title: "今月のアンケート（長いタイトルは切り詰める）", Submit: "送信", Intro: "ご協力ください <@U1>",
	Inputs: []bot.Input{
		{Name: "comment", Label: "一言", Kind: bot.InputText, Value: "初期値", Placeholder: "自由に", MaxLen: 200, Required: true},
		{Name: "detail", Label: "詳しく", Kind: bot.InputTextarea, Hint: "任意です"},
		{Name: "dept", Label: "部署", Kind: bot.InputSelect, Options: []bot.Option{{Value: "", Label: "自動"}, {Value: "hr", Label: "人事"}, {Value: "it", Label: "情報"}}, Value: "hr"},
		{Name: "topics", Label: "話題", Kind: bot.InputMultiSelect, Options: []bot.Option{{Value: "1", Label: "キャリア"}, {Value: "2", Label: "育児"}, {Value: "3", Label: "海外"}}, Value: "1,3"},
		{Name: "posting", Label: "勤務地", Kind: bot.InputRadio, Options: []bot.Option{{Value: "hq", Label: "本省"}, {Value: "overseas", Label: "在外"}}, Value: "overseas"},
		{Name: "anon", Label: "匿名", Kind: bot.InputCheckbox, Value: "true", Hint: "名前を伏せる"},
		{Name: "score", Label: "満足度", Kind: bot.InputScale, Min: 0, Max: 10, Value: "8"},
		{Name: "mood", Label: "気分", Kind: bot.InputScale, Min: 1, Max: 5},
	},
}

func TestModalRendersEveryInput(t *testing.T) {
	o := origin{channel: "C1", thread: "1700000000.000100", source: "1700000000.000200", direct: false}
	v, err := modal(everyInput, o)
	if err != nil {
		t.Fatal(err)
	}
	if v.Title.Text != truncate(everyInput.Title, maxModalTitle) || len([]rune(v.Title.Text)) > maxModalTitle {
		t.Errorf("title %q: want the title cut to %d characters", v.Title.Text, maxModalTitle)
	}
	var meta formMeta
	if err := json.Unmarshal([]byte(v.PrivateMetadata), &meta); err != nil {
		t.Fatal(err)
	}
	if want := (formMeta{Form: "survey.answer", Value: "2026-11", Channel: "C1", Thread: o.thread, Source: o.source}); meta != want {
		t.Errorf("metadata = %+v, want %+v", meta, want)
	}
	elements := map[string]slack.BlockElement{}
	optional := map[string]bool{}
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			elements[in.BlockID], optional[in.BlockID] = in.Element, in.Optional
		}
	}
	if len(elements) != len(everyInput.Inputs) {
		t.Fatalf("%d input blocks, want %d", len(elements), len(everyInput.Inputs))
	}
	if el := elements["comment"].(*slack.PlainTextInputBlockElement); el.InitialValue != "初期値" || el.MaxLength != 200 || el.Multiline || optional["comment"] {
		t.Errorf("comment: %+v optional %t; want a required one-line input of at most 200 with its value", el, optional["comment"])
	}
	if el := elements["detail"].(*slack.PlainTextInputBlockElement); !el.Multiline || !optional["detail"] {
		t.Errorf("detail: want an optional multi-line input")
	}
	if el := elements["dept"].(*slack.SelectBlockElement); el.InitialOption == nil || el.InitialOption.Value != "hr" || el.Options[0].Value != emptyOption {
		t.Errorf("dept: want hr selected and the empty option valued %q", emptyOption)
	}
	if el := elements["topics"].(*slack.MultiSelectBlockElement); len(el.InitialOptions) != 2 {
		t.Errorf("topics: %d initial options, want 2", len(el.InitialOptions))
	}
	if el := elements["posting"].(*slack.RadioButtonsBlockElement); el.InitialOption == nil || el.InitialOption.Value != "overseas" {
		t.Errorf("posting: want overseas selected")
	}
	if el := elements["anon"].(*slack.CheckboxGroupsBlockElement); len(el.InitialOptions) != 1 || el.Options[0].Text.Text != "名前を伏せる" {
		t.Errorf("anon: want one checked box labelled with the hint")
	}
	if el, ok := elements["score"].(*slack.SelectBlockElement); !ok || len(el.Options) != 11 || el.InitialOption.Value != "8" {
		t.Errorf("score 0-10: want a select of 11 steps with 8 selected, got %T", elements["score"])
	}
	if el, ok := elements["mood"].(*slack.RadioButtonsBlockElement); !ok || len(el.Options) != 5 {
		t.Errorf("mood 1-5: want 5 radio buttons, got %T", elements["mood"])
	}
	if _, err := json.Marshal(v); err != nil {
		t.Errorf("modal does not encode: %v", err)
	}
}

// TestSubmittedRoundTrip: what a user picks in the modal comes back as
// the form's values.
func TestSubmittedRoundTrip(t *testing.T) {
	v, err := modal(everyInput, origin{channel: "D1", direct: true})
	if err != nil {
		t.Fatal(err)
	}
	state := `{"values":{
		"comment":{"v":{"type":"plain_text_input","value":"よろしく"}},
		"detail":{"v":{"type":"plain_text_input","value":null}},
		"dept":{"v":{"type":"static_select","selected_option":{"value":"soudan.none"}}},
		"topics":{"v":{"type":"multi_static_select","selected_options":[{"value":"2"},{"value":"3"}]}},
		"posting":{"v":{"type":"radio_buttons","selected_option":{"value":"hq"}}},
		"anon":{"v":{"type":"checkboxes","selected_options":[]}},
		"score":{"v":{"type":"static_select","selected_option":{"value":"10"}}},
		"mood":{"v":{"type":"radio_buttons","selected_option":null}}}}`
	var vs slack.ViewState
	if err := json.Unmarshal([]byte(state), &vs); err != nil {
		t.Fatal(err)
	}
	meta, values, err := submitted(slack.View{PrivateMetadata: v.PrivateMetadata, State: &vs})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"comment": "よろしく", "detail": "", "dept": "", "topics": "2,3", "posting": "hq", "anon": "false", "score": "10", "mood": ""}
	if !maps.Equal(values, want) {
		t.Errorf("values = %v, want %v", values, want)
	}
	if meta.Form != "survey.answer" || meta.Value != "2026-11" || !meta.Direct {
		t.Errorf("meta = %+v", meta)
	}
	if _, _, err := submitted(slack.View{PrivateMetadata: "not json"}); err == nil {
		t.Errorf("a view without soudan metadata was accepted")
	}
}

func TestViewErrors(t *testing.T) {
	f := bot.Form{Inputs: []bot.Input{{Name: "join_year"}, {Name: "topics"}}, Errors: map[string]string{"join_year": "数字で", "elsewhere": "全体の問題", "topics": "<!here> 選んで"}}
	got := viewErrors(f)
	want := map[string]string{"join_year": "数字で / 全体の問題", "topics": "@\u200bhere 選んで"}
	if !maps.Equal(got, want) {
		t.Errorf("viewErrors = %v, want %v", got, want)
	}
}

// TestModalEdgeCases: a menu with nothing to choose becomes a text input,
// and an initial value longer than the input allows is cut.
func TestModalEdgeCases(t *testing.T) {
	f := bot.Form{ID: "x", Inputs: []bot.Input{
		{Name: "topics", Label: "話題", Kind: bot.InputMultiSelect},
		{Name: "year", Label: "入省年", Kind: bot.InputText, MaxLen: 4, Value: "２０１０年度"},
	}}
	v, err := modal(f, origin{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v.Blocks.BlockSet[0].(*slack.InputBlock).Element.(*slack.PlainTextInputBlockElement); !ok {
		t.Errorf("a multi-select without options: %T, want a text input", v.Blocks.BlockSet[0].(*slack.InputBlock).Element)
	}
	if el := v.Blocks.BlockSet[1].(*slack.InputBlock).Element.(*slack.PlainTextInputBlockElement); len([]rune(el.InitialValue)) > 4 {
		t.Errorf("initial value %q is longer than max_length 4", el.InitialValue)
	}
}

func TestModalMetadataTooLong(t *testing.T) {
	f := bot.Form{ID: "x", Value: strings.Repeat("v", maxMetadata)}
	if _, err := modal(f, origin{}); err == nil {
		t.Errorf("modal with metadata over %d bytes: want an error", maxMetadata)
	}
}
