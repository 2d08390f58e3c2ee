package main

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// engineCounts are the counters a replica on PostgreSQL exports about its
// store's engine (soudan_store_pg_*, the store's pool only) and the events
// it handled, summed over the replicas.
type engineCounts struct {
	handled                      float64
	txs, retries, roundTrips     float64
	gets, fetched, puts, deletes float64
	sequences, pages, prefetches float64
	// retriesBy splits retries by the statement that met the failure
	// (the cause label; an older binary exports none).
	retriesBy map[string]float64
}

// scrapeEngine reads /metrics of the bots at addrs. A bot on bbolt
// exports no engine counters: ok is false then.
func scrapeEngine(addrs []string) (c engineCounts, ok bool, err error) {
	client := &http.Client{Timeout: 5 * time.Second}
	for _, a := range addrs {
		resp, err := client.Get("http://" + a + "/metrics")
		if err != nil {
			return c, false, err
		}
		more, err := parseEngine(resp.Body, &c)
		resp.Body.Close()
		if err != nil {
			return c, false, err
		}
		ok = ok || more
	}
	return c, ok, nil
}

// parseEngine adds the counters of one exposition to c.
func parseEngine(r io.Reader, c *engineCounts) (found bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, rest, _ := strings.Cut(line, " ")
		v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil {
			continue
		}
		series, labels, _ := strings.Cut(name, "{")
		if series == "soudan_events_handled_total" {
			c.handled += v
			continue
		}
		if !strings.HasPrefix(series, "soudan_store_pg_") || !strings.Contains(labels, `pool="store"`) {
			continue
		}
		found = true
		switch {
		case series == "soudan_store_pg_transactions_total":
			c.txs += v
		case series == "soudan_store_pg_retries_total":
			c.retries += v
			if cause, ok := label(labels, "cause"); ok {
				if c.retriesBy == nil {
					c.retriesBy = map[string]float64{}
				}
				c.retriesBy[cause] += v
			}
		case series == "soudan_store_pg_round_trips_total":
			c.roundTrips += v
		case series == "soudan_store_pg_gets_fetched_total":
			c.fetched += v
		case series == "soudan_store_pg_cursor_pages_total":
			c.pages += v
		case series == "soudan_store_pg_prefetches_total":
			c.prefetches += v
		case series == "soudan_store_pg_kv_calls_total" && strings.Contains(labels, `op="get"`):
			c.gets += v
		case series == "soudan_store_pg_kv_calls_total" && strings.Contains(labels, `op="put"`):
			c.puts += v
		case series == "soudan_store_pg_kv_calls_total" && strings.Contains(labels, `op="delete"`):
			c.deletes += v
		case series == "soudan_store_pg_kv_calls_total" && strings.Contains(labels, `op="sequence"`):
			c.sequences += v
		}
	}
	return found, sc.Err()
}

// label returns the value of the label name in labels, the text after a
// series' "{".
func label(labels, name string) (string, bool) {
	_, rest, ok := strings.Cut(labels, name+`="`)
	if !ok {
		return "", false
	}
	v, _, ok := strings.Cut(rest, `"`)
	return v, ok
}

// report writes the counts per handled event. "seam calls" is what the
// engine's round trips were before it kept reads and buffered writes:
// one per Get, Put, Delete, sequence call and cursor page, and two per
// transaction (BEGIN with the bucket catalog, COMMIT).
func (c engineCounts) report(out io.Writer) {
	if c.handled == 0 {
		return
	}
	per := func(v float64) float64 { return v / c.handled }
	calls := 2*c.txs + c.gets + c.puts + c.deletes + c.sequences + c.pages
	fmt.Fprintf(out, "  PostgreSQL store pool, per handled event (%.0f events, setup included): %.1f round trips (%.1f seam calls: %.1f transactions, %.1f Gets of which %.1f fetched, %.1f puts, %.1f deletes, %.1f sequence calls, %.1f cursor pages); %.1f prefetch round trips; %.2f retries\n",
		c.handled, per(c.roundTrips), per(calls), per(c.txs), per(c.gets), per(c.fetched), per(c.puts), per(c.deletes), per(c.sequences), per(c.pages), per(c.prefetches), per(c.retries))
	if len(c.retriesBy) > 0 {
		causes := slices.Sorted(maps.Keys(c.retriesBy))
		var parts []string
		for _, k := range causes {
			parts = append(parts, fmt.Sprintf("%s %.2f", k, per(c.retriesBy[k])))
		}
		fmt.Fprintf(out, "  retries per handled event by the statement that met the failure: %s\n", strings.Join(parts, ", "))
	}
}

// engineReport prints the engine's counts of the session's replicas, when
// they run on PostgreSQL and export them (an older binary does not).
func (s *session) engineReport(out io.Writer) {
	var addrs []string
	for _, cfg := range s.cfgs {
		addrs = append(addrs, cfg.addr)
	}
	if len(addrs) == 0 {
		return
	}
	c, ok, err := scrapeEngine(addrs)
	if err != nil {
		fmt.Fprintf(out, "  (engine counters not read: %v)\n", err)
		return
	}
	if ok {
		c.report(out)
	}
}
