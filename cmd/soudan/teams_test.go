package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

const (
	testTeamsID     = "12345678-1234-1234-1234-123456789abc"
	testTeamsSecret = "very-secret-password~1"
)

func TestTeamsPackage(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "soudan-teams.zip")
	stdout, err := runCommand(t, "teams-package", "-teams-app-id", testTeamsID, "-teams-app-password", testTeamsSecret, out)
	if err != nil {
		t.Fatalf("teams-package: %v", err)
	}
	wantContains(t, "stdout", stdout, "wrote "+out)
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	names := map[string]*zip.File{}
	for _, f := range zr.File {
		names[f.Name] = f
	}
	for _, want := range []string{"manifest.json", "en-us.json", "color.png", "outline.png"} {
		if names[want] == nil {
			t.Errorf("package lacks %s", want)
		}
	}
	rc, err := names["manifest.json"].Open()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	var m struct {
		ID   string `json:"id"`
		Bots []struct {
			BotID        string   `json:"botId"`
			Scopes       []string `json:"scopes"`
			CommandLists []struct {
				Commands []struct{ Title string } `json:"commands"`
			} `json:"commandLists"`
		} `json:"bots"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("manifest: %v", err)
	}
	if m.ID != testTeamsID || len(m.Bots) != 1 || m.Bots[0].BotID != testTeamsID {
		t.Errorf("manifest ids: got %q and %+v, want %s", m.ID, m.Bots, testTeamsID)
	}
	if bytes.Contains(b, []byte("{{")) || bytes.Contains(b, []byte(testTeamsSecret)) {
		t.Errorf("manifest keeps a placeholder or quotes the password:\n%s", b)
	}
	if got := strings.Join(m.Bots[0].Scopes, ","); got != "personal,team,groupChat" {
		t.Errorf("scopes: got %s", got)
	}
	var titles []string
	for _, c := range m.Bots[0].CommandLists[0].Commands {
		titles = append(titles, c.Title)
	}
	wantContains(t, "commands", strings.Join(titles, " "), "help", "ask", "mine", "mentors")
}

func TestTeamsPackageNeedsAppID(t *testing.T) {
	t.Parallel()
	m, _, _ := newMain("")
	out := filepath.Join(t.TempDir(), "x.zip")
	if err := m.ParseFlags(t.Context(), []string{"teams-package", out}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(t.Context()); err == nil || !strings.Contains(err.Error(), "SOUDAN_TEAMS_APP_ID") {
		t.Errorf("teams-package without an app id: got %v", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a package was written without an app id")
	}
}

func TestTeamsSettings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string // "" means valid
	}{
		{[]string{"-teams-app-id", testTeamsID, "-teams-app-password", testTeamsSecret}, ""},
		{[]string{"-teams-app-id", testTeamsID, "-teams-app-password", testTeamsSecret, "-teams-tenant-id", testTeamsID}, ""},
		{[]string{"-teams-addr", "127.0.0.1:3978"}, ""},
		{[]string{"-teams-app-id", "bot"}, "-teams-app-id (SOUDAN_TEAMS_APP_ID): not a Microsoft app id"},
		{[]string{"-teams-app-id", testTeamsID}, "-teams-app-password (SOUDAN_TEAMS_APP_PASSWORD): missing"},
		{[]string{"-teams-app-password", testTeamsSecret}, "-teams-app-id (SOUDAN_TEAMS_APP_ID): missing"},
		{[]string{"-teams-app-id", testTeamsID, "-teams-app-password", testTeamsSecret, "-teams-tenant-id", "contoso"}, "not a tenant id"},
		{[]string{"-teams-addr", "3978"}, "-teams-addr (SOUDAN_TEAMS_ADDR)"},
	} {
		_, err := parse(t, append([]string{"version"}, tc.args...)...)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.args, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: got %v, want %q", tc.args, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), testTeamsSecret) {
			t.Errorf("%q: the error quotes the password: %v", tc.args, err)
		}
	}
}

// TestTeamsSecretNotInHelp: -h never prints the password, even when it
// is set in the environment.
func TestTeamsSecretNotInHelp(t *testing.T) {
	t.Setenv("SOUDAN_TEAMS_APP_PASSWORD", testTeamsSecret)
	t.Setenv("SOUDAN_TEAMS_APP_ID", testTeamsID)
	m, stdout, _ := newMain("")
	_ = m.ParseFlags(t.Context(), []string{"-h"})
	help := stdout.String()
	wantContains(t, "help", help, "SOUDAN_TEAMS_APP_ID", "SOUDAN_TEAMS_APP_PASSWORD", "SOUDAN_TEAMS_TENANT_ID", "SOUDAN_TEAMS_ADDR", ":3978", "teams-package")
	if strings.Contains(help, testTeamsSecret) {
		t.Error("help prints the app password")
	}
}

// TestServeTeams runs serve with Teams alone, unauthenticated on a free
// port: a DM gets its answer posted to the service URL of the activity.
func TestServeTeams(t *testing.T) {
	t.Parallel()
	posted := make(chan string, 8)
	connector := http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		posted <- r.URL.Path + " " + string(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"m1"}`)
	})}
	ln := listen(t)
	go connector.Serve(ln)
	t.Cleanup(func() { connector.Close() })

	port := listen(t)
	addr := port.Addr().String()
	port.Close()
	m, _, stderr := newMain("")
	db := filepath.Join(t.TempDir(), "s.db")
	if err := m.ParseFlags(t.Context(), []string{"-db", db, "-teams-addr", addr}); err != nil {
		t.Fatal(err)
	}
	if m.Command != "serve" {
		t.Fatalf("command: got %q, want serve (Teams is configured)", m.Command)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	act := `{"type":"message","id":"x1","text":"help","locale":"en-US","serviceUrl":"http://` + ln.Addr().String() + `/",
		"from":{"id":"29:u","name":"U"},"recipient":{"id":"28:bot","name":"soudan"},
		"conversation":{"id":"a:dm","conversationType":"personal","tenantId":"t1"}}`
	var resp *http.Response
	var err error
	for range 100 {
		resp, err = http.Post("http://"+addr+"/api/messages", "application/json", strings.NewReader(act))
		if err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	resp.Body.Close()
	select {
	case got := <-posted:
		// Teams help shows commands as Teams users type them: no /soudan.
		wantContains(t, "reply", got, "/v3/conversations/a:dm/activities", "AdaptiveCard", "ask [--anon]")
		if strings.Contains(got, "/soudan ask") {
			t.Errorf("Teams help shows slash commands:\n%s", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no reply reached the connector")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Error(err)
	}
	wantContains(t, "log", stderr.String(), "NO APP ID")

	// The user's conversation reference is on disk, for after a restart.
	st, err := store.Open(db, store.Options{Now: m.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ref, ok, err := storetest.Read2(st, func(tx *store.Tx) ([]byte, bool, error) { return tx.AdapterState("teams", "29:u") })
	if err != nil || !ok || !strings.Contains(string(ref), ln.Addr().String()) {
		t.Errorf("saved reference of 29:u: got %s, %v, %v; want one with the service URL %s", ref, ok, err, ln.Addr())
	}
}

// listen opens a listener on a free loopback port.
func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// TestTeamsPackageNeedsNoSecret: packaging names the bot by its app id;
// the client secret is only for serving.
func TestTeamsPackageNeedsNoSecret(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "soudan-teams.zip")
	if _, err := runCommand(t, "teams-package", "-teams-app-id", testTeamsID, out); err != nil {
		t.Fatalf("teams-package with the app id alone: %v", err)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("package not written: %v", err)
	}
}
