package teams

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/bot/teams/teamsfake"

	"github.com/soudan/soudan/bot"
)

// TestConcurrentRequests sends many activities at once, each answered
// with a reply: under -race this checks the key, token and reference
// caches. Keys and tokens are fetched once.
func TestConcurrentRequests(t *testing.T) {
	rc := &recorder{fn: replyWith("ok")}
	e := newEnv(t, rc)
	const n = 40
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			user := fmt.Sprintf("29:u%d", i%7)
			act := e.bf.DMActivity(fmt.Sprintf("a%d", i), user, "u", "help")
			b, _ := json.Marshal(act)
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+Path, bytes.NewReader(b))
			req.Header.Set("Authorization", "Bearer "+e.bf.ValidToken())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		})
	}
	wg.Wait()
	e.a.busy.Wait()
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("request %d: status %d, want 200", i, s)
		}
	}
	if got := len(rc.messages()); got != n {
		t.Errorf("dispatched %d, want %d", got, n)
	}
	if got := len(e.bf.Calls()); got != n {
		t.Errorf("replies sent %d, want %d", got, n)
	}
	if keys, tokens := e.bf.KeyFetches(), e.bf.TokenRequests(); keys != 1 || tokens != 1 {
		t.Errorf("keys fetched %d times, tokens %d times; want 1 and 1", keys, tokens)
	}
}

// TestHandlerPanic: a panic in the dispatcher is logged; the server goes
// on serving.
func TestHandlerPanic(t *testing.T) {
	rc := &recorder{fn: func(context.Context, *bot.Message, bot.Responder) error { panic("boom") }}
	e := newEnv(t, rc)
	if got, _ := e.post(e.bf.DMActivity("p1", "29:u", "u", "help"), e.bf.ValidToken()); got != http.StatusOK {
		t.Errorf("status: got %d, want 200", got)
	}
	if !strings.Contains(e.log.String(), "panic handling a message") {
		t.Errorf("panic not logged:\n%s", e.log.String())
	}
	rc.mu.Lock()
	rc.fn = nil
	rc.mu.Unlock()
	if got, _ := e.post(e.bf.DMActivity("p2", "29:u", "u", "help"), e.bf.ValidToken()); got != http.StatusOK || len(rc.messages()) != 2 {
		t.Errorf("after the panic: status %d, %d dispatched", got, len(rc.messages()))
	}
}

// TestRun listens, serves, warns when unauthenticated, and stops when
// the context ends.
func TestRun(t *testing.T) {
	bf := teamsfake.New(t)
	buf := &bottest.Buffer{}
	a, err := New(Options{Addr: "127.0.0.1:0", Endpoints: endpoints(bf), Log: slog.New(slog.NewTextHandler(buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rc := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, rc) }()
	deadline := time.Now().Add(5 * time.Second)
	for a.Addr() == nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if a.Addr() == nil {
		t.Fatal("Run did not listen")
	}
	b, _ := json.Marshal(bf.DMActivity("r1", "29:u", "u", "help"))
	resp, err := http.Post("http://"+a.Addr().String()+Path, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status: got %d, want 200", resp.StatusCode)
	}
	if resp, err := http.Get("http://" + a.Addr().String() + Path); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET: got %d, want 405", resp.StatusCode)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not stop")
	}
	if len(rc.messages()) != 1 {
		t.Errorf("dispatched %d, want 1", len(rc.messages()))
	}
	if !strings.Contains(buf.String(), "NO APP ID") {
		t.Errorf("no loud warning about running unauthenticated:\n%s", buf.String())
	}
}

// TestNewRefusesHalfCredentials.
func TestNewRefusesHalfCredentials(t *testing.T) {
	for _, o := range []Options{{AppID: teamsfake.AppID}, {AppPassword: "x"}, {AppID: teamsfake.AppID, AppPassword: "x", TenantID: "a/b"}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v): got no error", Options{AppID: o.AppID, TenantID: o.TenantID})
		} else if o.AppPassword != "" && strings.Contains(err.Error(), o.AppPassword) {
			t.Errorf("error quotes the password: %v", err)
		}
	}
}
