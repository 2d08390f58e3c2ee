package store_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// addTips stores tips with the given titles and bodies, returning their ids.
func addTips(t *testing.T, s *store.Store, tips ...store.Tip) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.Update(func(tx *store.Tx) error {
		ids = ids[:0] // the function may run more than once
		for _, tp := range tips {
			got, err := tx.CreateTip(tp)
			if err != nil {
				return err
			}
			ids = append(ids, got.ID)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create tips: %v", err)
	}
	return ids
}

// search runs SearchTips and returns the ids found, best first.
func search(t *testing.T, s *store.Store, q string) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.View(func(tx *store.Tx) error {
		hits, err := tx.SearchTips(q, 10)
		for _, h := range hits {
			ids = append(ids, h.Tip.ID)
		}
		return err
	})
	if err != nil {
		t.Fatalf("SearchTips(%q): %v", q, err)
	}
	return ids
}

func sampleTips(t *testing.T, s *store.Store) []uint64 {
	return addTips(t, s,
		store.Tip{Title: "東京都の住宅手当", Body: "東京都内に住む職員の住宅手当の申請方法。", Author: 1},
		store.Tip{Title: "京都出張の宿泊", Body: "京都への出張では早めに宿を予約する。", Author: 1},
		store.Tip{Title: "Teams で画面共有できないとき", Body: "Teams を再起動し、画面共有の権限を確認します。", Tags: []string{"IT"}, Author: 2},
		store.Tip{Title: "VPN に接続できない", Body: "VPN クライアントを更新してから再接続。", Author: 2},
		store.Tip{Title: "在宅勤務の申請", Body: "在宅勤務は前日までに申請。VPN が必要です。", Author: 3},
	)
}

func TestSearchTipsBigramTrap(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := sampleTips(t, s)
	if got := search(t, s, "京都"); !slices.Equal(got, []uint64{ids[1]}) {
		t.Errorf("京都 found %v, want only the 京都 tip %d (not 東京都 %d)", got, ids[1], ids[0])
	}
	if got := search(t, s, "東京都"); !slices.Equal(got, []uint64{ids[0]}) {
		t.Errorf("東京都 found %v, want [%d]", got, ids[0])
	}
	if got := search(t, s, "東京"); !slices.Equal(got, []uint64{ids[0]}) {
		t.Errorf("東京 found %v, want [%d]", got, ids[0])
	}
}

func TestSearchTipsWidthAndCase(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := sampleTips(t, s)
	if got := search(t, s, "ＴＥＡＭＳ"); len(got) == 0 || got[0] != ids[2] {
		t.Errorf("ＴＥＡＭＳ found %v, want the Teams tip %d first", got, ids[2])
	}
	if got := search(t, s, "ｖｐｎ"); len(got) < 2 || got[0] != ids[3] || !slices.Contains(got, ids[4]) {
		t.Errorf("ｖｐｎ found %v, want the VPN tip %d first and %d", got, ids[3], ids[4])
	}
	if got := search(t, s, "ｶﾞﾒﾝ 画面共有"); len(got) == 0 || got[0] != ids[2] {
		t.Errorf("画面共有 found %v, want %d first", got, ids[2])
	}
}

func TestSearchTipsTitleAboveBody(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s,
		store.Tip{Title: "出張の精算", Body: "領収書を添えて年休とは別に申請します。経費の精算は月末まで。", Author: 1},
		store.Tip{Title: "年休の取り方", Body: "上司に相談してから登録します。", Author: 1},
		store.Tip{Title: "異動の内示", Body: "内示は三月。", Author: 1},
	)
	if got := search(t, s, "年休"); len(got) != 2 || got[0] != ids[1] {
		t.Errorf("年休 found %v, want the title match %d before the body match %d", got, ids[1], ids[0])
	}
}

func TestSearchTipsWeakMatchesAreNothing(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	sampleTips(t, s)
	for _, q := range []string{"", "の", "the and of", "量子コンピュータ", "!!!", "南極観測 予算"} {
		if got := search(t, s, q); len(got) != 0 {
			t.Errorf("%q found %v, want nothing", q, got)
		}
	}
}

func TestTipUpdateDeleteAndIndex(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	topic, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: "IT"}) })
	if err != nil {
		t.Fatal(err)
	}
	ids := addTips(t, s,
		store.Tip{Title: "VPN の設定", Body: "手順書を見る。", TopicID: topic.ID, Author: 1},
		store.Tip{Title: "印刷できない", Body: "プリンタを再起動。", Author: 1},
	)
	err = s.Update(func(tx *store.Tx) error {
		_, err := tx.UpdateTip(ids[1], func(tp *store.Tip) error {
			tp.Title, tp.TopicID = "複合機で印刷", topic.ID
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "できない"); len(got) != 0 {
		t.Errorf("old title words still found: %v", got)
	}
	if got := search(t, s, "複合機"); !slices.Equal(got, ids[1:]) {
		t.Errorf("複合機 found %v, want %v", got, ids[1:])
	}
	err = s.View(func(tx *store.Tx) error {
		ts, err := tx.TipsByTopic(topic.ID)
		if len(ts) != 2 {
			t.Errorf("TipsByTopic = %d tips, want 2", len(ts))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// One vote per user.
	err = s.Update(func(tx *store.Tx) error {
		if _, err := tx.MarkTipHelpful(ids[0], 7); err != nil {
			return err
		}
		if _, err := tx.MarkTipHelpful(ids[0], 7); !errors.Is(err, store.ErrAlreadyVoted) {
			t.Errorf("second vote: %v, want ErrAlreadyVoted", err)
		}
		tp, err := tx.MarkTipHelpful(ids[0], 8)
		if tp.Helpful != 2 {
			t.Errorf("helpful = %d, want 2", tp.Helpful)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *store.Tx) error { return tx.DeleteTip(ids[0]) }); err != nil {
		t.Fatal(err)
	}
	if got := search(t, s, "VPN"); len(got) != 0 {
		t.Errorf("deleted tip still found: %v", got)
	}
	err = s.View(func(tx *store.Tx) error {
		if _, err := tx.Tip(ids[0]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Tip(deleted) = %v, want ErrNotFound", err)
		}
		ts, _ := tx.TipsByTopic(topic.ID)
		if len(ts) != 1 || ts[0].ID != ids[1] {
			t.Errorf("TipsByTopic after delete = %v", ts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Refusals change nothing.
	err = s.Update(func(tx *store.Tx) error {
		if _, err := tx.CreateTip(store.Tip{Title: " "}); err == nil {
			t.Error("a tip without a title was stored")
		}
		if _, err := tx.CreateTip(store.Tip{Title: "x", TopicID: 999}); err == nil {
			t.Error("a tip of a missing topic was stored")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTipWriteInView(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	err := s.View(func(tx *store.Tx) error {
		_, err := tx.CreateTip(store.Tip{Title: "x"})
		return err
	})
	if !errors.Is(err, store.ErrTxNotWritable) {
		t.Errorf("CreateTip in View: %v, want ErrTxNotWritable", err)
	}
}
