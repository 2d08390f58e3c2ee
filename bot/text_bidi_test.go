package bot_test

import (
	"testing"

	"github.com/soudan/soudan/bot"
)

func TestNeutralizeStripsBidiControls(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"invoice\u202Etxt.exe", "invoicetxt.exe"},
		{"\u202Aa\u202Bb\u202Cc\u202Dd\u202E", "abcd"},
		{"\u2066x\u2067y\u2068z\u2069", "xyz"},
		{"@\u202Ehere", "@\u200bhere"},
		{"日本語\u202Eです\nok", "日本語です\nok"},
	} {
		if got := bot.Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
