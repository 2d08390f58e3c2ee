package outbox

import (
	"slices"
	"testing"
)

func TestSentRoundTrip(t *testing.T) {
	for _, s := range []Sent{
		{Kind: "consult.thread", IDs: []uint64{12, 5}},
		{Kind: "consult.thread", IDs: []uint64{1, 0}},
		{Kind: "survey.invite"},
		{Kind: "k", IDs: []uint64{18446744073709551615}},
	} {
		got, err := ParseSent(s.String())
		if err != nil || got.Kind != s.Kind || !slices.Equal(got.IDs, s.IDs) {
			t.Errorf("ParseSent(%q) = %+v, %v; want %+v", s.String(), got, err, s)
		}
	}
	if (Sent{}).String() != "" {
		t.Errorf("the zero Sent is %q, want empty", Sent{}.String())
	}
	// What items queued before Sent existed carry reads the same.
	if got, err := ParseSent("consult.thread:12:5"); err != nil || got.Kind != "consult.thread" || !slices.Equal(got.IDs, []uint64{12, 5}) {
		t.Errorf("ParseSent(old form) = %+v, %v", got, err)
	}
	for _, bad := range []string{"", ":1", "consult.thread:x", "consult.thread:1:", "k:-1"} {
		if got, err := ParseSent(bad); err == nil {
			t.Errorf("ParseSent(%q) = %+v, want an error", bad, got)
		}
	}
}
