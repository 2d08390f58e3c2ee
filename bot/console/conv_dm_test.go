package console

import "testing"

func TestChannelNameKeepsDMNamesExact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"dm:田中（デモ）", "dm:田中（デモ）"},
		{"＃ｃａｒｅｅｒ", "#career"},
		{"career", "#career"},
		{" ", ""},
	} {
		if got := channelName(tc.in); got != tc.want {
			t.Errorf("channelName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
