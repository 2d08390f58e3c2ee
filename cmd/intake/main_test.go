package main

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// TestSignatureVerifiesWithSlackGo: the tool's signature is what
// slack-go's verifier (the one the adapter uses) accepts, and a changed
// body is refused.
func TestSignatureVerifiesWithSlackGo(t *testing.T) {
	body := messageEventBody("Ev1", "UA0001", "1700000000.000001", "", "相談です", time.Now())
	r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/slack/events", nil)
	signRequest(r, "application/json", body, time.Now(), 2)
	if got := r.Header.Get("X-Slack-Retry-Num"); got != "2" {
		t.Errorf("X-Slack-Retry-Num = %q, want 2", got)
	}
	for _, tc := range []struct {
		body []byte
		ok   bool
	}{{body, true}, {append(body, ' '), false}} {
		sv, err := slack.NewSecretsVerifier(r.Header, signingSecret)
		if err != nil {
			t.Fatal(err)
		}
		sv.Write(tc.body)
		if err := sv.Ensure(); (err == nil) != tc.ok {
			t.Errorf("verify: got err %v, want ok %v", err, tc.ok)
		}
	}
	// The example of Slack's documentation.
	const docBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	if got, want := signature("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", []byte(docBody)), "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"; got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 5}, {99, 10}, {100, 10}, {10, 1}, {1, 1}, {90, 9}} {
		if got := percentile(ds, tc.p); got != tc.want {
			t.Errorf("percentile(%g) = %d, want %d", tc.p, got, tc.want)
		}
	}
	if got := percentile(nil, 99); got != 0 {
		t.Errorf("percentile of none = %d, want 0", got)
	}
	if ds[0] != 5 {
		t.Errorf("percentile sorted its argument")
	}
}

// TestAccount: every kind of loss and duplicate is counted once, from the
// events sent, the posts seen and the stored consultations.
func TestAccount(t *testing.T) {
	t0 := time.Now()
	acked := t0.Add(time.Millisecond)
	q := func(n int, ok bool) event {
		e := event{ID: "EvQ" + strings.Repeat("0", 5) + string(rune('0'+n)), Marker: "q-00000" + string(rune('0'+n)), TS: "1." + string(rune('0'+n)), Sent: t0, Attempts: 1}
		if ok {
			e.Acked, e.AckTook = acked, time.Millisecond
		}
		return e
	}
	reply := func(id, thread string, attempts int) event {
		return event{ID: id, Reply: true, Thread: thread, Sent: t0, Acked: acked, Attempts: attempts}
	}
	events := []event{
		q(1, true),  // handled in its thread
		q(2, true),  // handled by a mentor card only
		q(3, true),  // lost: no consultation, no post
		q(4, true),  // stranded: stored, never posted about
		q(5, true),  // stored twice, answered in its thread twice
		q(6, false), // never acknowledged
		q(7, true),  // stored, its posts still queued for the platform's rate
		reply("EvR1", "1.1", 1),
		reply("EvR2", "1.1", 3), // lost reply, retried
	}
	posts := []post{
		{At: acked.Add(100 * time.Millisecond), Channel: channel, Thread: "1.1", Text: "受け付けました"},
		{At: acked.Add(2 * time.Second), Channel: "DM01", Text: "q-000002 の相談", Key: "consult:2:card:7"},
		{At: acked.Add(3 * time.Second), Channel: "DM02", Text: "q-000002 の相談", Key: "consult:2:card:7"}, // duplicate delivery
		{At: acked.Add(50 * time.Millisecond), Channel: channel, Thread: "1.5"},
		{At: acked.Add(60 * time.Millisecond), Channel: channel, Thread: "1.5"},
		{At: acked, Channel: channel, Thread: "1.9", Key: "consult:9:relay"}, // a keyed relay is not an answer
	}
	consults := []consultRec{
		{ID: 1, Marker: "q-000001", Messages: []string{"EvQ000001", "EvR1"}},
		{ID: 2, Marker: "q-000002"},
		{ID: 4, Marker: "q-000004"},
		{ID: 5, Marker: "q-000005"},
		{ID: 6, Marker: "q-000005"},
		{ID: 7}, // preloaded
		{ID: 8, Marker: "q-000007", Queued: true},
	}
	got := account(events, posts, consults, 4)
	want := tally{Questions: 7, Replies: 2, AckedQ: 6, AckedR: 2, Unacked: 1, Retried: 1, Lost: 1, Duplicated: 1, Stranded: 1, Queued: 1, Unhandled: 3,
		LostReplies: 1, DuplicatedDeliveries: 1, DuplicatedAcks: 1, Cards: 2, CardsExpected: 4}
	counts := got
	counts.AckLatency, counts.HandleLatency, counts.StoreLatency = nil, nil, nil
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("account:\n got %+v\nwant %+v", counts, want)
	}
	if got.losses() != 6 {
		t.Errorf("losses = %d, want 6", got.losses())
	}
	if len(got.AckLatency) != 8 {
		t.Errorf("ack latencies = %d, want 8 (every acknowledged event)", len(got.AckLatency))
	}
	if len(got.StoreLatency) != 5 {
		t.Errorf("store latencies = %v, want 5 (the acknowledged questions stored)", got.StoreLatency)
	}
	if len(got.HandleLatency) != 3 || percentile(got.HandleLatency, 100) != 2*time.Second || percentile(got.HandleLatency, 1) != 50*time.Millisecond {
		t.Errorf("handling latencies = %v, want 100ms, 2s and 50ms", got.HandleLatency)
	}
	// Without the data file, only what the posts show is counted.
	if t2 := account(events, posts, nil, 0); t2.Lost+t2.Stranded+t2.LostReplies+t2.Duplicated != 0 || t2.Unhandled != 3 {
		t.Errorf("account without the file counted file losses: %+v", t2)
	}
}

