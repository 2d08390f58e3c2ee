package text

import "testing"

func TestIsStopWord(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"it", true}, {"IT", true}, {"ＩＴ", true}, {"a", true}, {"the", true},
		{"on", true}, {"の", true}, {"です", true}, {"について", true},
		{"teams", false}, {"キャリア", false}, {"相談", false}, {"", false},
	}
	for _, tt := range tests {
		if got := IsStopWord(tt.w); got != tt.want {
			t.Errorf("IsStopWord(%q): got %v, want %v", tt.w, got, tt.want)
		}
	}
}

func TestIsGenericWord(t *testing.T) {
	for w, want := range map[string]bool{
		"方法": true, "申請": true, "手続き": true, "procedure": true, "rules": true,
		"テレワーク": false, "年賀状": false, "password": false, "の": false, "": false,
	} {
		if got := IsGenericWord(w); got != want {
			t.Errorf("IsGenericWord(%q) = %v, want %v", w, got, want)
		}
	}
}
