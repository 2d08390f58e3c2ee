package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack"
	"github.com/soudan/soudan/bot/slack/slackfake"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// startListenBot runs serve with args and -listen on a free loopback
// port, and returns the base URL of the one listener.
func startListenBot(t *testing.T, args ...string) (*testBot, string) {
	t.Helper()
	b := startBot(t, append(args, "-listen", "127.0.0.1:0")...)
	waitUntil(t, "the shared listener", func() bool { return b.m.ListenAddr() != nil })
	return b, "http://" + b.m.ListenAddr().String()
}

// waitReady waits until /readyz answers 200: until then the Slack
// adapter refuses events with a 503 (Slack sends them again), as it does
// until auth.test has told it who the bot is.
func waitReady(t *testing.T, base string) {
	t.Helper()
	waitUntil(t, "/readyz 200", func() bool {
		resp, err := http.Get(base + pathReady)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// httpGet returns the status and body of GET base+path.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// scrape parses /metrics.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	status, body := httpGet(t, base+pathMetrics)
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, body)
	}
	return fams
}

// sumOf adds up the counter (or untyped, gauge) values of a family whose
// labels include want.
func sumOf(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var sum float64
	f := fams[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.GetMetric() {
		for k, v := range want {
			found := false
			for _, l := range m.GetLabel() {
				if l.GetName() == k && l.GetValue() == v {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

// TestListenServesSlackHealthAndMetrics: with -listen, one address serves
// Slack's HTTP mode, /livez, /readyz and /metrics; a signed event is
// accepted there and counted.
func TestListenServesSlackHealthAndMetrics(t *testing.T) {
	t.Parallel()
	f := slackfake.NewWithToken(t, testSlackBot)
	b, base := startListenBot(t, slackHTTPArgs(f)...)
	waitReady(t, base)
	if strings.Contains(b.log.String(), "(HTTP mode)") {
		t.Errorf("the Slack adapter listens on its own with -listen:\n%s", b.log)
	}
	if status, body := httpGet(t, base+pathLive); status != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("GET /livez = %d %q, want 200 ok", status, body)
	}
	waitUntil(t, "/readyz 200", func() bool { status, _ := httpGet(t, base+pathReady); return status == http.StatusOK })

	fams := scrape(t, base)
	for _, name := range []string{
		"soudan_events_received_total", "soudan_events_handled_total", "soudan_inbox_depth", "soudan_outbox_pending", "soudan_survey_rounds_open",
		"soudan_outbox_sends_total", "soudan_platform_rate_limited_total", "soudan_store_commits_total",
	} {
		if fams[name] == nil {
			t.Errorf("/metrics has no %s", name)
		}
	}
	if n := sumOf(fams, "soudan_events_received_total", map[string]string{"platform": "slack"}); n != 0 {
		t.Errorf("events received before any = %v, want 0", n)
	}

	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	body := slackfake.EventBody("Ev-listen-1", slackTanaka, "異動後の引き継ぎについて相談です")
	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", body, 0); status != http.StatusOK {
		t.Fatalf("event on the shared listener: status %d, want 200", status)
	}
	f.WaitPostTo("DTANAKA", "異動後の引き継ぎについて相談です")

	// A scrape gathers the metrics concurrently, not as one snapshot:
	// wait for the counter and the histogram both.
	waitUntil(t, "the event in the metrics", func() bool {
		fams = scrape(t, base)
		return sumOf(fams, "soudan_events_handled_total", map[string]string{"platform": "slack", "result": "ok"}) >= 1 &&
			sumOf(fams, "soudan_handler_duration_seconds", map[string]string{"platform": "slack"}) >= 1
	})
	if n := sumOf(fams, "soudan_events_received_total", map[string]string{"platform": "slack", "kind": bot.KindPost.String()}); n != 1 {
		t.Errorf("soudan_events_received_total{platform=slack,kind=post} = %v, want 1", n)
	}
	if n := sumOf(fams, "soudan_handler_duration_seconds", map[string]string{"platform": "slack"}); n < 1 {
		t.Errorf("soudan_handler_duration_seconds count = %v, want at least 1", n)
	}
	if n := sumOf(fams, "soudan_store_commits_total", nil); n < 1 {
		t.Errorf("soudan_store_commits_total = %v, want at least 1", n)
	}
	for name, fam := range fams {
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), slackTanaka) || strings.Contains(l.GetValue(), "相談") {
					t.Errorf("%s has a user or text in a label: %s=%q", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
	// A request that is not signed is refused on the shared listener too.
	r, _ := http.NewRequest(http.MethodPost, base+slack.PathEvents, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned event: status %d, want 401", resp.StatusCode)
	}
}

// TestListenServesTeams: with -listen, Teams' /api/messages is on the one
// listener and Teams does not listen on its own.
func TestListenServesTeams(t *testing.T) {
	t.Parallel()
	b, base := startListenBot(t, "-teams-addr", "127.0.0.1:0")
	b.waitLog("teams: serving on the shared listener")
	waitUntil(t, "/readyz 200", func() bool { status, _ := httpGet(t, base+pathReady); return status == http.StatusOK })
	resp, err := http.Post(base+"/api/messages", "application/json", strings.NewReader(`{"type":"conversationUpdate","id":"a1","serviceUrl":"http://127.0.0.1:1/","channelId":"msteams","conversation":{"id":"c1"},"from":{"id":"u1"},"recipient":{"id":"b1"}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST /api/messages on the shared listener: status %d, want 200", resp.StatusCode)
	}
	if strings.Contains(b.log.String(), `msg="teams: listening"`) {
		t.Errorf("Teams listens on its own with -listen")
	}
}

// notReady is an adapter that is not ready.
type notReady struct{ bot.Adapter }

func (notReady) Platform() string { return "slack" }
func (notReady) Ready() error     { return io.ErrUnexpectedEOF }

// TestReadyzReportsAStuckOutbox: /readyz is 503, with a reason per failed
// check, while the oldest due outbox message is long past due and nothing
// was sent, and 200 once the outbox records attempts again.
func TestReadyzReportsAStuckOutbox(t *testing.T) {
	t.Parallel()
	st, err := store.Open(filepath.Join(t.TempDir(), "soudan.db"), store.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, _, err := storetest.Write2(st, func(tx *store.Tx) (store.OutboxBatch, []store.OutboxItem, error) {
		return tx.Outbox().Enqueue(nil, []store.OutboxItem{{Platform: "slack", Workspace: "T1", User: "U1", Key: "k1", Payload: []byte(`{"text":"x"}`)}})
	}); err != nil {
		t.Fatal(err)
	}
	now := fixedNow.Add(time.Hour)
	r := &readiness{st: st, now: func() time.Time { return now }}
	get := func() (int, string) {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, pathReady, nil))
		return w.Code, w.Body.String()
	}
	if code, body := get(); code != http.StatusServiceUnavailable || !strings.Contains(body, "outbox: the oldest due message is 1h0m0s past due") {
		t.Errorf("/readyz = %d %q, want 503 naming the outbox", code, body)
	}
	r.sent()
	if code, body := get(); code != http.StatusOK {
		t.Errorf("/readyz after a send = %d %q, want 200", code, body)
	}
	now = now.Add(outboxStuckAfter + time.Minute)
	r.adapters = []bot.Adapter{notReady{}}
	code, body := get()
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "outbox:") || !strings.Contains(body, "slack: unexpected EOF") {
		t.Errorf("/readyz = %d %q, want 503 with the outbox and slack lines", code, body)
	}
	if lines := strings.Split(strings.TrimSpace(body), "\n"); len(lines) != 2 {
		t.Errorf("/readyz reasons = %q, want one line per failed check", lines)
	}
	// Due but recently due is not stuck.
	now = fixedNow.Add(time.Minute)
	r.adapters = nil
	r.progress.Store(0)
	if code, body := get(); code != http.StatusOK {
		t.Errorf("/readyz with a message 1m past due = %d %q, want 200", code, body)
	}
}

// TestListenSetting: -listen must be host:port; with it, Slack's HTTP mode
// needs no -http-addr.
func TestListenSetting(t *testing.T) {
	t.Parallel()
	m, _, _ := newMain("")
	err := m.ParseFlags(context.Background(), []string{"serve", "-listen", "nope"})
	if err == nil || !strings.Contains(err.Error(), "-listen (SOUDAN_LISTEN)") {
		t.Errorf("ParseFlags(-listen nope) = %v, want an error naming -listen", err)
	}
	m, _, _ = newMain("")
	args := []string{"serve", "-listen", ":8080", "-http-addr", "", "-slack-bot-token", testSlackBot, "-slack-signing-secret", testSlackSecret}
	if err := m.ParseFlags(context.Background(), args); err != nil {
		t.Errorf("ParseFlags(-listen with Slack HTTP mode and no -http-addr) = %v, want nil", err)
	}
}

// TestListenWithSocketMode: Socket Mode is unaffected by -listen, which
// then serves health and metrics only; /readyz holds once connected.
func TestListenWithSocketMode(t *testing.T) {
	t.Parallel()
	f := slackfake.NewWithToken(t, testSlackBot)
	b, base := startListenBot(t, slackSocketArgs(f)...)
	b.waitLog("slack: connected (Socket Mode)")
	waitUntil(t, "/readyz 200", func() bool { status, _ := httpGet(t, base+pathReady); return status == http.StatusOK })
	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", slackfake.EventBody("Ev-x", slackTanaka, "x"), 0); status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
		t.Errorf("Slack's HTTP path in Socket Mode: status %d, want 404", status)
	}
	if fams := scrape(t, base); fams["soudan_outbox_pending"] == nil {
		t.Errorf("/metrics has no soudan_outbox_pending")
	}
}

// slackHTTPArgs are serve's settings for Slack's HTTP mode on a free
// loopback port, with the fake's Web API.
func slackHTTPArgs(f *slackfake.Server) []string {
	return []string{"-slack-bot-token", testSlackBot, "-slack-signing-secret", testSlackSecret, "-http-addr", "127.0.0.1:0", "-slack-api-url", f.APIURL()}
}

// slackSocketArgs are serve's settings for Socket Mode with the fake.
func slackSocketArgs(f *slackfake.Server) []string {
	return []string{"-slack-bot-token", testSlackBot, "-slack-app-token", testSlackApp, "-slack-api-url", f.APIURL()}
}
