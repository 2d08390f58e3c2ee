package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/teams"
)

// dispatched collects what the adapter dispatches.
type dispatched chan *bot.Message

func (d dispatched) Dispatch(_ context.Context, m *bot.Message, _ bot.Responder) error {
	d <- m
	return nil
}

// TestTeamsActivitiesAsTheAdapterReads: the activities the tool sends
// are read by the real Teams adapter (unauthenticated) as meant: a
// question at top level in the channel, a reply in its thread, a command
// in personal chat, a command mentioning the bot in the channel, and the
// mentor form's Action.Execute as a form submission.
func TestTeamsActivitiesAsTheAdapterReads(t *testing.T) {
	a, err := teams.New(teams.Options{Addr: "127.0.0.1:0", InvokeWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := make(dispatched, 8)
	srv := httptest.NewServer(a.Handler(context.Background(), d))
	defer srv.Close()
	service := "http://127.0.0.1:9/"
	now := time.Now()
	send := func(act map[string]any) *bot.Message {
		t.Helper()
		status, body, err := postActivity(&http.Client{Timeout: 5 * time.Second}, srv.URL, act)
		if err != nil || status != http.StatusOK {
			t.Fatalf("activity %v: status %d %s: %v", act["id"], status, body, err)
		}
		select {
		case m := <-d:
			return m
		case <-time.After(5 * time.Second):
			t.Fatalf("activity %v: not dispatched", act["id"])
			return nil
		}
	}

	q := &event{ID: "1700000000000001", TS: "1700000000000001", User: askerID(0), Text: "異動の相談です (q-000001)"}
	var act map[string]any
	if err := json.Unmarshal(teamsMessageBody(service, q, now), &act); err != nil {
		t.Fatal(err)
	}
	m := send(act)
	if m.Kind != bot.KindPost || m.ID != q.ID || m.Direct || m.Address.Channel != teamsChannel || m.Address.Thread != "" || m.Self != q.TS || m.User.ID != teamsUser(q.User) || !strings.Contains(m.Text, "q-000001") {
		t.Errorf("question: got %+v", m)
	}

	r := &event{ID: "1700000001000001", TS: "1700000001000001", Reply: true, Thread: q.TS, User: mentorID(0), Text: "answer r-000001"}
	if err := json.Unmarshal(teamsMessageBody(service, r, now), &act); err != nil {
		t.Fatal(err)
	}
	m = send(act)
	if m.Kind != bot.KindPost || m.ID != r.ID || m.Address.Channel != teamsChannel || m.Address.Thread != q.TS || m.User.ID != teamsUser(mentorID(0)) {
		t.Errorf("reply: got %+v", m)
	}

	m = send(teamsActivity(service, "s1", teamsUser(adminUser), "personal", "", "/soudan admin topic add "+topicName, false, now))
	if m.Kind != bot.KindCommand || m.Command != "admin" || !m.Direct {
		t.Errorf("command in personal chat: got %+v", m)
	}
	m = send(teamsActivity(service, "s2", teamsUser(adminUser), "channel", "", "admin topic map here "+topicName, true, now))
	if !m.BotMentioned || m.Address.Channel != teamsChannel || !strings.HasPrefix(m.Text, "admin topic map here") {
		t.Errorf("command mentioning the bot: got %+v", m)
	}

	data := map[string]any{"soudan_form": "mentor", "join_year": "2012", "topics": "7"}
	m = send(teamsExecute(service, "s3", teamsUser(mentorID(0)), "card-1", "mentor", data, now))
	if m.Kind != bot.KindFormSubmit || m.Action.ID != "mentor" || m.Form["join_year"] != "2012" || m.Form["topics"] != "7" {
		t.Errorf("form submission: got %+v", m)
	}
}

func TestTeamsDMChannel(t *testing.T) {
	for in, want := range map[string]string{"29:UM01": "DM01", "29:UA0001": "DA0001", "29:UADMIN": "DADMIN"} {
		if got := teamsDMChannel(in); got != want {
			t.Errorf("teamsDMChannel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFormCardData finds the form's Action.Execute, merges the inputs and
// picks a choice by its title.
func TestFormCardData(t *testing.T) {
	card := `{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{
		"body":[{"type":"TextBlock","text":"登録"},{"type":"Input.ChoiceSet","id":"topics","isMultiSelect":true,"choices":[{"title":"other","value":"1"},{"title":"intake","value":"2"}]}],
		"actions":[{"type":"Action.Execute","verb":"mentor","data":{"soudan_form":"mentor","soudan_value":""}}]}}]}`
	verb, data, ok := formCardData([]byte(card), map[string]string{"join_year": "2012"}, map[string]string{"topics": "intake"})
	if !ok || verb != "mentor" || data["topics"] != "2" || data["join_year"] != "2012" || data["soudan_form"] != "mentor" {
		t.Errorf("got %q %v %v", verb, data, ok)
	}
	if _, _, ok := formCardData([]byte(card), nil, map[string]string{"topics": "none"}); ok {
		t.Error("a missing choice was found")
	}
	if _, _, ok := formCardData([]byte(`{"type":"message","text":"hi"}`), nil, nil); ok {
		t.Error("a form was found in a card without one")
	}
}

// TestFakeTeamsRecords: the fake connector creates chats and channel
// posts as the adapter expects and records posts under the Slack path's
// names, with a mentor card's key made of the chat and the marker.
func TestFakeTeamsRecords(t *testing.T) {
	f, err := newFakeTeams()
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	call := func(method, path string, body any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, strings.TrimSuffix(f.url, "/")+path, bytes.NewReader(b))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
		}
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		return out
	}
	dm := call("POST", "/v3/conversations", map[string]any{"bot": map[string]any{"id": teamsBotID}, "members": []any{map[string]any{"id": "29:UM01"}}})
	if dm["id"] != "a:dm-29:UM01" {
		t.Fatalf("create chat: got %v", dm)
	}
	cardBody := map[string]any{"type": "message", "attachments": []any{map[string]any{"content": map[string]any{"body": []any{map[string]any{"type": "TextBlock", "text": "相談 (q-000007)"}}}}}}
	for range 2 {
		call("POST", "/v3/conversations/"+url.PathEscape("a:dm-29:UM01")+"/activities", cardBody)
	}
	call("POST", "/v3/conversations/"+url.PathEscape(teamsChannel+";messageid=17")+"/activities", map[string]any{"type": "message", "text": "受け付けました"})
	np := call("POST", "/v3/conversations", map[string]any{"isGroup": true, "channelData": map[string]any{"channel": map[string]any{"id": teamsChannel}}, "activity": map[string]any{"type": "message", "text": "new"}})
	if id, _ := np["id"].(string); !strings.HasPrefix(id, teamsChannel+";messageid=") || np["activityId"] == "" {
		t.Errorf("new channel post: got %v", np)
	}
	call("PUT", "/v3/conversations/"+url.PathEscape("a:dm-29:UM01")+"/activities/123", cardBody)

	ps := f.snapshot()
	if len(ps) != 4 {
		t.Fatalf("posts: got %d, want 4: %+v", len(ps), ps)
	}
	if ps[0].Channel != "DM01" || ps[0].Key != "teams:card:DM01:q-000007" || ps[1].Key != ps[0].Key {
		t.Errorf("mentor cards: got %+v %+v", ps[0], ps[1])
	}
	if ps[2].Channel != channel || ps[2].Thread != "17" || ps[2].Key != "" {
		t.Errorf("thread reply: got %+v", ps[2])
	}
	if ps[3].Channel != channel || ps[3].Thread != "" {
		t.Errorf("new channel post: got %+v", ps[3])
	}
	if th, ok := f.answeredThread(time.Now().Add(time.Second), func(int) int { return 0 }); !ok || th != "17" {
		t.Errorf("answered thread: got %q %v", th, ok)
	}
	// As the bot's proxy it refuses and counts calls beyond loopback.
	pu, _ := url.Parse(f.url)
	pc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(pu)}}
	if resp, err := pc.Get("http://smba.example.invalid/teams/v3/conversations"); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("http call through the proxy: %v %v", resp, err)
	}
	if _, err := pc.Get("https://smba.example.invalid/teams/v3/conversations"); err == nil {
		t.Error("https call through the proxy succeeded")
	}
	if n, host := f.outsideCalls(); n != 2 || host != "smba.example.invalid" {
		t.Errorf("outside calls: got %d %q, want 2 smba.example.invalid", n, host)
	}
	if len(f.snapshot()) != 4 {
		t.Error("a refused outside call was recorded as a post")
	}
	tl := account(nil, ps, nil, 0)
	if tl.DuplicatedDeliveries != 1 || tl.Cards != 2 {
		t.Errorf("account: duplicated deliveries %d, cards %d; want 1, 2", tl.DuplicatedDeliveries, tl.Cards)
	}
}

// TestTeamsLoadIDs: in Teams an event's id is its message's id, digits
// as Teams gives them, distinct for questions and replies.
func TestTeamsLoadIDs(t *testing.T) {
	f, err := newFakeTeams()
	if err != nil {
		t.Fatal(err)
	}
	defer f.close()
	l := newLoader("http://127.0.0.1:9", f, 0, false, 1)
	l.teams = f.url
	a, b := l.next(), l.next()
	if a.ID != a.TS || b.ID != b.TS || a.ID == b.ID || strings.ContainsAny(a.ID, ".") || a.Marker != "q-000001" {
		t.Errorf("got %+v, %+v", a, b)
	}
}

func TestDuplicateKeys(t *testing.T) {
	ps := []post{{Key: "a"}, {Key: "b"}, {}, {Key: "c"}, {Key: "b"}, {Key: "a"}, {Key: "b"}, {}}
	got := duplicateKeys(ps, 5)
	if want := []string{"a ×2", "b ×3"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := duplicateKeys(ps, 1); len(got) != 1 || got[0] != "a ×2" {
		t.Errorf("at most 1: got %q", got)
	}
	if got := duplicateKeys(ps[:4], 5); len(got) != 0 {
		t.Errorf("no duplicates: got %q", got)
	}
}
