package teams

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
)

func TestSubmitValues(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value any
		want  *bot.Message // nil: not dispatched
	}{
		{"button", map[string]any{dataAction: "consult.take", dataValue: "12"},
			&bot.Message{Kind: bot.KindAction, Action: bot.Action{ID: "consult.take", Value: "12"}}},
		{"form", map[string]any{dataForm: "ask", dataValue: "", "question": "異動の相談", "anonymous": "true", "topics": []any{"1", "3"}, "year": 2010, "ok": true},
			&bot.Message{Kind: bot.KindFormSubmit, Action: bot.Action{ID: "ask"}, Form: map[string]string{"question": "異動の相談", "anonymous": "true", "topics": "1,3", "year": "2010", "ok": "true"}}},
		{"bare string", "consult.take", &bot.Message{Kind: bot.KindAction, Action: bot.Action{ID: "consult.take"}}},
		{"number", 42, nil},
		{"list", []any{"a"}, nil},
		{"foreign object", map[string]any{"x": "y"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := &recorder{}
			e := newEnv(t, rc)
			got, _ := e.post(e.bf.SubmitActivity("s1", "card1", tc.value), e.bf.ValidToken())
			if got != http.StatusOK {
				t.Fatalf("status: got %d, want 200", got)
			}
			ms := rc.messages()
			if tc.want == nil {
				if len(ms) != 0 {
					t.Errorf("dispatched %+v, want nothing", ms[0])
				}
				return
			}
			if len(ms) != 1 {
				t.Fatalf("dispatched %d, want 1", len(ms))
			}
			m := ms[0]
			if m.Kind != tc.want.Kind || m.Action != tc.want.Action || !reflect.DeepEqual(m.Form, tc.want.Form) {
				t.Errorf("got %s %+v %v, want %s %+v %v", m.Kind, m.Action, m.Form, tc.want.Kind, tc.want.Action, tc.want.Form)
			}
			if !m.Direct || m.User.ID != "29:tanaka" {
				t.Errorf("direct %v user %q", m.Direct, m.User.ID)
			}
		})
	}
}

// invokeAnswerOf decodes an invoke response body.
func invokeAnswerOf(t *testing.T, body string) (typ string, value any) {
	t.Helper()
	var v struct {
		StatusCode int    `json:"statusCode"`
		Type       string `json:"type"`
		Value      any    `json:"value"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("invoke answer %q: %v", body, err)
	}
	if v.StatusCode != 200 {
		t.Errorf("invoke answer statusCode: got %d, want 200", v.StatusCode)
	}
	return v.Type, v.Value
}

// TestExecuteButton: an Action.Execute is dispatched as the button's
// action, its reply is posted, and the invoke gets its answer body.
func TestExecuteButton(t *testing.T) {
	rc := &recorder{fn: replyWith("引き受けました")}
	e := newEnv(t, rc)
	status, body := e.post(e.bf.ExecuteActivity("x1", "card1", "consult.take", map[string]any{dataAction: "consult.take", dataValue: "7"}), e.bf.ValidToken())
	if status != http.StatusOK {
		t.Fatalf("status: got %d, want 200", status)
	}
	if typ, _ := invokeAnswerOf(t, body); typ != "application/vnd.microsoft.activity.message" {
		t.Errorf("answer type: got %q", typ)
	}
	ms := rc.messages()
	if len(ms) != 1 || ms[0].Kind != bot.KindAction || ms[0].Action != (bot.Action{ID: "consult.take", Value: "7"}) {
		t.Fatalf("dispatched %+v, want the take action", ms)
	}
	calls := e.bf.Calls()
	if len(calls) != 1 || !strings.HasSuffix(calls[0].Path, "/a:dm-29:tanaka/activities") {
		t.Errorf("connector calls %+v, want the reply in the DM", calls)
	}
	// A verb whose data names nothing of ours is the verb's action.
	e.post(e.bf.ExecuteActivity("x2", "card1", "other.verb", nil), e.bf.ValidToken())
	if ms := rc.messages(); len(ms) != 2 || ms[1].Action.ID != "other.verb" {
		t.Errorf("verb-only execute: got %+v", ms[len(ms)-1].Action)
	}
}

// refuseForm re-opens the submitted form with an error.
func refuseForm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return bot.OpenForm(ctx, r, bot.Form{
		ID: m.Action.ID, Title: "相談", Submit: "送信",
		Inputs: []bot.Input{{Name: "question", Label: "質問", Kind: bot.InputTextarea, Value: m.Form["question"], Required: true}},
		Errors: map[string]string{"question": "質問を入力してください"},
	})
}

// TestExecuteFormErrors: a refused Action.Execute submission answers the
// invoke with the refreshed card, errors shown.
func TestExecuteFormErrors(t *testing.T) {
	rc := &recorder{fn: refuseForm}
	e := newEnv(t, rc)
	status, body := e.post(e.bf.ExecuteActivity("x1", "card1", "ask", map[string]any{dataForm: "ask", dataValue: "", "question": ""}), e.bf.ValidToken())
	if status != http.StatusOK {
		t.Fatalf("status: got %d, want 200", status)
	}
	typ, value := invokeAnswerOf(t, body)
	if typ != cardContentType {
		t.Fatalf("answer type: got %q, want the card", typ)
	}
	b, _ := json.Marshal(value)
	if !strings.Contains(string(b), "質問を入力してください") || !strings.Contains(string(b), `"Attention"`) {
		t.Errorf("refreshed card lacks the error: %s", b)
	}
	if calls := e.bf.Calls(); len(calls) != 0 {
		t.Errorf("connector calls %+v, want none: the card came back in the answer", calls)
	}
}

// TestSubmitFormErrors: a refused Action.Submit submission updates the
// submitted card in place.
func TestSubmitFormErrors(t *testing.T) {
	rc := &recorder{fn: refuseForm}
	e := newEnv(t, rc)
	e.post(e.bf.SubmitActivity("s1", "card9", map[string]any{dataForm: "ask", "question": ""}), e.bf.ValidToken())
	calls := e.bf.Calls()
	if len(calls) != 1 || calls[0].Method != http.MethodPut || !strings.HasSuffix(calls[0].Path, "/a:dm-29:tanaka/activities/card9") {
		t.Fatalf("connector calls %+v, want one PUT of card9", calls)
	}
	b, _ := json.Marshal(calls[0].Body)
	if !strings.Contains(string(b), "質問を入力してください") {
		t.Errorf("updated card lacks the error: %s", b)
	}
}

// TestOtherInvoke: invokes the bot does not handle are answered 501.
func TestOtherInvoke(t *testing.T) {
	rc := &recorder{}
	e := newEnv(t, rc)
	act := e.bf.DMActivity("i1", "29:u", "u", "")
	act["type"], act["name"] = "invoke", "task/fetch"
	if got, _ := e.post(act, e.bf.ValidToken()); got != http.StatusNotImplemented {
		t.Errorf("status: got %d, want 501", got)
	}
	if len(rc.messages()) != 0 {
		t.Errorf("dispatched %d, want 0", len(rc.messages()))
	}
}
