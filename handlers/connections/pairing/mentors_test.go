package pairing

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomMentorInput is a small instance: up to 6 new hires, up to 4
// mentors in up to 3 departments (sometimes none), random wishes,
// languages, loads, capacities and avoid lists.
func randomMentorInput(r *rand.Rand) MentorInput {
	depts := []string{"", "総務課", "人事課", "財政課"}
	langs := []string{"ja", "en"}
	var in MentorInput
	for i := range r.IntN(4) + 1 {
		c := r.IntN(3) + 1
		in.Mentors = append(in.Mentors, Mentor{ID: ID(fmt.Sprintf("m%d", i)), Department: depts[r.IntN(4)], Language: langs[r.IntN(2)],
			Capacity: c, Load: r.IntN(c + 1)})
	}
	in.Avoid = map[ID][]ID{}
	for i := range r.IntN(6) + 1 {
		e := Mentee{ID: ID(fmt.Sprintf("e%d", i)), Department: depts[r.IntN(4)], Language: langs[r.IntN(2)], Wish: map[ID]int{}}
		for _, m := range in.Mentors {
			if r.IntN(3) == 0 {
				e.Wish[m.ID] = r.IntN(3)
			}
			if r.IntN(8) == 0 {
				in.Avoid[e.ID] = append(in.Avoid[e.ID], m.ID)
			}
		}
		in.Mentees = append(in.Mentees, e)
	}
	return in
}

// allowed is the rule check written out again, for the brute force.
func allowed(in MentorInput, e Mentee, m Mentor) bool {
	if e.Department == "" || m.Department == "" || e.Department == m.Department {
		return false
	}
	for _, x := range in.Avoid[e.ID] {
		if x == m.ID {
			return false
		}
	}
	for _, x := range in.Avoid[m.ID] {
		if x == e.ID {
			return false
		}
	}
	return true
}

// bruteMentors tries every assignment (each new hire: a mentor or none)
// and returns the largest number assigned and, among those, the largest
// total score.
func bruteMentors(in MentorInput) (bestN, bestScore int) {
	bestN, bestScore = -1, -1
	used := make([]int, len(in.Mentors))
	var rec func(i, n, score int)
	rec = func(i, n, score int) {
		if i == len(in.Mentees) {
			if n > bestN || (n == bestN && score > bestScore) {
				bestN, bestScore = n, score
			}
			return
		}
		rec(i+1, n, score)
		e := in.Mentees[i]
		for j, m := range in.Mentors {
			if !allowed(in, e, m) || m.Load+used[j] >= m.Capacity {
				continue
			}
			sc, _ := mentorScore(e, m)
			used[j]++
			rec(i+1, n+1, score+sc)
			used[j]--
		}
	}
	rec(0, 0, 0)
	return bestN, bestScore
}

// TestAssignMentorsBruteForce checks AssignMentors against every
// assignment on thousands of small random instances: the rules and the
// capacities hold, every new hire is either assigned or given a reason,
// and nobody could be added nor the score raised.
func TestAssignMentorsBruteForce(t *testing.T) {
	for seed := range uint64(3000) {
		in := randomMentorInput(rand.New(rand.NewPCG(seed, 21)))
		res := AssignMentors(in)
		if got := len(res.Assignments) + len(res.Unassigned); got != len(in.Mentees) {
			t.Fatalf("seed %d: %d assigned + unassigned, want %d new hires", seed, got, len(in.Mentees))
		}
		byID := map[ID]Mentor{}
		for _, m := range in.Mentors {
			byID[m.ID] = m
		}
		used := map[ID]int{}
		score := 0
		for k, a := range res.Assignments {
			var e Mentee
			for _, x := range in.Mentees {
				if x.ID == a.Mentee {
					e = x
				}
			}
			m := byID[a.Mentor]
			if !allowed(in, e, m) {
				t.Fatalf("seed %d: %s ← %s breaks a rule", seed, a.Mentee, a.Mentor)
			}
			if used[m.ID]++; m.Load+used[m.ID] > m.Capacity {
				t.Fatalf("seed %d: %s over capacity (load %d, capacity %d)", seed, m.ID, m.Load+used[m.ID], m.Capacity)
			}
			if sc, _ := mentorScore(e, m); sc != a.Score {
				t.Fatalf("seed %d: assignment %d score %d, want %d", seed, k, a.Score, sc)
			}
			score += a.Score
		}
		n, best := bruteMentors(in)
		if len(res.Assignments) != n || score != best {
			t.Fatalf("seed %d: %d assigned with score %d, brute force %d with %d\n%+v", seed, len(res.Assignments), score, n, best, in)
		}
		if score != res.TotalScore() {
			t.Fatalf("seed %d: TotalScore %d, want %d", seed, res.TotalScore(), score)
		}
	}
}

