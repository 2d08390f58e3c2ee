package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/soudan/soudan/bot/slack"
	"github.com/soudan/soudan/bot/slack/slackfake"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
	"github.com/soudan/soudan/store/kvcopy"
	"github.com/soudan/soudan/store/pgstore"
)

// runCmd runs one soudan command line in-process to its end and returns
// its output, failing t when it fails.
func runCmd(t *testing.T, script string, args ...string) string {
	t.Helper()
	out, err := tryCmd(script, args...)
	if err != nil {
		t.Fatalf("soudan %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// tryCmd runs one soudan command line in-process and returns its output
// and error.
func tryCmd(script string, args ...string) (string, error) {
	m, stdout, stderr := newMain(script)
	err := m.ParseFlags(context.Background(), args)
	if err == nil {
		err = m.Run(context.Background())
	}
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	return stdout.String() + stderr.String(), err
}

// TestMigrateRoundTrip: a data file's topics go to PostgreSQL, the
// console runs there (-store), and what it added there comes back into a
// new data file; a second copy into the now used database is refused.
func TestMigrateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	file, back := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "back.db")
	url := pgtest.URL(t)
	runCmd(t, "/soudan admin topic add キャリア career\n", "console", "-db", file, "-console-user", "佐藤")
	// A Slack event acknowledged and not handled yet, in the file's inbox:
	// it goes with the data both ways (the console does not serve Slack,
	// so it stays pending throughout).
	st, err := store.Open(file, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Inbox().Record(store.InboxEntry{Key: "slack:EvPending", Platform: "slack", Message: []byte(`{"Text":"未処理の相談"}`)}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	out := runCmd(t, "", "migrate", "-from", file, "-to", url)
	if !strings.Contains(out, "every bucket's checksum matches") || !strings.Contains(out, "topics") || !strings.Contains(out, "and 1 events recorded in the inbox") {
		t.Fatalf("migrate to PostgreSQL printed:\n%s", out)
	}
	// The copy has the planner's statistics (ANALYZE) before a replica
	// starts on it: a table never analysed has reltuples -1.
	if n := reltuples(t, url); n <= 0 {
		t.Errorf("after migrate, soudan_kv's reltuples = %v: the copy was not analysed", n)
	}
	out = runCmd(t, "/soudan admin topic list\n/soudan admin topic add 育児 childcare\n", "console", "-store", url, "-console-user", "佐藤")
	if !strings.Contains(out, "キャリア") {
		t.Fatalf("the console on PostgreSQL does not know the migrated topic:\n%s", out)
	}

	if out, err := tryCmd("", "migrate", "-from", file, "-to", url); !errors.Is(err, kvcopy.ErrNotEmpty) {
		t.Fatalf("a second migrate into the used database: %v, want ErrNotEmpty\n%s", err, out)
	}
	runCmd(t, "", "migrate", "-from", url, "-to", back)
	st, err = store.Open(back, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	es, err := st.Inbox().Entries()
	st.Close()
	if err != nil || len(es) != 1 || es[0].Key != "slack:EvPending" {
		t.Errorf("the new file's inbox after the round trip = %+v, %v; want the pending slack:EvPending", es, err)
	}
	out = runCmd(t, "/soudan admin topic list\n", "console", "-db", back, "-console-user", "佐藤")
	for _, want := range []string{"キャリア", "育児"} {
		if !strings.Contains(out, want) {
			t.Errorf("after the round trip the topic list lacks %s:\n%s", want, out)
		}
	}
	if out, err := tryCmd("", "migrate", "-from", url, "-to", back); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("migrate onto an existing file: %v, want a refusal\n%s", err, out)
	}
}

// TestStoreFlagRefusesFileCommands: with -store the commands that work on
// the data file's bytes say so instead of opening a file nobody meant.
func TestStoreFlagRefusesFileCommands(t *testing.T) {
	for _, args := range [][]string{
		{"backup", "x.db"}, {"compact"}, {"check", "x.db"}, {"export", "json", "x.json"},
	} {
		_, err := parse(t, append(args, "-store", "postgres://localhost/soudan")...)
		if err == nil || !strings.Contains(err.Error(), "works on the data file") {
			t.Errorf("%v with -store: %v, want a refusal", args, err)
		}
	}
	if _, err := parse(t, "serve", "-store", "/var/lib/soudan.db"); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Errorf("-store with a file name: %v, want a refusal naming postgres://", err)
	}
	if _, err := parse(t, "serve", "-store", "postgres://localhost/soudan", "-backup-dir", "/tmp"); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("-backup-dir with -store: %v, want a refusal", err)
	}
	if _, err := parse(t, "migrate", "-from", "a.db"); err == nil {
		t.Error("migrate without -to: no error")
	}
}

// TestServeOnPostgres: the whole bot serves Slack's HTTP mode on a
// PostgreSQL store; /readyz fails, naming the store, once the database
// is gone.
func TestServeOnPostgres(t *testing.T) {
	url := pgtest.URL(t)
	f := slackfake.NewWithToken(t, testSlackBot)
	_, base := startListenBot(t, append(slackHTTPArgs(f), "-store", url)...)
	waitReady(t, base)
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	body := slackfake.EventBody("Ev-pg-1", slackTanaka, "異動後の引き継ぎについて相談です")
	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", body, 0); status != http.StatusOK {
		t.Fatalf("event: status %d, want 200", status)
	}
	f.WaitPostTo("DTANAKA", "異動後の引き継ぎについて相談です")

	dropDatabase(t, url)
	waitUntil(t, "/readyz 503 naming the store", func() bool {
		status, body := httpGet(t, base+pathReady)
		return status == http.StatusServiceUnavailable && strings.Contains(body, "store:")
	})
	// An event it cannot record is not acknowledged: Slack retries it,
	// on another replica behind the load balancer.
	body = slackfake.EventBody("Ev-pg-2", slackTanaka, "データベースが落ちている間の相談")
	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", body, 0); status < 500 {
		t.Errorf("event without the database: status %d, want a 5xx so that Slack retries", status)
	}
}

