package main

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

func TestDMQuestionStartingWithACommandWordIsAsked(t *testing.T) {
	t.Parallel()
	e := newFlowEnv(t, 3, nil)
	e.Mentor("佐藤", "キャリア")
	n := uint64(0)
	for _, tc := range []struct{ lang, text string }{
		{"en", "help me understand the transfer process"},
		{"en", "resolve conflicts with my boss - any tips?"},
		{"en", "close friends at work keep asking me to cover shifts"},
		{"en", "profile pictures: are they required?"},
		{"ja", "解決 できない人間関係の悩みがあります"},
		{"ja", "ヘルプ デスクに 異動の手続きを聞いてもいいですか"},
	} {
		turn := e.Do(bottest.Locale(bottest.DM("田中", tc.text), tc.lang))
		n++
		text := strings.Join(testenv.ReplyTexts(turn), "\n")
		for _, r := range turn.Replies {
			if r.Form != nil {
				t.Errorf("%q opened the form %s, want a question", tc.text, r.Form.ID)
			}
		}
		if strings.Contains(text, "⚠️") || !strings.Contains(text, "#"+itoa(n)) {
			t.Errorf("%q: replies %q, want consultation #%d received", tc.text, text, n)
			continue
		}
		if c := e.Consultation(n); c.Question() != tc.text {
			t.Errorf("consultation #%d asks %q, want %q", n, c.Question(), tc.text)
		}
	}
	// Commands typed alone, or with what they take, stay commands.
	if s := e.Do(bottest.Locale(bottest.DM("田中", "help ask"), "en")).Text(); !strings.Contains(s, e.Kit.TL("en", "usage.ask")) {
		t.Errorf("help ask = %q, want the help of ask", s)
	}
	if f := testenv.FormOf(t, e.Do(bottest.Locale(bottest.DM("田中", "profile"), "en"))); f == nil {
		t.Errorf("profile opened no form")
	}
	if s := e.Refused(bottest.Locale(bottest.DM("田中", "resolve 1 11"), "en")); !strings.Contains(s, "0") {
		t.Errorf("resolve 1 11 = %q, want the rating refused", s)
	}
}
