package main

import (
	"strings"
	"testing"
)

// TestParseEngine: the store pool's counters and the handled events are
// summed; the inbox pool's and other series are not.
func TestParseEngine(t *testing.T) {
	const exposition = `# HELP soudan_events_handled_total Events handled.
# TYPE soudan_events_handled_total counter
soudan_events_handled_total{kind="post",platform="slack",result="ok"} 90
soudan_events_handled_total{kind="command",platform="slack",result="ok"} 10
soudan_store_pg_round_trips_total{pool="inbox"} 5000
soudan_store_pg_round_trips_total{pool="store"} 1200
soudan_store_pg_transactions_total{mode="read",pool="store"} 100
soudan_store_pg_transactions_total{mode="write",pool="store"} 200
soudan_store_pg_kv_calls_total{op="get",pool="store"} 3000
soudan_store_pg_kv_calls_total{op="put",pool="store"} 700
soudan_store_pg_gets_fetched_total{pool="store"} 900
soudan_store_pg_retries_total{cause="sequence",pool="store"} 150
soudan_store_pg_retries_total{cause="commit",pool="store"} 50
soudan_store_pg_retries_total{cause="sequence",pool="inbox"} 7
soudan_outbox_pending 3
`
	var c engineCounts
	found, err := parseEngine(strings.NewReader(exposition), &c)
	if err != nil || !found {
		t.Fatalf("parseEngine = %v, %v", found, err)
	}
	if c.handled != 100 || c.roundTrips != 1200 || c.txs != 300 || c.gets != 3000 || c.puts != 700 || c.fetched != 900 {
		t.Errorf("counts = %+v", c)
	}
	var b strings.Builder
	c.report(&b)
	for _, want := range []string{"12.0 round trips (43.0 seam calls", "2.00 retries", "commit 0.50, sequence 1.50"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report = %q, want it to contain %q", b.String(), want)
		}
	}
	var none engineCounts
	if found, _ := parseEngine(strings.NewReader("soudan_events_handled_total 4\n"), &none); found {
		t.Error("a bot without engine counters reported some")
	}
}
