package store_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// The known hard cases of issue 11, each against a small set of tips.
func TestSearchTipsHardCases(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "テレワークの始め方", Body: "テレワークの日は朝に上司へチャットで連絡します。", Author: 1},                           // 0
		store.Tip{Title: "Working from the embassy", Body: "Bring your laptop and badge.", Author: 1},        // 1
		store.Tip{Title: "こどもの学校選び", Body: "赴任先の日本人学校と現地校の比べ方。", Author: 1},                                  // 2
		store.Tip{Title: "情報漏れを防ぐ", Body: "USB メモリは持ち出さない。", Author: 1},                                      // 3
		store.Tip{Title: "超過勤務の申請", Body: "前日までに申請します。", Author: 1},                                          // 4
		store.Tip{Title: "京都出張の宿泊", Body: "早めに宿を予約する。", Author: 1},                                           // 5
		store.Tip{Title: "東京都の住宅手当", Body: "都内に住む職員の手当。", Author: 1},                                         // 6
		store.Tip{Title: "Teams の通知が来ない", Body: "通知の設定を確認します。", Author: 1},                                   // 7
		store.Tip{Title: "VPN に繋がらない", Body: "VPN クライアントを更新します。", Author: 1},                                 // 8
		store.Tip{Title: "Handover notes template", Body: "Write the handover before you leave.", Author: 1}, // 9
	)
	for _, tc := range []struct {
		q    string
		want []int // indexes into ids, the first one first
	}{
		{"京都", []int{5}},
		{"ＴＥＡＭＳ", []int{7}},
		{"ｖｐｎ", []int{8}},
		{"漏れやすい", []int{3}},
		{"在宅勤務", []int{0}},
		{"telework", []int{0}},
		{"子供", []int{2}},
		{"子ども", []int{2}},
		{"超勤", []int{4}},
		{"残業", []int{4}},
		{"引き継ぎ", []int{9}},
		{"children's school", []int{2}},
		{"量子コンピュータ", nil},
	} {
		got := search(t, s, tc.q)
		var want []uint64
		for _, i := range tc.want {
			want = append(want, ids[i])
		}
		if len(want) == 0 && len(got) != 0 || len(want) > 0 && (len(got) == 0 || got[0] != want[0]) {
			t.Errorf("search %q = %v, want %v first (none when empty)", tc.q, got, want)
		}
		if tc.q == "京都" && slices.Contains(got, ids[6]) {
			t.Errorf("京都 found the 東京都 tip: %v", got)
		}
	}
}

// An exact match ranks above a synonym's.
func TestSearchTipsExactAboveSynonym(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "テレワークの申請", Body: "申請の手順。", Author: 1},
		store.Tip{Title: "在宅勤務の申請", Body: "申請の手順。", Author: 1},
	)
	if got := search(t, s, "在宅勤務"); !slices.Equal(got, []uint64{ids[1], ids[0]}) {
		t.Errorf("在宅勤務 found %v, want %v", got, []uint64{ids[1], ids[0]})
	}
	if got := search(t, s, "テレワーク"); !slices.Equal(got, []uint64{ids[0], ids[1]}) {
		t.Errorf("テレワーク found %v, want %v", got, []uint64{ids[0], ids[1]})
	}
}

// Admins' synonyms apply at once, without a reindex, and can be removed.
func TestAdminSynonyms(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, store.Tip{Title: "霞が関ネットの使い方", Body: "省内ポータルから入ります。", Author: 1})
	if got := search(t, s, "カスミネット"); len(got) != 0 {
		t.Fatalf("before: カスミネット found %v, want none", got)
	}
	update := func(fn func(tx *store.Tx) error) error { return s.Update(fn) }
	if err := update(func(tx *store.Tx) error {
		_, err := tx.AddSynonyms([]string{"カスミネット", "霞が関ネット"}, 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "カスミネット"); !slices.Equal(got, ids) {
		t.Errorf("after add: カスミネット found %v, want %v", got, ids)
	}
	// A rolled-back change leaves the dictionary as it was.
	boom := errors.New("boom")
	if err := update(func(tx *store.Tx) error {
		if _, err := tx.RemoveSynonyms([]string{"カスミネット"}, 1); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if got := search(t, s, "カスミネット"); !slices.Equal(got, ids) {
		t.Errorf("after rollback: カスミネット found %v, want %v", got, ids)
	}
	if err := update(func(tx *store.Tx) error {
		_, err := tx.RemoveSynonyms([]string{"カスミネット"}, 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "カスミネット"); len(got) != 0 {
		t.Errorf("after remove: カスミネット found %v, want none", got)
	}
	// Removing a built-in word takes it out of the built-in groups.
	ids2 := addTips(t, s, store.Tip{Title: "テレワークの準備", Body: "VPN を入れる。", Author: 1})
	// A word linked to a built-in one gets its synonyms too.
	if err := update(func(tx *store.Tx) error {
		_, err := tx.AddSynonyms([]string{"おうち勤務", "在宅勤務"}, 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "おうち勤務"); !slices.Equal(got, ids2) {
		t.Errorf("おうち勤務 (linked to 在宅勤務) found %v, want the テレワーク tip %v", got, ids2)
	}
	if got := search(t, s, "在宅勤務"); !slices.Equal(got, ids2) {
		t.Fatalf("在宅勤務 found %v, want %v", got, ids2)
	}
	if err := update(func(tx *store.Tx) error {
		_, err := tx.RemoveSynonyms([]string{"在宅勤務"}, 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "在宅勤務"); len(got) != 0 {
		t.Errorf("after removing 在宅勤務: found %v, want none", got)
	}
	if got := search(t, s, "おうち勤務"); len(got) != 0 {
		t.Errorf("after removing 在宅勤務: おうち勤務 found %v, want none", got)
	}
	// Bad input changes nothing.
	err := update(func(tx *store.Tx) error { _, err := tx.AddSynonyms([]string{"テレワーク"}, 1); return err })
	if !errors.Is(err, store.ErrSynonymWords) {
		t.Errorf("one word: err %v, want ErrSynonymWords", err)
	}
	err = update(func(tx *store.Tx) error { _, err := tx.RemoveSynonyms([]string{"存在しない語"}, 1); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown word: err %v, want ErrNotFound", err)
	}
}

// RankDocs ranks texts in memory the way SearchTips ranks tips.
func TestRankDocs(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	docs := []store.Doc{
		{ID: 10, Fields: []string{"佐藤", "テレワークの制度づくり"}},
		{ID: 20, Fields: []string{"鈴木", "在宅勤務の経験。在宅勤務を広めました"}},
		{ID: 30, Fields: []string{"高橋", "京都の出先機関"}},
		{ID: 40, Fields: []string{"田中", "東京都に出向"}},
	}
	rank := func(q string) []uint64 {
		var ids []uint64
		_ = s.View(func(tx *store.Tx) error {
			for _, h := range tx.RankDocs(docs, q) {
				ids = append(ids, h.ID)
			}
			return nil
		})
		return ids
	}
	for _, tc := range []struct {
		q    string
		want []uint64
	}{
		{"在宅勤務", []uint64{20, 10}},
		{"テレワーク", []uint64{10, 20}}, // the word itself above a synonym said twice
		{"telework", []uint64{20, 10}},
		{"京都", []uint64{30}},
		{"secondment", []uint64{40}},
		{"京都 出向", nil}, // every word must be found
		{"の", nil},
	} {
		if got := rank(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("RankDocs(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}
