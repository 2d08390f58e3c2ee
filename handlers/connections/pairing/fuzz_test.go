package pairing

import "testing"

// FuzzMaxWeightMatching decodes a small graph from the input (the first
// byte picks n and the mode, then three bytes per edge: two vertices and
// a signed weight) and checks the matching against brute force and its
// dual certificate.
func FuzzMaxWeightMatching(f *testing.F) {
	f.Add([]byte{0x05, 0, 1, 8, 0, 2, 9, 1, 2, 10, 2, 3, 7, 3, 4, 6})
	f.Add([]byte{0x8a, 0, 1, 45, 0, 6, 45, 1, 2, 50, 2, 3, 45, 3, 4, 95, 3, 5, 94, 4, 5, 94, 5, 6, 50, 0, 7, 30, 2, 9, 35, 4, 8, 36, 6, 9, 26})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := 1 + int(data[0]&0x0f)%10
		maxCard := data[0]&0x80 != 0
		var edges []Edge
		for b := data[1:]; len(b) >= 3 && len(edges) < 45; b = b[3:] {
			i, j := int(b[0])%n, int(b[1])%n
			if i == j {
				continue
			}
			edges = append(edges, Edge{i, j, int64(int8(b[2]))})
		}
		m := newMatcher(n, edges)
		m.solve(maxCard)
		gotW, gotC := checkMatching(t, n, edges, m.partners())
		wantW, wantC := bruteForce(n, edges, maxCard)
		if gotW != wantW || maxCard && gotC != wantC {
			t.Fatalf("n %d maxCard %v edges %v: got weight %d card %d, want %d card %d", n, maxCard, edges, gotW, gotC, wantW, wantC)
		}
		checkCertificate(t, m, maxCard)
	})
}
