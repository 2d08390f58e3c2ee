package teams

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/soudan/soudan/bot"
)

// FuzzActivity decodes arbitrary activity JSON the way the endpoint does
// and checks what comes out: no panic; a post's text has no markup left
// and no mention token other than those of its mention entities; a
// reply echoing the text renders to a card that is valid JSON.
func FuzzActivity(f *testing.F) {
	f.Add([]byte(`{"type":"message","id":"1","text":"<at>soudan</at> 相談 キャリアパスに悩んでいます","from":{"id":"29:a","name":"田中"},"recipient":{"id":"28:bot"},"conversation":{"id":"19:c@thread.tacv2;messageid=1","conversationType":"channel","tenantId":"t"},"entities":[{"type":"mention","text":"<at>soudan</at>","mentioned":{"id":"28:bot","name":"soudan"}}]}`))
	f.Add([]byte(`{"type":"message","id":"2","value":{"soudan_form":"ask","question":"異動の相談","anonymous":"true"},"replyToId":"9","conversation":{"id":"a:1","conversationType":"personal"}}`))
	f.Add([]byte(`{"type":"invoke","name":"adaptiveCard/action","value":{"action":{"verb":"consult.take","data":"consult.take"}}}`))
	f.Add([]byte(`{"type":"message","value":"文字列の値","text":"&lt;@29:x&gt; ＠channel"}`))
	a, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		act, err := decodeActivity(raw)
		if err != nil {
			return
		}
		m, _, ok := a.incoming(act)
		if !ok {
			return
		}
		if m.Kind == bot.KindPost || m.Kind == bot.KindCommand {
			allowed := map[string]bool{}
			for _, e := range act.entities {
				if e.Mentioned != nil {
					allowed[e.Mentioned.ID] = true
				}
			}
			for _, tok := range mentionToken.FindAllStringSubmatch(m.Text, -1) {
				if !allowed[tok[1]] {
					t.Errorf("text %q has mention token %q of no entity", m.Text, tok[0])
				}
			}
			if strings.Contains(strings.ToLower(m.Text), "<at>") {
				t.Errorf("text %q keeps an <at> tag", m.Text)
			}
		}
		if m.Kind == bot.KindFormSubmit && m.Action.ID == "" {
			t.Errorf("form submission without a form id: %+v", m)
		}
		c := renderer{nameOf: func(string) string { return "名前" }}.card(bot.Reply{Title: m.Action.Value, Text: m.Text})
		b, err := json.Marshal(c)
		if err != nil || !utf8.Valid(b) {
			t.Errorf("card of %q does not marshal: %v", m.Text, err)
		}
	})
}
