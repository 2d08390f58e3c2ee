package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// learnTips are a few tips; the VPN one shares no word with the
// question "パソコンが社外からつながらない".
var learnTips = []store.Tip{
	{Title: "VPN の接続手順", Body: "VPN クライアントを起動し、職員番号でログインします。", Author: 1},
	{Title: "Teams の通知が来ない", Body: "通知の設定を確認します。", Author: 1},
	{Title: "超過勤務の申請", Body: "前日までに申請します。", Author: 1},
	{Title: "印刷できないとき", Body: "プリンタのドライバを入れ直します。", Author: 1},
}

func learn(t *testing.T, s *store.Store, id uint64, question string) []string {
	t.Helper()
	var got []string
	err := s.Update(func(tx *store.Tx) (err error) {
		got, err = tx.LearnTipWords(id, question)
		return err
	})
	if err != nil {
		t.Fatalf("LearnTipWords(%d, %q): %v", id, question, err)
	}
	return got
}

func learned(t *testing.T, s *store.Store, id uint64) []store.LearnedWord {
	t.Helper()
	var ls []store.LearnedWord
	err := s.View(func(tx *store.Tx) (err error) {
		ls, err = tx.TipLearned(id)
		return err
	})
	if err != nil {
		t.Fatalf("TipLearned(%d): %v", id, err)
	}
	return ls
}

// A question resolved by a tip teaches it the question's words: a later
// question put the same way finds the tip, which it did not before.
func TestLearnedWordsFindTheTip(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, learnTips...)
	vpn := ids[0]
	if got := search(t, s, "社外からつながらない"); slices.Contains(got, vpn) {
		t.Fatalf("before learning, search found the VPN tip: %v", got)
	}
	got := learn(t, s, vpn, "パソコンが社外からつながらない")
	if want := []string{"パソコン", "社外", "つながらない"}; !slices.Equal(got, want) {
		t.Errorf("learned %v, want %v", got, want)
	}
	if got := search(t, s, "社外からつながらない"); len(got) == 0 || got[0] != vpn {
		t.Errorf("after learning, search = %v, want the VPN tip %d first", got, vpn)
	}
	_ = s.View(func(tx *store.Tx) error {
		hits, err := tx.SearchTips("VPN 社外", 1)
		if err != nil || len(hits) != 1 || !slices.Equal(hits[0].Learned, []string{"社外"}) {
			t.Errorf("SearchTips(VPN 社外) = %+v, %v; want 社外 learned, VPN its own", hits, err)
		}
		return nil
	})
	// The tip's own words still rank a tip that has them in its title
	// above one that only learned them.
	learn(t, s, ids[1], "印刷できない")
	if got := search(t, s, "印刷"); len(got) == 0 || got[0] != ids[3] {
		t.Errorf("search 印刷 = %v, want the printing tip %d first", got, ids[3])
	}
	// Unlearning takes the tip back out.
	err := s.Update(func(tx *store.Tx) error {
		gone, err := tx.UnlearnTipWords(vpn, "")
		if len(gone) != 3 {
			t.Errorf("unlearned %v, want 3 words", gone)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "社外からつながらない"); slices.Contains(got, vpn) {
		t.Errorf("after unlearning, search found the VPN tip: %v", got)
	}
	if ls := learned(t, s, vpn); len(ls) != 0 {
		t.Errorf("after unlearning, learned %v", ls)
	}
}

// Words a tip holds, mentions, ids, addresses, links, numbers and users'
// names are not learned.
func TestLearnSkipsIDsAndNames(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, learnTips...)
	mustUser(t, s, "U0SATO", "佐藤")
	got := learn(t, s, ids[0], "<@U0123ABCD> @tanaka 佐藤 taro@example.com https://example.com/x U0ABCDEFGH 29:1abc 内線1234 VPN 自宅")
	if want := []string{"内線", "自宅"}; !slices.Equal(got, want) {
		t.Errorf("learned %v, want %v", got, want)
	}
}

// A tip keeps at most 32 words, the most learned, the newest among
// equals; unlearning one word leaves the others.
func TestLearnedWordsBounded(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, learnTips...)
	learn(t, s, ids[0], "社外")
	learn(t, s, ids[0], "社外")
	for i := range 40 {
		learn(t, s, ids[0], fmt.Sprintf("word%c", 'a'+i%26)+fmt.Sprintf("%c", 'a'+i/26))
	}
	ls := learned(t, s, ids[0])
	if len(ls) != 32 {
		t.Fatalf("learned %d words, want 32", len(ls))
	}
	if ls[0] != (store.LearnedWord{Word: "社外", Count: 2}) {
		t.Errorf("first learned word %v, want 社外 twice", ls[0])
	}
	if ls[1].Word != "wordnb" {
		t.Errorf("second learned word %v, want the newest, wordnb", ls[1])
	}
	if got := search(t, s, "wordaa"); len(got) != 0 {
		t.Errorf("an evicted word still finds the tip: %v", got)
	}
	if got := search(t, s, "wordnb"); len(got) != 1 || got[0] != ids[0] {
		t.Errorf("search wordnb = %v, want %d", got, ids[0])
	}
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.UnlearnTipWords(ids[0], "ＷＯＲＤＮＢ")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "wordnb"); len(got) != 0 {
		t.Errorf("after unlearning wordnb, search = %v", got)
	}
	if got := search(t, s, "社外"); len(got) != 1 {
		t.Errorf("after unlearning wordnb, search 社外 = %v, want the tip", got)
	}
}

// Editing a tip keeps what it learned; deleting it forgets.
func TestLearnedWordsSurviveEdit(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, learnTips...)
	learn(t, s, ids[0], "社外からつながらない")
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.UpdateTip(ids[0], func(tp *store.Tip) error { tp.Body += " 証明書の期限も確認します。"; return nil })
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "社外からつながらない"); len(got) == 0 || got[0] != ids[0] {
		t.Errorf("after an edit, search = %v, want %d first", got, ids[0])
	}
	if got := search(t, s, "証明書"); len(got) != 1 {
		t.Errorf("after an edit, search 証明書 = %v", got)
	}
	err = s.Update(func(tx *store.Tx) error { return tx.DeleteTip(ids[0]) })
	if err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "社外"); len(got) != 0 {
		t.Errorf("after delete, search = %v", got)
	}
}

// Full-width mentions and addresses are mentions and addresses too.
func TestLearnSkipsFullWidthMentions(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, learnTips...)
	got := learn(t, s, ids[0], "＠ｔａｎａｋａ ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ Ｕ０１２３ＡＢＣＤ 社外")
	if want := []string{"社外"}; !slices.Equal(got, want) {
		t.Errorf("learned %v, want %v", got, want)
	}
}
