package search

import (
	"slices"
	"testing"
)

func TestPostingBlocksRoundTrip(t *testing.T) {
	ps := []Posting{{ID: 4096, TF: 3, DL: 40}, {ID: 4097, TF: 1, DL: 7}, {ID: 8191, TF: 300, DL: 70000}}
	b := EncodeBlock(ps)
	if got := DecodeBlock(nil, 1, b); !slices.Equal(got, ps) {
		t.Errorf("round trip = %+v, want %+v", got, ps)
	}
	if got := BlockLen(b); got != len(ps) {
		t.Errorf("BlockLen = %d, want %d", got, len(ps))
	}
	// A damaged block keeps what it could read and never panics.
	if got := DecodeBlock(nil, 1, append(EncodeBlock(ps[:1]), 0xff)); !slices.Equal(got, ps[:1]) {
		t.Errorf("damaged = %+v, want %+v", got, ps[:1])
	}
}

// TestBlockKeys: a term's blocks sort by number under its prefix, and a
// longer term's keys under the same prefix are told apart.
func TestBlockKeys(t *testing.T) {
	prefix := BlockPrefix("在宅")
	for _, id := range []uint64{0, 4095, 4096, 1 << 30} {
		k := BlockKey("在宅", id)
		if n, ok := BlockNumber(prefix, k); !ok || n != id>>BlockBits {
			t.Errorf("block of %d: %d, %v", id, n, ok)
		}
		if string(k[:len(prefix)]) != string(prefix) {
			t.Errorf("key %q does not start with %q", k, prefix)
		}
	}
	if slices.Compare(BlockKey("a", 4095), BlockKey("a", 4096)) >= 0 {
		t.Error("blocks do not sort by number")
	}
	if _, ok := BlockNumber(BlockPrefix("在"), BlockKey("在宅", 1)); ok {
		t.Error("a longer term's key read as a block of its prefix")
	}
}

func TestTermStatsRoundTrip(t *testing.T) {
	peaks := []Posting{{TF: 12, DL: 40}, {TF: 300, DL: 70000}}
	df, got, ok := DecodeTermStats(EncodeTermStats(1234, peaks))
	if !ok || df != 1234 || !slices.Equal(got, peaks) {
		t.Errorf("round trip = %d %+v %v", df, got, ok)
	}
	if _, _, ok := DecodeTermStats(nil); ok {
		t.Error("no value decoded")
	}
	if _, _, ok := DecodeTermStats(append(EncodeTermStats(3, peaks), 0x80)); ok {
		t.Error("a damaged value decoded")
	}
}

// TestRaisePeaks: a posting beaten in both frequency and length by a peak
// changes nothing; one that beats peaks replaces them; past MaxPeaks the
// peaks give way to one that beats every posting seen.
func TestRaisePeaks(t *testing.T) {
	peaks, beaten := RaisePeaks(nil, Posting{ID: 7, TF: 4, DL: 20})
	if beaten || !slices.Equal(peaks, []Posting{{TF: 4, DL: 20}}) {
		t.Fatalf("first: %+v %v", peaks, beaten)
	}
	if got, beaten := RaisePeaks(peaks, Posting{TF: 3, DL: 30}); !beaten || !slices.Equal(got, peaks) {
		t.Errorf("beaten: %+v %v", got, beaten)
	}
	peaks, _ = RaisePeaks(peaks, Posting{TF: 8, DL: 60}) // more often, longer: a peak of its own
	peaks, _ = RaisePeaks(peaks, Posting{TF: 5, DL: 10}) // beats {4, 20}
	if want := []Posting{{TF: 8, DL: 60}, {TF: 5, DL: 10}}; !slices.Equal(peaks, want) {
		t.Errorf("peaks = %+v, want %+v", peaks, want)
	}
	var all []Posting
	peaks = nil
	for i := range MaxPeaks + 1 {
		p := Posting{TF: uint32(1 + i), DL: uint32(10 + i)} // each longer and more frequent: none beaten
		all = append(all, p)
		peaks, _ = RaisePeaks(peaks, p)
	}
	if len(peaks) != 1 || peaks[0] != (Posting{TF: MaxPeaks + 1, DL: 10}) {
		t.Errorf("past MaxPeaks: %+v", peaks)
	}
	for _, p := range all {
		if peaks[0].TF < p.TF || peaks[0].DL > p.DL {
			t.Errorf("%+v beats the peak %+v", p, peaks[0])
		}
	}
}

// TestTerms: field weights, stop words left out, kana stems counted in
// the frequencies but not the length (漏れ is no bigram of 情報漏れ, the
// stem is), and a field not counted in it.
func TestTerms(t *testing.T) {
	tf, n := Terms([]Field{
		{Text: "情報漏れ", Weight: 12, Counted: true},
		{Text: "VPN the VPN", Weight: 4, Counted: true},
		{Text: "漏れやすい", Weight: 1},
	})
	for term, want := range map[string]uint64{"情報": 12, "報漏": 12, "漏れ": 12 + 1, "漏": 1, "やす": 1, "vpn": 8} {
		if tf[term] != want {
			t.Errorf("tf[%q] = %d, want %d (%v)", term, tf[term], want, tf)
		}
	}
	if _, ok := tf["the"]; ok {
		t.Error("a stop word is a term")
	}
	if want := uint64(2*12 + 2*4); n != want {
		t.Errorf("length = %d, want %d (%v)", n, want, tf)
	}
}