// TestAssignMentorsGlobal is the case greedy one-at-a-time proposals get
// wrong: the first new hire's favourite is the only mentor the second
// may have, so the first must take the other one.
func TestAssignMentorsGlobal(t *testing.T) {
	in := MentorInput{
		Mentors: []Mentor{
			{ID: "中村", Department: "人事課", Language: "ja", Capacity: 1},
			{ID: "佐藤", Department: "財政課", Language: "ja", Capacity: 1},
		},
		Mentees: []Mentee{
			{ID: "小林", Department: "総務課", Language: "ja", Wish: map[ID]int{"中村": 1}},
			{ID: "伊藤", Department: "財政課", Language: "ja"},
		},
	}
	res := AssignMentors(in)
	got := map[ID]ID{}
	for _, a := range res.Assignments {
		got[a.Mentee] = a.Mentor
	}
	// 伊藤 (財政課) can only have 中村, so 小林 takes 佐藤.
	if got["伊藤"] != "中村" || got["小林"] != "佐藤" || len(res.Unassigned) != 0 {
		t.Fatalf("got %v, unassigned %v; want 伊藤←中村, 小林←佐藤", got, res.Unassigned)
	}
}

// TestAssignMentorsLoad: with equal scores the emptier mentor is chosen,
// so two new hires go to two mentors, not both to the first; a mentor
// with no department and a new hire with none are never paired.
func TestAssignMentorsLoad(t *testing.T) {
	in := MentorInput{
		Mentors: []Mentor{
			{ID: "a", Department: "人事課", Capacity: 2, Load: 1},
			{ID: "b", Department: "人事課", Capacity: 2},
			{ID: "c", Department: "", Capacity: 5},
		},
		Mentees: []Mentee{{ID: "x", Department: "総務課"}, {ID: "y", Department: "総務課"}, {ID: "z"}},
	}
	res := AssignMentors(in)
	load := map[ID]int{}
	for _, a := range res.Assignments {
		load[a.Mentor]++
	}
	if load["b"] != 1 || load["a"] != 1 || load["c"] != 0 {
		t.Errorf("loads %v, want a 1 and b 1 (a had one already, b none)", load)
	}
	if len(res.Unassigned) != 1 || res.Unassigned[0] != (Unassigned{"z", NoMentorDept}) {
		t.Errorf("unassigned %v, want z: %s", res.Unassigned, NoMentorDept)
	}
}

// BenchmarkAssignMentors is a large intake: 300 new hires in 12
// departments, 150 mentors with room for 2 each, every fifth mentor
// matching a new hire's wish.
func BenchmarkAssignMentors(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 21))
	var in MentorInput
	for i := range 150 {
		in.Mentors = append(in.Mentors, Mentor{ID: ID(fmt.Sprintf("m%d", i)), Department: fmt.Sprintf("d%d", r.IntN(12)), Language: "ja", Capacity: 2})
	}
	for i := range 300 {
		e := Mentee{ID: ID(fmt.Sprintf("e%d", i)), Department: fmt.Sprintf("d%d", r.IntN(12)), Language: []string{"ja", "en"}[r.IntN(2)], Wish: map[ID]int{}}
		for _, m := range in.Mentors {
			if r.IntN(5) == 0 {
				e.Wish[m.ID] = 1
			}
		}
		in.Mentees = append(in.Mentees, e)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := AssignMentors(in); len(res.Assignments) != 300 {
			b.Fatalf("%d assigned, want all 300", len(res.Assignments))
		}
	}
}
