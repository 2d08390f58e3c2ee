package store_test

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// holdWriters keeps n write transactions of the data store open for d,
// as long handler transactions do: on bbolt one holds the file's writer
// lock (the others queue behind it); on PostgreSQL each holds a
// connection of the data store's pool. It returns once they are open.
func holdWriters(t *testing.T, s *store.Store, n int, d time.Duration) *sync.WaitGroup {
	t.Helper()
	var wg, open sync.WaitGroup
	open.Add(1)
	var once sync.Once
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(func(tx *store.Tx) error {
				once.Do(open.Done)
				if _, err := tx.Topics().Create(store.Topic{Name: fmt.Sprintf("長い処理-%d-%d", i, time.Now().UnixNano())}); err != nil {
					return err
				}
				time.Sleep(d)
				return nil
			})
			if err != nil {
				t.Errorf("long transaction: %v", err)
			}
		}()
	}
	open.Wait()
	time.Sleep(50 * time.Millisecond) // let the others take their connections
	return &wg
}

// An event is recorded, and so acknowledged, while the data store's
// writers are busy with long transactions: the inbox has its own path to
// disk (its own file on bbolt, its own connection pool on PostgreSQL).
// Before, a record waited for the data store's writer: at least the
// whole second here.
func TestInboxRecordDoesNotWaitForTheDataStore(t *testing.T) {
	for _, engine := range []string{"bbolt", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			// One writer holds bbolt's file; on PostgreSQL twice as many
			// as the data store's pool has connections hold them all and
			// queue for more.
			var s *store.Store
			writers := 1
			if engine == "bbolt" {
				s = storetest.MustOpenFile(t)
			} else {
				s = storetest.MustOpenPostgres(t)
				writers = 2 * max(4, runtime.NumCPU())
			}
			const hold = 500 * time.Millisecond
			wg := holdWriters(t, s, writers, hold)
			var took []time.Duration
			for i := range 20 {
				start := time.Now()
				if _, _, err := s.Inbox().Record(store.InboxEntry{Key: fmt.Sprintf("slack:Ev%d", i), Platform: "slack", Message: []byte("{}")}); err != nil {
					t.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			wg.Wait()
			slices.Sort(took)
			t.Logf("%s: 20 records while %d transactions of %v held the data store: median %v, slowest %v", engine, writers, hold, took[len(took)/2], took[len(took)-1])
			if took[len(took)-1] >= hold/2 {
				t.Errorf("slowest record took %v while the data store was busy; want well under %v", took[len(took)-1], hold)
			}
		})
	}
}

// BenchmarkInboxRecord records events from 64 concurrent senders (an HTTP
// server's handlers under load), on each engine, and reports the records'
// p50 and p99 with the rate: what an acknowledgement waits for.
//
//	go test -run '^$' -bench InboxRecord -benchtime 5000x ./store/
func BenchmarkInboxRecord(b *testing.B) {
	for _, engine := range []string{"bbolt", "postgres"} {
		b.Run(engine, func(b *testing.B) {
			var s *store.Store
			if engine == "bbolt" {
				s = storetest.MustOpenFile(b)
			} else {
				s = storetest.MustOpenPostgres(b)
			}
			var (
				mu   sync.Mutex
				took []time.Duration
				seq  int
			)
			b.SetParallelism(64 / max(1, runtime.GOMAXPROCS(0)))
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					seq++
					key := fmt.Sprintf("slack:Ev%08d", seq)
					mu.Unlock()
					t0 := time.Now()
					if _, _, err := s.Inbox().Record(store.InboxEntry{Key: key, Platform: "slack", Message: []byte(`{"Text":"相談です"}`)}); err != nil {
						b.Error(err)
						return
					}
					d := time.Since(t0)
					mu.Lock()
					took = append(took, d)
					mu.Unlock()
				}
			})
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(took)
			if len(took) == 0 {
				return
			}
			b.ReportMetric(float64(len(took))/elapsed.Seconds(), "records/s")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