// TestKeptUp: a step is kept up only when all was acknowledged and
// stored in time and the load kept its pace.
func TestKeptUp(t *testing.T) {
	fast := []time.Duration{time.Millisecond, 2 * time.Second}
	slow := append(fast, 4*time.Second)
	for _, tc := range []struct {
		name          string
		offered, sent int
		t             tally
		want          bool
	}{
		{"all in time", 100, 100, tally{AckedQ: 2, StoreLatency: fast}, true},
		{"p99 too slow", 100, 100, tally{AckedQ: 3, StoreLatency: slow}, false},
		{"one not stored", 100, 100, tally{AckedQ: 3, StoreLatency: fast}, false},
		{"one lost", 100, 100, tally{AckedQ: 2, StoreLatency: fast, Lost: 1}, false},
		{"one unacked", 100, 100, tally{AckedQ: 2, StoreLatency: fast, Unacked: 1}, false},
		{"pace not kept", 100, 90, tally{AckedQ: 2, StoreLatency: fast}, false},
	} {
		if got := keptUp(tc.offered, tc.sent, tc.t); got != tc.want {
			t.Errorf("%s: keptUp = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestOptionValue(t *testing.T) {
	view := map[string]any{"blocks": []any{map[string]any{"element": map[string]any{"options": []any{
		map[string]any{"text": map[string]any{"type": "plain_text", "text": "その他"}, "value": "1"},
		map[string]any{"text": map[string]any{"type": "plain_text", "text": "intake"}, "value": "2"},
	}}}}}
	if v, ok := optionValue(view, "intake"); !ok || v != "2" {
		t.Errorf("optionValue = %q, %v; want 2", v, ok)
	}
	if _, ok := optionValue(view, "missing"); ok {
		t.Errorf("found a missing option")
	}
}

func TestMetadataKey(t *testing.T) {
	if got := metadataKey(`{"event_type":"soudan_delivery","event_payload":{"key":"consult:3:card:5"}}`); got != "consult:3:card:5" {
		t.Errorf("metadataKey = %q", got)
	}
	if got := metadataKey(""); got != "" {
		t.Errorf("metadataKey of nothing = %q", got)
	}
}
