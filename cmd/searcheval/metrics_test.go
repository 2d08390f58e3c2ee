package main

import (
	"math"
	"testing"
)

func TestMeasure(t *testing.T) {
	rel := map[string]bool{"a": true, "b": true}
	for _, tc := range []struct {
		ranked []string
		want   scores
	}{
		{[]string{"a", "b", "x"}, scores{MRR: 1, NDCG: 1, P3: 2.0 / 3}},
		{[]string{"x", "a"}, scores{MRR: 0.5, NDCG: (1 / math.Log2(3)) / (1 + 1/math.Log2(3)), P3: 1.0 / 3}},
		{nil, scores{}},
	} {
		got := measure(tc.ranked, rel)
		if math.Abs(got.MRR-tc.want.MRR) > 1e-9 || math.Abs(got.NDCG-tc.want.NDCG) > 1e-9 || math.Abs(got.P3-tc.want.P3) > 1e-9 {
			t.Errorf("measure(%q) = %+v, want %+v", tc.ranked, got, tc.want)
		}
	}
}

// The labelled set loads, every label names a tip, and each kind the
// report lists has queries.
func TestLoadSet(t *testing.T) {
	tips, qs, err := loadSet()
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, q := range qs {
		n[q.Kind]++
	}
	if len(tips) < 150 || len(qs) < 60 || n[kindNone] < 10 || n[kindFreshNone] < 10 {
		t.Errorf("%d tips, %d queries, %d and %d with no answer: want a few hundred, 60+, 10+ each", len(tips), len(qs), n[kindNone], n[kindFreshNone])
	}
	if n[kindFresh]+n[kindFreshNone] != 30 || n[kindPost]+n[kindPostNone] != 20 || n[kindLate]+n[kindLateNone] != 20 {
		t.Errorf("held-out queries of 2026-12-07: %d written before the change, want 30; %d and %d after, want 20 and 20",
			n[kindFresh]+n[kindFreshNone], n[kindPost]+n[kindPostNone], n[kindLate]+n[kindLateNone])
	}
	for _, k := range append(kinds, apart...) {
		if n[k] == 0 {
			t.Errorf("kind %s has no query", k)
		}
	}
}

func TestQueryLang(t *testing.T) {
	for q, want := range map[string]string{"在宅勤務": "ja", "VPN つながらない": "ja", "annual leave": "en", "ＶＰＮ": "en", "2026": "en"} {
		if got := queryLang(q); got != want {
			t.Errorf("queryLang(%q) = %s, want %s", q, got, want)
		}
	}
}
