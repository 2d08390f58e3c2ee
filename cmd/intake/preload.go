package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/soudan/soudan/store"
	"go.etcd.io/bbolt"
)

// preload writes n consultations into a new data file at db directly with
// the store package, batch per transaction: mostly resolved or closed,
// every tenth open or answered, asked by 500 people on another topic and
// channel, each with a question and an answer.
func preload(db string, n, batch int) (time.Duration, error) {
	start := time.Now()
	st, err := store.Open(db, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		return 0, err
	}
	defer st.Close()
	// The topic and the people who ask and answer are stored together.
	var topic store.Topic
	var users []uint64
	err = st.Update(func(tx *store.Tx) error {
		users = users[:0] // the function may run more than once
		topic, err = tx.Topics().Create(store.Topic{Name: "preloaded", Channels: []store.ChannelRef{{Platform: "slack", Workspace: team, Channel: "C0PRELOAD"}}})
		if err != nil {
			return fmt.Errorf("topic: %w", err)
		}
		for i := range 500 {
			u, _, err := tx.Users().Ensure(store.UserKey{Platform: "slack", Workspace: team, PlatformID: fmt.Sprintf("UP%04d", i)}, "preloaded", "ja-JP")
			if err != nil {
				return err
			}
			users = append(users, u.ID)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("preload topic and users: %w", err)
	}
	states := []store.State{store.StateResolved, store.StateClosed, store.StateResolved, store.StateClosed, store.StateResolved,
		store.StateClosed, store.StateResolved, store.StateClosed, store.StateResolved}
	for lo := 0; lo < n; lo += batch {
		err := st.Update(func(tx *store.Tx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				asker, mentor := users[i%len(users)], users[(i+7)%len(users)]
				state := store.StateOpen
				switch {
				case i%10 == 9 && i%20 == 19:
					state = store.StateAnswered
				case i%10 != 9:
					state = states[i%len(states)]
				}
				ts := fmt.Sprintf("1500000000.%06d", i)
				c := store.Consultation{
					TopicID: topic.ID, AskerID: asker, State: state, EventID: "EvP" + strconv.Itoa(i),
					Public:  &store.Thread{Platform: "slack", Workspace: team, Channel: "C0PRELOAD", Thread: ts},
					Threads: []store.Thread{{Platform: "slack", Workspace: team, Channel: "C0PRELOAD", Thread: ts}},
					Messages: []store.ConsultMessage{
						{Kind: store.MsgQuestion, AuthorID: asker, Text: fmt.Sprintf("preloaded question %d: 評価面談の準備について", i), EventID: "EvP" + strconv.Itoa(i)},
						{Kind: store.MsgAnswer, AuthorID: mentor, Text: "前回の目標を見直しておきましょう"},
					},
				}
				if state != store.StateOpen {
					c.TakenBy = mentor
				}
				if _, _, err := tx.Consultations().Create(c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("preload consultations %d-: %w", lo, err)
		}
	}
	return time.Since(start), nil
}

// copyFile copies the data file src to dst.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// commitRate measures raw bbolt commits per second in dir: one goroutine,
// one Put and commit (with its fsync) per iteration, for d.
func commitRate(dir string, d time.Duration) (float64, error) {
	db, err := bbolt.Open(filepath.Join(dir, "commit-rate.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	val := make([]byte, 256)
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		err := db.Update(func(tx *bbolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("k"))
			if err != nil {
				return err
			}
			return b.Put([]byte(strconv.Itoa(n)), val)
		})
		if err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