// TestReadyzFailsWithoutDatabase: the probe answers within its bound,
// with a store line, while the database does not answer.
func TestReadyzFailsWithoutDatabase(t *testing.T) {
	url := pgtest.URL(t)
	st, err := pgstore.Open(url, store.Options{Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := &readiness{st: st, now: func() time.Time { return fixedNow }}
	get := func() (int, string) {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest(http.MethodGet, pathReady, nil))
		return w.Code, w.Body.String()
	}
	if code, body := get(); code != http.StatusOK {
		t.Fatalf("/readyz = %d %q, want 200", code, body)
	}
	dropDatabase(t, url)
	start := time.Now()
	code, body := get()
	if code != http.StatusServiceUnavailable || !strings.HasPrefix(body, "store: ") {
		t.Errorf("/readyz without the database = %d %q, want 503 with a store line", code, body)
	}
	if d := time.Since(start); d > readyStoreTimeout+time.Second {
		t.Errorf("/readyz took %s without the database, want at most about %s", d, readyStoreTimeout)
	}
}

// dropDatabase drops the database of url on its server, closing every
// connection to it: from the bot's side, the database is gone.
func dropDatabase(t *testing.T, dbURL string) {
	t.Helper()
	u, err := neturl.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	if err := pgtest.Exec(pgtest.ServerURL(t), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
}

// TestServeOnOneConnection: the whole bot handles a question on a
// PostgreSQL store whose pool has one connection. A read transaction
// opened inside a handler's transaction (a helper that reads on its own)
// waits there forever for a second connection; with a pool of a few
// connections the same mistake deadlocks a replica under load, when every
// connection is held by such a handler.
func TestServeOnOneConnection(t *testing.T) {
	url := pgtest.URL(t) + "&pool_max_conns=1"
	f := slackfake.NewWithToken(t, testSlackBot)
	_, base := startListenBot(t, append(slackHTTPArgs(f), "-store", url)...)
	waitReady(t, base)
	f.AddUser(slackTanaka, "田中", "ja-JP", "Asia/Tokyo")
	body := slackfake.EventBody("Ev-pg-one-1", slackTanaka, "一つの接続でも相談できますか")
	if status, _ := slackPost(t, base, slack.PathEvents, "application/json", body, 0); status != http.StatusOK {
		t.Fatalf("event: status %d, want 200", status)
	}
	f.WaitPostTo("DTANAKA", "一つの接続でも相談できますか")
}

// reltuples is the planner's row count of the store's table at url, -1
// while the table was never analysed.
func reltuples(t *testing.T, url string) float64 {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n float64
	if err := conn.QueryRow(ctx, `SELECT reltuples FROM pg_class WHERE relname = 'soudan_kv'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
