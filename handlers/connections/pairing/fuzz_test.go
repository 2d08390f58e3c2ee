package pairing

import (
	"fmt"
	"reflect"
	"testing"
)

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

// FuzzPair decodes a small round from the input (people with a
// department and a join year, past pairs, confidential lists, rules)
// and checks what every round must keep: everyone once, in a group or
// left out with a reason; the hard rules kept or relaxed as reported;
// the same result twice.
func FuzzPair(f *testing.F) {
	f.Add([]byte{0x07, 0x23, 3, 1, 2, 1, 0, 2, 1, 3, 0, 4, 1, 5})
	f.Add([]byte{0x0b, 0x4a, 0, 0, 0, 0, 1, 1, 1, 1, 0, 2, 2, 3, 1, 4, 5, 6})
	f.Add([]byte{0x05, 0x91, 1, 1, 1, 1, 1, 0, 1, 2, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		n := int(data[0]) % 13
		flags := data[1]
		in := Input{Round: 10, Year: 2026, Seed: uint64(flags), Rules: Rules{
			Size:            []Size{Pairs, Cafes}[flags&1],
			AllowThree:      flags&2 != 0,
			CrossDepartment: flags&4 != 0,
			Cooldown:        int(flags>>3) % 5,
			SeniorYears:     []int{0, 8}[flags>>7],
			Avoid:           map[ID][]ID{},
		}}
		b := data[2:]
		for i := range n {
			p := Person{ID: ID(fmt.Sprintf("p%d", i)), JoinYear: 2026 - i*3}
			if i < len(b) {
				p.Department = depts[int(b[i])%3]
			}
			in.People = append(in.People, p)
		}
		if len(b) > n {
			b = b[n:]
		} else {
			b = nil
		}
		for ; len(b) >= 3 && n > 0; b = b[3:] {
			u, v := in.People[int(b[0])%n].ID, in.People[int(b[1])%n].ID
			if b[2]&0x80 != 0 {
				in.Rules.Avoid[u] = append(in.Rules.Avoid[u], v)
			} else {
				in.History.Groups = append(in.History.Groups, PastGroup{Round: 1 + int(b[2])%9, Members: []ID{u, v}, Met: b[2]&0x40 != 0})
			}
		}
		res, err := Pair(in)
		if err != nil {
			t.Fatal(err)
		}
		checkPartition(t, in, res)
		checkRules(t, in, res)
		for _, l := range res.LeftOut {
			if l.Reason == "" {
				t.Fatalf("%s left out without a reason", l.ID)
			}
		}
		again, _ := Pair(in)
		if !reflect.DeepEqual(res, again) {
			t.Fatal("two runs on one input differ")
		}
	})
}
