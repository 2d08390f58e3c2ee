package inbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// Pending are the entries recorded before this run and not handled: take
// them before the adapters start receiving, then Resume them. An entry
// whose event the data store marks done (the run stopped between the
// handler's commit and the entry's removal) is dropped here instead. A
// replica (Options.Replica) first renews its heartbeat, then takes its
// own entries and those of replicas whose heartbeat lapsed, never a live
// replica's.
func (in *Inbox) Pending() ([]store.InboxEntry, error) {
	if err := in.own.Beat(in.heartbeat); err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	es, err := in.own.Take()
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	return in.adopt(es)
}

// adopt counts es as this run's to handle and returns those whose event
// is not done yet, dropping the others.
func (in *Inbox) adopt(es []store.InboxEntry) ([]store.InboxEntry, error) {
	var pending []store.InboxEntry
	var done []string
	err := in.st.View(func(tx *store.Tx) error {
		for _, e := range es {
			if _, ok := in.live.LoadOrStore(e.Key, struct{}{}); !ok && in.own.Owner() != "" {
				in.depth.Add(1)
			}
			_, id, _ := strings.Cut(e.Key, ":")
			ok, err := tx.Events().Done(id)
			if err != nil {
				return err
			}
			if ok {
				done = append(done, e.Key)
				continue
			}
			pending = append(pending, e)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("inbox: %w", err)
	}
	for _, k := range done {
		in.drop(k)
	}
	return pending, nil
}

// Resume handles entries left by an earlier run, in arrival order, one at
// a time: through the adapter of each entry's platform, which rebuilds its
// own way of answering when it is a bot.Resumer; otherwise the replies go
// to the sender's DM through the adapter's Send. An entry of a platform
// not served now stays for a later run. It returns how many it handled.
func (in *Inbox) Resume(ctx context.Context, es []store.InboxEntry, adapters map[string]bot.Adapter) int {
	n := 0
	for _, e := range es {
		if ctx.Err() != nil {
			break
		}
		ad, ok := adapters[e.Platform]
		if !ok {
			in.log.Warn("inbox: an event recorded for a platform not served now stays for later", "key", e.Key, "platform", e.Platform)
			continue
		}
		var m bot.Message
		if err := json.Unmarshal(e.Message, &m); err != nil {
			in.log.Error("inbox: unreadable entry dropped", "key", e.Key, "err", err)
			in.drop(e.Key)
			continue
		}
		m.Inbox = e.Key
		in.log.Info("inbox: handling an event recorded before the restart", "key", e.Key, "kind", m.Kind.String())
		var err error
		if rs, ok := ad.(bot.Resumer); ok {
			err = rs.Resume(ctx, in, &m, e.Origin)
		} else {
			to := bot.Address{Platform: m.Address.Platform, Workspace: m.Address.Workspace, User: m.User.ID}
			err = in.Dispatch(ctx, &m, bot.SendResponder{Sender: ad, To: to})
		}
		if err != nil {
			in.log.Error("inbox: handling a recorded event failed", "key", e.Key, "err", err)
		}
		n++
	}
	return n
}

// RetryKept handles again, through the adapters as Resume does, the
// entries Dispatch kept on disk because the database did not answer,
// every interval once it answers again, until ctx ends. Only this run's
// kept entries are taken: on a database shared by replicas, the others'
// entries are theirs. A kept entry gone from the inbox, or another
// replica's now (it took them over while this one's heartbeat lapsed), is
// forgotten.
func (in *Inbox) RetryKept(ctx context.Context, adapters map[string]bot.Adapter, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n := in.retryKept(ctx, adapters); n > 0 {
			in.log.Info("inbox: handled the events kept while the database did not answer", "count", n)
		}
	}
}

// retryKept is one pass of RetryKept: how many kept entries it handled.
func (in *Inbox) retryKept(ctx context.Context, adapters map[string]bot.Adapter) int {
	some := false
	in.kept.Range(func(_, _ any) bool { some = true; return false })
	if !some || in.unavailable(ctx) {
		return 0
	}
	es, err := in.st.Inbox().Entries()
	if err != nil {
		return 0
	}
	onDisk := make(map[string]bool, len(es))
	var mine []store.InboxEntry
	for _, e := range es {
		if e.Owner != in.own.Owner() {
			continue // another replica took it over while this one was cut off
		}
		onDisk[e.Key] = true
		if _, ok := in.kept.LoadAndDelete(e.Key); ok {
			in.live.Store(e.Key, struct{}{})
			in.depth.Add(1)
			mine = append(mine, e)
		}
	}
	in.kept.Range(func(k, _ any) bool {
		if !onDisk[k.(string)] {
			in.kept.Delete(k)
		}
		return true
	})
	return in.Resume(ctx, mine, adapters)
}

// KeepAlive renews this replica's heartbeat every third of its length,
// and after a renewal takes over, and handles through the adapters as
// Resume does, the entries of replicas whose heartbeat lapsed (stopped,
// killed, or cut off from the database for longer than a heartbeat),
// until ctx ends. The handling goes on beside the heartbeat, so a long
// take-over never lets this replica's own heartbeat lapse; the next
// take-over waits for it. It does nothing for a single process.
func (in *Inbox) KeepAlive(ctx context.Context, adapters map[string]bot.Adapter) {
	if in.own.Owner() == "" {
		return
	}
	var (
		wg       sync.WaitGroup
		resuming atomic.Bool
	)
	defer wg.Wait()
	t := time.NewTicker(in.heartbeat / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := in.own.Beat(in.heartbeat); err != nil {
			// The others take this replica's entries once it lapses: what
			// it handles meanwhile is handled twice at worst, which
			// changes nothing (event ids).
			in.log.Warn("inbox: heartbeat", "err", err)
			continue
		}
		if resuming.Load() {
			continue
		}
		pending := in.takeLapsed()
		if len(pending) == 0 {
			continue
		}
		resuming.Store(true)
		wg.Go(func() {
			defer resuming.Store(false)
			n := in.Resume(ctx, pending, adapters)
			in.log.Warn("inbox: handled the events of replicas whose heartbeat lapsed", "count", n)
		})
	}
}

// takeLapsed takes over the entries of replicas whose heartbeat lapsed
// and returns those to handle, with this replica's own orphans: entries
// recorded under its name that no part of this run holds, because the
// record committed while its caller saw it fail (the database's answer
// was lost: the platform retried elsewhere, and the other replica found
// the event recorded). Only entries older than a heartbeat are handled,
// so that a record under way (committed, not yet noted as this run's)
// is not; a younger one waits for the next round.
func (in *Inbox) takeLapsed() []store.InboxEntry {
	es, err := in.own.Take()
	if err != nil {
		in.log.Warn("inbox: take over lapsed replicas' events", "err", err)
		return nil
	}
	var take []store.InboxEntry
	for _, e := range es {
		if _, live := in.live.Load(e.Key); live {
			continue
		}
		if _, kept := in.kept.Load(e.Key); kept {
			continue
		}
		if time.Since(e.At) < in.heartbeat {
			continue // the next round takes it, unless its record is this run's
		}
		take = append(take, e)
	}
	if len(take) == 0 {
		return nil
	}
	if take, err = in.adopt(take); err != nil {
		in.log.Warn("inbox: take over lapsed replicas' events", "err", err)
		return nil
	}
	return take
}
