package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// linkIDs is LinkTips' ids for the topic.
func linkIDs(t *testing.T, s *store.Store, topic uint64, n int) []uint64 {
	t.Helper()
	var ids []uint64
	err := s.View(func(tx *store.Tx) error {
		ts, err := tx.LinkTips(topic, n)
		for _, tp := range ts {
			ids = append(ids, tp.ID)
		}
		return err
	})
	if err != nil {
		t.Fatalf("LinkTips(%d): %v", topic, err)
	}
	return ids
}

func TestLinkTipsRankByHelpfulWithinTopic(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	it, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: "IT"}) })
	if err != nil {
		t.Fatal(err)
	}
	ids := addTips(t, s,
		store.Tip{Title: "VPN 手順書", Body: "x", TopicID: it.ID, Links: []string{"https://example.jp/vpn"}, Author: 1},
		store.Tip{Title: "リンクなし", Body: "x", TopicID: it.ID, Author: 1},
		store.Tip{Title: "Teams マニュアル", Body: "x", TopicID: it.ID, Links: []string{"https://example.jp/teams"}, Author: 1},
		store.Tip{Title: "テーマなしのリンク", Body: "x", Links: []string{"https://example.jp/x"}, Author: 1},
	)
	if got, want := linkIDs(t, s, it.ID, 10), []uint64{ids[0], ids[2]}; !slices.Equal(got, want) {
		t.Errorf("links before votes = %v, want %v (oldest first)", got, want)
	}
	err = s.Update(func(tx *store.Tx) error {
		for _, u := range []uint64{7, 8} {
			if _, err := tx.MarkTipHelpful(ids[2], u); err != nil {
				return err
			}
		}
		_, err := tx.MarkTipHelpful(ids[0], 7)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := linkIDs(t, s, it.ID, 10), []uint64{ids[2], ids[0]}; !slices.Equal(got, want) {
		t.Errorf("links after votes = %v, want %v (most helpful first)", got, want)
	}
	if got := linkIDs(t, s, it.ID, 1); !slices.Equal(got, []uint64{ids[2]}) {
		t.Errorf("links n=1 = %v", got)
	}
	if got := linkIDs(t, s, 0, 10); !slices.Equal(got, []uint64{ids[3]}) {
		t.Errorf("links without topic = %v, want %v", got, ids[3])
	}
	// An edit that drops the links, and a delete, leave the collection.
	err = s.Update(func(tx *store.Tx) error {
		if _, err := tx.UpdateTip(ids[2], func(tp *store.Tip) error { tp.Links = nil; return nil }); err != nil {
			return err
		}
		return tx.DeleteTip(ids[0])
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := linkIDs(t, s, it.ID, 10); len(got) != 0 {
		t.Errorf("links after edit and delete = %v, want none", got)
	}
	var best []uint64
	_ = s.View(func(tx *store.Tx) error {
		return tx.BestTips(func(tp store.Tip) (bool, error) { best = append(best, tp.ID); return true, nil })
	})
	if want := []uint64{ids[2], ids[1], ids[3]}; !slices.Equal(best, want) {
		t.Errorf("BestTips = %v, want %v", best, want)
	}
}

func TestTipSourceKeyIsUnique(t *testing.T) {
	s := storetest.MustOpen(t, store.Options{})
	ids := addTips(t, s, store.Tip{Title: "A", Body: "x", Source: "t001", Author: 1})
	err := s.Update(func(tx *store.Tx) error {
		_, err := tx.CreateTip(store.Tip{Title: "B", Body: "y", Source: "t001", Author: 1})
		return err
	})
	if !errors.Is(err, store.ErrExists) {
		t.Errorf("second tip with source t001: err = %v, want ErrExists", err)
	}
	_ = s.View(func(tx *store.Tx) error {
		got, err := tx.TipBySource("t001")
		if err != nil || got.ID != ids[0] {
			t.Errorf("TipBySource(t001) = %+v, %v; want tip %d", got, err, ids[0])
		}
		if _, err := tx.TipBySource("t002"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("TipBySource(t002): err = %v, want ErrNotFound", err)
		}
		return nil
	})
}

func TestTipFeatured(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s := storetest.MustOpen(t, store.Options{Now: func() time.Time { return now }})
	ids := addTips(t, s, store.Tip{Title: "A", Body: "x", Author: 1})
	err := s.Update(func(tx *store.Tx) error { return tx.MarkTipFeatured(ids[0]) })
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *store.Tx) error {
		at, ok, err := tx.TipFeaturedAt(ids[0])
		if err != nil || !ok || !at.Equal(now) {
			t.Errorf("TipFeaturedAt = %v, %v, %v; want %v", at, ok, err, now)
		}
		return nil
	})
}
