package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// Buckets of the programme statistics (schema version 12 on the lead's
// numbering).
const (
	// bktConsByDay files each consultation under every UTC day
	// ("2006-01-02") on which something it is counted for happened: it
	// was opened, answered, or changed state. Keys "day 0x00 itob(id)",
	// so the days of a month in any time zone are one run of keys.
	bktConsByDay = "consultations.by_day"
	// bktMonthly holds monthly counters: key "month 0x00 name", value
	// itob(count). The month is the caller's ("2006-01" in the bot's
	// location).
	bktMonthly = "stats.monthly"
)

// Monthly counter names (AddMonthly, Monthly).
const (
	StatSearches    = "searches"     // tip searches run
	StatSearchEmpty = "search_empty" // tip searches that found nothing
	StatTipsAdded   = "tips_added"   // tips added
	StatDeflected   = "deflected"    // questions resolved by a suggested tip
)

// monthLayout is the format of a month.
const monthLayout = "2006-01"

// utcDay is the by_day index value of t.
func utcDay(t time.Time) string { return t.UTC().Format(dateLayout) }

// consultDays are the UTC days c is filed under in the by_day index: its
// creation, each answer, each state change.
func consultDays(c Consultation) []string {
	var out []string
	add := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if m := utcDay(t); !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	add(c.CreatedAt)
	for _, m := range c.Messages {
		if m.Kind == MsgAnswer {
			add(m.At)
		}
	}
	for _, h := range c.History {
		add(h.At)
	}
	return out
}

// ConsultationsActiveIn returns the consultations with a creation, an
// answer or a state change on any UTC day overlapping [from, to), in id
// order, each once. Callers count only what falls inside [from, to) (the
// index is by UTC day; a day in another time zone spans two). It walks
// the index keys of those days only: its cost grows with what happened in
// them, not with the history stored.
func (tx *Tx) ConsultationsActiveIn(from, to time.Time) ([]Consultation, error) {
	var ids []uint64
	if to.After(from) {
		first, last := []byte(utcDay(from)), []byte(utcDay(to.Add(-time.Nanosecond)))
		c := tx.bucket(bktConsByDay).Cursor()
		for k, _ := c.Seek(first); k != nil; k, _ = c.Next() {
			day, id, ok := bytes.Cut(k, []byte(sep))
			if !ok || bytes.Compare(day, last) > 0 {
				break
			}
			if len(id) == 8 {
				ids = append(ids, btoi(id))
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	cs, err := getIDs[Consultation](tx, bktConsults, ids)
	if err != nil {
		return nil, fmt.Errorf("consultations active from %s to %s: %w", from.Format(time.RFC3339), to.Format(time.RFC3339), err)
	}
	return cs, nil
}

// OldestUnanswered returns up to n open consultations that have no answer
// yet, oldest first. It walks the state index in id order and stops once
// it has n: its cost grows with the open consultations, not the history.
func (tx *Tx) OldestUnanswered(n int) ([]Consultation, error) {
	var out []Consultation
	prefix := []byte(string(StateOpen) + sep)
	c := tx.bucket(bktConsByState).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out) < n; k, _ = c.Next() {
		if len(k) != len(prefix)+8 {
			continue
		}
		id := btoi(k[len(prefix):])
		cs, err := getByID[Consultation](tx, bktConsults, id)
		if err != nil {
			return nil, fmt.Errorf("oldest unanswered: consultation %d: %w", id, err)
		}
		if !slices.ContainsFunc(cs.Messages, func(m ConsultMessage) bool { return m.Kind == MsgAnswer }) {
			out = append(out, cs)
		}
	}
	return out, nil
}

// checkMonth validates a month "2006-01".
func checkMonth(month string) error {
	if t, err := time.Parse(monthLayout, month); err != nil || t.Format(monthLayout) != month {
		return fmt.Errorf("bad month %q: want YYYY-MM", month)
	}
	return nil
}

// AddMonthly adds n to the counter name of month ("2006-01", in the bot's
// location), in the transaction of what it counts.
func (tx *Tx) AddMonthly(month, name string, n int) error {
	err := tx.writable()
	if err == nil {
		err = checkMonth(month)
	}
	if err == nil && name == "" {
		err = fmt.Errorf("empty counter name")
	}
	if err != nil {
		return fmt.Errorf("add to monthly %s %s: %w", month, name, err)
	}
	b := tx.bucket(bktMonthly)
	k := []byte(joinKey(month, name))
	v, err := loadValue(b.Get(k))
	if err != nil {
		return fmt.Errorf("add to monthly %s %s: %w", month, name, err)
	}
	v += int64(n)
	if v < 0 {
		return fmt.Errorf("add to monthly %s %s: count would drop below zero", month, name)
	}
	return b.Put(k, itob(uint64(v)))
}

// Monthly returns the counters of month, by name; a counter never added
// to is absent (zero).
func (tx *Tx) Monthly(month string) (map[string]int, error) {
	if err := checkMonth(month); err != nil {
		return nil, fmt.Errorf("monthly counters: %w", err)
	}
	out := map[string]int{}
	prefix := []byte(month + sep)
	c := tx.bucket(bktMonthly).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		n, err := loadValue(v)
		if err != nil {
			return nil, fmt.Errorf("monthly counter %q: %w", k, err)
		}
		out[string(k[len(prefix):])] = int(n)
	}
	return out, nil
}

// buildDayIndex is the migration that creates the statistics buckets and
// files the consultations already stored under their days.
func buildDayIndex(btx kv.Tx) error {
	for _, name := range []string{bktConsByDay, bktMonthly} {
		if _, err := btx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	idx := btx.Bucket(bktConsByDay)
	return btx.Bucket(bktConsults).ForEach(func(k, data []byte) error {
		var c Consultation
		if err := json.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("index consultation %d by day: %w", btoi(k), err)
		}
		for _, m := range consultDays(c) {
			if err := idx.Put(indexKey(m, btoi(k)), []byte{}); err != nil {
				return err
			}
		}
		return nil
	})
}
