package pairing

// Why codes of a proposed mentor, and reasons a new hire got none.
const (
	WhyOtherDept      = "other_department"
	WhyPreference     = "preference" // the mentor matches the new hire's wish
	WhySharedLanguage = "shared_language"
	NoMentorDept      = "no_department" // the new hire's department is unknown: "another department" cannot be kept
	NoMentorFree      = "no_mentor"     // every mentor the rules allow is at capacity or taken by others
)

// Mentee is a new hire who waits for a mentor.
type Mentee struct {
	ID         ID
	Department string // "" when unknown: no mentor can be proposed
	Language   string
	// Wish is how well each mentor matches the new hire's wish, by mentor:
	// the number of the wish's words found in the mentor's profile. The
	// caller matches the words (text folding is not this leaf's business).
	Wish map[ID]int
}

// Mentor is a mentor of the programme and how many more new hires they
// may take.
type Mentor struct {
	ID         ID
	Department string // "" when unknown: never proposed, another department cannot be shown
	Language   string
	// Capacity is the programme's limit of new hires per mentor; Load the
	// new hires they already have in it (approved and running, or
	// proposed and waiting). Room is Capacity - Load.
	Capacity, Load int
}

// Assignment is one proposed mentor for one new hire and why.
type Assignment struct {
	Mentee, Mentor ID
	Why            []string
	// Score is the weight the assignment maximises: 1 for another
	// department, 2 per matched wish word, 1 for a shared language.
	Score int
}

// Unassigned is a new hire with no mentor and why.
type Unassigned struct {
	Mentee ID
	Reason string
}

// MentorInput is what AssignMentors needs.
type MentorInput struct {
	Mentees []Mentee
	Mentors []Mentor
	// SameDepartment reports whether two department names are the same
	// department (the caller folds width and case); nil compares them
	// exactly.
	SameDepartment func(a, b string) bool
	// Avoid are pairs never proposed: a "don't pair me with" list in
	// either direction, or an earlier proposal an admin declined.
	Avoid map[ID][]ID
}

// MentorResult is AssignMentors' answer.
type MentorResult struct {
	Assignments []Assignment // in the order of MentorInput.Mentees
	Unassigned  []Unassigned // in the order of MentorInput.Mentees
}

// AssignMentors proposes a mentor for as many new hires as the rules and
// the mentors' room allow, and among those assignments the one of
// greatest total score; ties go to the lighter-loaded mentor, then to
// the mentor listed first. Rules: a mentor is of another department, has
// room, and neither person is on the other's avoid list.
//
// It is a maximum-weight bipartite assignment with capacities, solved as
// a maximum-cardinality maximum-weight matching (MaxWeightMatching) on a
// graph where each mentor with room r is r slot vertices: the k-th slot
// (k from the mentor's current load up) costs a little, more for a
// higher k, so the matching fills the emptiest mentors first without
// ever trading a point of score for it. Being bipartite, the graph has
// no odd cycles: the blossom machinery stays idle and the answer is the
// classic assignment's.
func AssignMentors(in MentorInput) MentorResult {
	same := in.SameDepartment
	if same == nil {
		same = func(a, b string) bool { return a == b }
	}
	avoid := map[[2]ID]bool{}
	for a, bs := range in.Avoid {
		for _, b := range bs {
			avoid[[2]ID{a, b}], avoid[[2]ID{b, a}] = true, true
		}
	}
	// Slots: vertices after the mentees, mentor by mentor.
	type slot struct{ mentor, load int }
	var slots []slot
	maxCap := 0
	for j, m := range in.Mentors {
		maxCap = max(maxCap, m.Capacity)
		if m.Department == "" {
			continue
		}
		for k := m.Load; k < m.Capacity; k++ {
			slots = append(slots, slot{j, k})
		}
	}
	// Weights in three tiers that never borrow from each other: the score,
	// then the load the slot would be (a lower one weighs more), then the
	// mentor's place in the list. A matching's weight sums over at most
	// len(Mentees) edges, so each tier's scale exceeds the largest total
	// of the tiers below it.
	nMentees := int64(len(in.Mentees))
	orderScale := nMentees*int64(len(in.Mentors)) + 1
	scoreScale := (nMentees*int64(maxCap) + 1) * orderScale
	var edges []Edge
	for i, e := range in.Mentees {
		if e.Department == "" {
			continue
		}
		for s, sl := range slots {
			m := in.Mentors[sl.mentor]
			if m.ID == e.ID || same(m.Department, e.Department) || avoid[[2]ID{e.ID, m.ID}] {
				continue
			}
			sc, _ := mentorScore(e, m)
			w := int64(sc)*scoreScale + int64(maxCap-sl.load)*orderScale + int64(len(in.Mentors)-sl.mentor)
			edges = append(edges, Edge{I: i, J: len(in.Mentees) + s, Weight: w})
		}
	}
	mate := MaxWeightMatching(len(in.Mentees)+len(slots), edges, true)
	var out MentorResult
	for i, e := range in.Mentees {
		switch {
		case e.Department == "":
			out.Unassigned = append(out.Unassigned, Unassigned{e.ID, NoMentorDept})
		case mate[i] < 0:
			out.Unassigned = append(out.Unassigned, Unassigned{e.ID, NoMentorFree})
		default:
			j := slots[mate[i]-len(in.Mentees)].mentor
			sc, why := mentorScore(e, in.Mentors[j])
			out.Assignments = append(out.Assignments, Assignment{Mentee: e.ID, Mentor: in.Mentors[j].ID, Why: why, Score: sc})
		}
	}
	return out
}

// mentorScore is the score of mentor m for new hire e (of another
// department by the rules) and its why codes.
func mentorScore(e Mentee, m Mentor) (int, []string) {
	sc, why := 1, []string{WhyOtherDept}
	if n := e.Wish[m.ID]; n > 0 {
		sc += 2 * n
		why = append(why, WhyPreference)
	}
	if e.Language != "" && e.Language == m.Language {
		sc++
		why = append(why, WhySharedLanguage)
	}
	return sc, why
}

// TotalScore is the sum of the assignments' scores.
func (r MentorResult) TotalScore() int {
	t := 0
	for _, a := range r.Assignments {
		t += a.Score
	}
	return t
}
