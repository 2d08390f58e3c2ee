package store_test

import (
	"testing"

	"github.com/soudan/soudan/store/text"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"IT", "it"},
		{"ＩＴ", "it"},
		{"  Career   Change ", "career change"},
		{"キャリア\u3000相談", "キャリア 相談"},
		{"ｷｬﾘｱ", "キャリア"},
		{"\tA\n B ", "a b"},
		{"", ""},
		{"\u3000 ", ""},
	}
	for _, tt := range tests {
		if got := text.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
