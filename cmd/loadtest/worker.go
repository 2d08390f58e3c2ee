package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// platformName is the platform of the load test's items.
const platformName = "loadtest"

// itemKey is the delivery key of recipient i.
func itemKey(i int) string { return "lt:" + strconv.Itoa(i) }

// workerMain is the worker process: it opens the data file, enqueues the
// broadcast unless an earlier run did, and delivers until the batch is
// done. The driver kills it with SIGKILL mid-way and starts it again.
func workerMain(args []string) error {
	fs := flag.NewFlagSet("loadtest worker", flag.ContinueOnError)
	db := fs.String("db", "", "data file")
	base := fs.String("platform", "", "fake platform URL")
	n := fs.Int("n", 0, "recipients")
	perSecond := fs.Float64("rate", 0, "platform rate limit, messages per second")
	conc := fs.Int("concurrency", outbox.DefaultConcurrency, "sends in flight")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(*db, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		return err
	}
	defer st.Close()
	w, err := outbox.New(outbox.Options{
		Store: outbox.Transactional(st), Sender: newSender(*base, *conc), Log: log, Concurrency: *conc,
		Limits: map[string]outbox.Limit{platformName: {PerSecond: *perSecond}},
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batchID, err := ensureBatch(ctx, st, w, *n)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	for {
		var b store.OutboxBatch
		err := st.View(func(tx *store.Tx) (err error) {
			b, err = tx.Outbox().Batch(batchID)
			return err
		})
		if err != nil {
			return err
		}
		if b.Status == store.BatchDone {
			cancel()
			<-done
			fmt.Printf("batch %d done: %+v\n", b.ID, b.Counts)
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ensureBatch enqueues the broadcast to n recipients the first time and
// returns its batch id; a restarted worker finds it by the first key.
func ensureBatch(ctx context.Context, st *store.Store, w *outbox.Worker, n int) (uint64, error) {
	var first store.OutboxItem
	err := st.View(func(tx *store.Tx) (err error) {
		first, err = tx.Outbox().ItemByKey(itemKey(0))
		return err
	})
	if err == nil {
		return first.BatchID, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	msgs := make([]outbox.Message, n)
	for i := range msgs {
		msgs[i] = outbox.Message{
			To:    bot.Address{Platform: platformName, Workspace: "T1", User: "U" + strconv.Itoa(i)},
			Reply: bot.Reply{Text: "年末年始の窓口についてのお知らせです。"},
			Key:   itemKey(i),
		}
	}
	b, err := w.Enqueue(ctx, &store.OutboxBatch{Kind: "broadcast", Label: "load test"}, msgs)
	if err != nil {
		return 0, err
	}
	return b.ID, nil
}
