package store_test

import (
	"fmt"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// BenchmarkLinkTips is "tip links" over 8 topics (5 per topic) among
// 20,000 tips, a tenth with links: it reads a few index keys per topic,
// however many tips there are.
// go test ./store -run XXX -bench LinkTips
func BenchmarkLinkTips(b *testing.B) {
	s := storetest.MustOpen(b, store.Options{})
	var topics []uint64
	for i := range 8 {
		tp := storetest.Update(b, s, func(tx *store.Tx) (store.Topic, error) {
			return tx.Topics().Create(store.Topic{Name: fmt.Sprintf("テーマ%d", i)})
		})
		topics = append(topics, tp.ID)
	}
	for start := 0; start < 20000; start += 1000 {
		err := s.Update(func(tx *store.Tx) error {
			for i := start; i < start+1000; i++ {
				t := store.Tip{Title: fmt.Sprintf("手順 %d", i), Body: "本文", TopicID: topics[i%8], Author: 1}
				if (i/8)%10 == 0 {
					t.Links = []string{fmt.Sprintf("https://intra.example.jp/m/%d", i)}
				}
				if _, err := tx.CreateTip(t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		err := s.View(func(tx *store.Tx) error {
			for _, id := range topics {
				if ts, err := tx.LinkTips(id, 5); err != nil || len(ts) != 5 {
					return fmt.Errorf("topic %d: %d tips, %v", id, len(ts), err)
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}
