package mentors

import (
	"slices"
	"testing"
)

// /soudan mentors WORDS searches profiles as tips are searched: synonyms
// across languages, spelling variants, inflected forms, best match first.
func TestMentorSearchUsesTipSearch(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career", "ワークライフバランス wlb")
	career, wlb := e.Topic("キャリア").ID, e.Topic("ワークライフバランス").ID
	f := validMentorForm("テレワークと育児の両立、残業を減らす工夫を話せます", wlb)
	f["career"] = "人事課で在宅勤務の制度づくり。こどもが二人います。"
	register(e, "佐藤", f)
	g := validMentorForm("キャリアの悩みを聞きます", career)
	g["career"] = "情報漏れの事故対応。出向で民間企業に二年。"
	register(e, "鈴木", g)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"telework", []string{"佐藤"}},
		{"子供", []string{"佐藤"}},
		{"overtime", []string{"佐藤"}},
		{"secondment", []string{"鈴木"}},
		{"漏れやすい", []string{"鈴木"}},
		{"人事 在宅勤務", []string{"佐藤"}},
		{"在外公館", []string{"佐藤", "鈴木"}}, // both are at 在米国大使館, 大使館 a synonym
		{"量子コンピュータ", nil},
	} {
		got := mentorCardTitles(e.Cmd("山田", "/soudan mentors "+tc.query))
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("mentors %s: cards %q, want %q", tc.query, got, tc.want)
		}
	}
}
