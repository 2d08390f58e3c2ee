package handlers

import (
	"testing"

	"github.com/soudan/soudan/store"
)

func TestParseChannel(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   store.ChannelRef
		wantOK bool
	}{
		{"<#C123|career>", store.ChannelRef{Channel: "C123", Name: "#career"}, true},
		{"<#C123>", store.ChannelRef{Channel: "C123"}, true},
		{"#career", store.ChannelRef{Channel: "#career", Name: "#career"}, true},
		{"＃海外", store.ChannelRef{Channel: "#海外", Name: "#海外"}, true},
		{"career", store.ChannelRef{}, false},
		{"#", store.ChannelRef{}, false},
		{"<#>", store.ChannelRef{}, false},
		{"<#C1|x", store.ChannelRef{}, false},
		{"<@U123>", store.ChannelRef{}, false},
	} {
		got, ok := ParseChannel(tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("ParseChannel(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
