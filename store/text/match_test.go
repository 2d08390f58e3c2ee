package text

import (
	"reflect"
	"testing"
)

// topics are real-looking consultation topics, in entry order.
var topics = []Entry{
	{ID: 1, Names: []string{"IT・Teams", "パソコン", "PC"}},
	{ID: 2, Names: []string{"キャリア", "キャリアパス", "career"}},
	{ID: 3, Names: []string{"人間関係", "上司"}},
	{ID: 4, Names: []string{"京都"}},
	{ID: 5, Names: []string{"東京都"}},
	{ID: 6, Names: []string{"大使館／在外公館", "embassy"}},
}

func TestMatcherBest(t *testing.T) {
	m := NewMatcher(topics)
	tests := []struct {
		text   string
		wantID uint64 // 0: nothing
	}{
		// "it" in running English is not the IT topic.
		{"Is it normal to feel lost after a transfer?", 0},
		{"Can I take it easy during my first month?", 0},
		{"is it ok", 0},
		{"IS IT NORMAL TO FEEL LOST?", 0},
		{"Without a doubt", 0},
		// IT as a name.
		{"IT support for my laptop", 1},
		{"IT", 1},
		{"IT SUPPORT PLEASE", 1},
		{"ITの相談", 1},
		{"itの相談", 1},
		{"社内ITについて", 1},
		{"社内 IT について", 1},
		{"ＩＴの相談です", 1},
		{"I\u200bTの相談", 1},
		{"Teamsで画面共有できない", 1},
		{"teams keeps crashing", 1},
		{"\u202eTeams\u202cが落ちる", 1},
		{"my PC is slow", 1},
		{"ﾊﾟｿｺﾝが壊れた", 1},
		{"teamspeak is down", 0},
		// Japanese names as substrings.
		{"キャリアパスに悩んでいます", 2},
		{"ｷｬﾘｱについて相談したい", 2},
		{"Career advice please", 2},
		{"上司との関係", 3},
		// 京都 inside 東京都: the longer entry shadows the shorter.
		{"東京都に住んでいます", 5},
		{"京都に転勤", 4},
		// "Can I take it easy during my first month at the embassy?":
		// the embassy topic, never IT.
		{"Can I take it easy during my first month at the embassy?", 6},
		{"在外公館での生活", 6},
		{"", 0},
		{"\xff\xfe", 0},
	}
	for _, tt := range tests {
		got, ok := m.Best(tt.text)
		if tt.wantID == 0 {
			if ok {
				t.Errorf("Best(%q): got %+v, want no match", tt.text, got)
			}
			continue
		}
		if !ok || got.ID != tt.wantID {
			t.Errorf("Best(%q): got %+v (ok %v), want ID %d", tt.text, got, ok, tt.wantID)
		}
	}
}

func TestMatcherRanking(t *testing.T) {
	m := NewMatcher(topics)
	tests := []struct {
		text string
		want []Match
	}{
		{"キャリアパスに悩んでいます", []Match{{ID: 2, Term: "キャリアパス", Count: 2}}},
		// Longest term first: teams (5) beats 上司 (2).
		{"上司がTeamsで返事をくれない", []Match{{ID: 1, Term: "teams", Count: 1}, {ID: 3, Term: "上司", Count: 1}}},
		// Both the whole name and its words count.
		{"IT・Teamsの使い方", []Match{{ID: 1, Term: "it・teams", Count: 3}}},
		// Same length: more terms found first, then entry order.
		{"上司とPCの話", []Match{{ID: 1, Term: "pc", Count: 1}, {ID: 3, Term: "上司", Count: 1}}},
		{"東京都と京都", []Match{{ID: 5, Term: "東京都", Count: 1}, {ID: 4, Term: "京都", Count: 1}}},
	}
	for _, tt := range tests {
		if got := m.Match(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q): got %+v, want %+v", tt.text, got, tt.want)
		}
	}
}

func TestMatcherLoneKyoto(t *testing.T) {
	// Without 東京都 as an entry, 京都 is found inside 東京都: substring
	// matching of Japanese cannot tell (the bigram trap).
	m := NewMatcher([]Entry{{ID: 4, Names: []string{"京都"}}})
	if got, ok := m.Best("東京都に住んでいます"); !ok || got.ID != 4 {
		t.Errorf("Best(東京都に住んでいます): got %+v (ok %v), want ID 4", got, ok)
	}
}

func TestMatcherNames(t *testing.T) {
	tests := []struct {
		name, text string
		want       bool
	}{
		{"IT", "it", false},
		{"it", "IT", true},
		{"ＩＴ", "ITについて", true},
		{"I\u200bT", "IT help", true},
		{"ｷｬﾘｱ", "キャリアの相談", true},
		{"Team\u200bs", "teams", true},
		{"IT・Teams", "teams", true},
		{"IT, Teams", "teams", true},
		{"IT / Teams", "Teams", true},
		{"キャリア、異動", "異動したい", true},
		{"Career change", "change my password", true},
		{"の・相談", "の", false},
		{"c++", "learning c++ now", true},
		{"C/C++", "c++で書く", true},
		{"C/C++", "cで書く", false},
		{"", "anything", false},
		{"・", "・", false},
	}
	for _, tt := range tests {
		m := NewMatcher([]Entry{{ID: 7, Names: []string{tt.name}}})
		_, got := m.Best(tt.text)
		if got != tt.want {
			t.Errorf("name %q, Best(%q): got %v, want %v", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestMatcherDeterministic(t *testing.T) {
	dup := []Entry{{ID: 9, Names: []string{"相談"}}, {ID: 3, Names: []string{"相談"}}}
	m := NewMatcher(dup)
	for range 20 {
		got := m.Match("相談したい")
		want := []Match{{ID: 9, Term: "相談", Count: 1}, {ID: 3, Term: "相談", Count: 1}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Match(相談したい): got %+v, want %+v", got, want)
		}
	}
}

func TestMatcherConcurrent(t *testing.T) {
	m := NewMatcher(topics)
	done := make(chan Match)
	for range 8 {
		go func() {
			got, _ := m.Best("ITの相談とTeams")
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; got.ID != 1 {
			t.Errorf("Best(ITの相談とTeams) concurrently: got %+v, want ID 1", got)
		}
	}
}

// A name joining several words matches on each of them, as topic matching
// did before this package; a one-word name only as a whole.
func TestMatcherSplitsJoinedNamesAsTopicsDid(t *testing.T) {
	m := NewMatcher([]Entry{{ID: 1, Names: []string{"IT・Teams", "パソコン"}}, {ID: 2, Names: []string{"キャリア／異動"}}, {ID: 3, Names: []string{"国会業務"}}})
	for _, tc := range []struct {
		text string
		want uint64
	}{
		{"Teamsの使い方", 1}, {"ITの相談", 1}, {"パソコンが重い", 1}, {"it・teamsについて", 1},
		{"異動の希望", 2}, {"キャリアの相談", 2}, {"キャリア/異動", 2},
		{"国会業務の引継ぎ", 3}, {"国会の業務", 0},
	} {
		got, ok := m.Best(tc.text)
		if (tc.want == 0) != !ok || (ok && got.ID != tc.want) {
			t.Errorf("Best(%q) = %+v, %v; want entry %d", tc.text, got, ok, tc.want)
		}
	}
}
