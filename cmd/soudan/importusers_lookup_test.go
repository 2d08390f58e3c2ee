package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/soudan/soudan/store"
)

// fakeSlackLookup serves users.lookupByEmail: known maps an email to a
// user id. It counts requests and records whether each carried the token.
func fakeSlackLookup(t *testing.T, known map[string]string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/users.lookupByEmail" {
			t.Errorf("unexpected Slack call %s", r.URL.Path)
		}
		r.ParseForm()
		if r.Form.Get("token") != "xoxb-test" && r.Header.Get("Authorization") != "Bearer xoxb-test" {
			t.Errorf("lookup without the bot token")
		}
		w.Header().Set("Content-Type", "application/json")
		if id, ok := known[r.Form.Get("email")]; ok {
			fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"team_id":"T1","name":"x"}}`, id)
			return
		}
		fmt.Fprint(w, `{"ok":false,"error":"users_not_found"}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestImportUsersLookupByEmail(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	srv, calls := fakeSlackLookup(t, map[string]string{"sato@example.com": "U9001", "dup@example.com": "U0001"})
	csv := "platform,workspace,user,email,name\n" +
		"slack,T1,,sato@example.com,Sato\n" +
		"slack,T1,U0001,,One\n" +
		"slack,T1,,nobody@example.com,Nobody\n" +
		"slack,T1,,dup@example.com,Dup\n"
	token := []string{"-slack-bot-token", "xoxb-test", "-slack-api-url", srv.URL}
	out, err := importRun(t, db, csv, token...)
	if err == nil {
		t.Fatalf("unknown email accepted:\n%s", out)
	}
	wantContains(t, "output", out, "line 4: no Slack user has this email", "line 5: the same user as line 3 (slack/T1/U0001)")
	if strings.Contains(out, "xoxb-test") || strings.Contains(out, "nobody@example.com") {
		t.Errorf("the output quotes the token or an email:\n%s", out)
	}
	if calls.Load() != 3 {
		t.Errorf("%d lookups, want 3", calls.Load())
	}
	out, err = importRun(t, db, csv, append(token, "-skip-invalid")...)
	if err != nil {
		t.Fatalf("-skip-invalid: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "created 2", "line 2: create slack/T1/U9001")
	d := dump(t, db)
	if !strings.Contains(d, `"platform_id":"U9001","name":"Sato"`) {
		t.Errorf("Sato not stored under the id found by email:\n%s", d)
	}

	// Without a token an email-only Slack row is an error that says why.
	out, err = importRun(t, db, csv)
	if err == nil || !strings.Contains(out, "line 2: Slack user with only an email: set -slack-bot-token") {
		t.Errorf("email-only row without a token: %v\n%s", err, out)
	}
}

// TestImportUsersDefaultsTheOneWorkspace: a directory export from HR has
// no platform or workspace column; when the data file knows exactly one
// workspace its rows go there (the output says so), with several or none
// the file is refused naming why, and departments the list lacks are
// noted.
func TestImportUsersDefaultsTheOneWorkspace(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	hr := "user,name,department,join_year,manager_of\nU1,佐藤,総務,2015,\nU2,鈴木,広報課,2020,総務課;広報課\n"
	out, err := importRun(t, db, hr)
	if err == nil || !strings.Contains(out, "no platform or workspace column, and the data file and settings know no single workspace to use (the data file has no Slack or Teams users yet") {
		t.Fatalf("on a new data file: %v\n%s; want a refusal saying no workspace is known", err, out)
	}
	if _, err := importRun(t, db, "platform,workspace,user,name\nslack,T1,U9,先輩\n"); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(tx *store.Tx) error {
		_, err := tx.Departments().Create(store.Department{Name: "総務課", Aliases: []string{"総務"}})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, err = importRun(t, db, hr)
	if err != nil {
		t.Fatalf("with one workspace: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "2 rows without a platform and workspace: slack/T1, the only workspace of the data file's users",
		`line 3: note: department "広報課" is not in the department list`, "created 2")
	if strings.Contains(out, `"総務"`) || strings.Count(out, "広報課") != 1 {
		t.Errorf("notes: want 広報課 once and not 総務 (an alias):\n%s", out)
	}
	wantContains(t, "stored", dump(t, db), `"platform":"slack","workspace":"T1","platform_id":"U2","name":"鈴木"`)
	// A second workspace: which one is not for the import to guess.
	if _, err := importRun(t, db, "platform,workspace,user\nteams,tenant-2,29:x\n"); err != nil {
		t.Fatal(err)
	}
	out, err = importRun(t, db, hr)
	if err == nil || !strings.Contains(out, "the data file knows slack/T1, teams/tenant-2") {
		t.Errorf("with two workspaces: %v\n%s; want a refusal naming both", err, out)
	}
}

// Rate limits are waited out; a bad token fails the whole import without
// quoting the token, and applies nothing.
func TestImportUsersLookupRateLimitAndBadToken(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("token") == "xoxb-revoked" && r.Header.Get("Authorization") != "Bearer xoxb-good" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"ok":false,"error":"invalid_auth"}`)
			return
		}
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true,"user":{"id":"U7","team_id":"T1"}}`)
	}))
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "soudan.db")
	csv := "platform,workspace,email\nslack,T1,a@example.com\n"
	out, err := importRun(t, db, csv, "-slack-bot-token", "xoxb-good", "-slack-api-url", srv.URL)
	if err != nil || calls.Load() != 2 {
		t.Fatalf("import after a 429: %v, %d calls\n%s", err, calls.Load(), out)
	}
	wantContains(t, "output", out, "line 2: create slack/T1/U7")

	db2 := filepath.Join(t.TempDir(), "soudan.db")
	out, err = importRun(t, db2, csv, "-slack-bot-token", "xoxb-revoked", "-slack-api-url", srv.URL)
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") || strings.Contains(err.Error()+out, "xoxb-revoked") {
		t.Errorf("bad token: %v\n%s", err, out)
	}
	if d := dump(t, db2); d != "" {
		t.Errorf("a failed lookup wrote users:\n%s", d)
	}
}
