package connections

import (
	"reflect"
	"testing"

	"github.com/soudan/soudan/handlers/connections/pairing"
)

// TestGroupReasonsOncePerKind: a café of three has three pairs, each
// with its reasons; the group shows each kind once, with the widest gap.
func TestGroupReasonsOncePerKind(t *testing.T) {
	in := []pairing.Reason{
		{Code: pairing.ReasonNeverMet, A: "1", B: "2"},
		{Code: pairing.ReasonOtherDept, A: "1", B: "2"},
		{Code: pairing.ReasonSeniorityGap, A: "1", B: "2", Years: 11},
		{Code: pairing.ReasonNeverMet, A: "1", B: "3"},
		{Code: pairing.ReasonOtherDept, A: "1", B: "3"},
		{Code: pairing.ReasonNeverMet, A: "2", B: "3"},
		{Code: pairing.ReasonSeniorityGap, A: "2", B: "3", Years: 14},
	}
	got := groupReasons(in)
	want := []pairing.Reason{
		{Code: pairing.ReasonNeverMet, A: "1", B: "2"},
		{Code: pairing.ReasonOtherDept, A: "1", B: "2"},
		{Code: pairing.ReasonSeniorityGap, A: "1", B: "2", Years: 14},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("groupReasons = %+v, want %+v", got, want)
	}
}
