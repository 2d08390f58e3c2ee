package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/soudan/soudan/bot"
)

var (
	_ bot.Sender          = (*sender)(nil)
	_ bot.DeliveryChecker = (*sender)(nil)
)

// sender posts to the fake platform over HTTP the way an adapter posts to
// a real one: it attaches the delivery key, maps 429 and 5xx to temporary
// bot.SendErrors (with Retry-After) and can check whether a key was
// posted.
type sender struct {
	base string
	c    *http.Client
}

func newSender(base string, conns int) *sender {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conns
	return &sender{base: base, c: &http.Client{Transport: tr, Timeout: 10 * time.Second}}
}

// Send posts r with its key.
func (s *sender) Send(ctx context.Context, to bot.Address, r bot.Reply) (bot.Address, error) {
	body, err := json.Marshal(post{Key: r.Key, Channel: to.Channel, User: to.User, Text: r.Text})
	if err != nil {
		return bot.Address{}, fmt.Errorf("loadtest send: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/post", bytes.NewReader(body))
	if err != nil {
		return bot.Address{}, fmt.Errorf("loadtest send: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.c.Do(req)
	if err != nil {
		return bot.Address{}, &bot.SendError{Temporary: true, Err: fmt.Errorf("loadtest send: %w", err)}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		_, _ = io.Copy(io.Discard, resp.Body)
		return bot.Address{}, &bot.SendError{Temporary: true, RetryAfter: time.Duration(secs) * time.Second, Err: fmt.Errorf("loadtest send: HTTP 429")}
	case resp.StatusCode >= 500:
		return bot.Address{}, &bot.SendError{Temporary: true, Err: fmt.Errorf("loadtest send: HTTP %d", resp.StatusCode)}
	case resp.StatusCode != http.StatusOK:
		return bot.Address{}, &bot.SendError{Err: fmt.Errorf("loadtest send: HTTP %d", resp.StatusCode)}
	}
	var at posted
	if err := json.NewDecoder(resp.Body).Decode(&at); err != nil {
		return bot.Address{}, &bot.SendError{Temporary: true, Err: fmt.Errorf("loadtest send: decode answer: %w", err)}
	}
	return bot.Address{Platform: to.Platform, Workspace: to.Workspace, Channel: at.Channel, Thread: at.TS}, nil
}

// Delivered asks the platform whether a message with key was posted.
func (s *sender) Delivered(ctx context.Context, to bot.Address, key string) (bot.Address, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/delivered?key="+url.QueryEscape(key), nil)
	if err != nil {
		return bot.Address{}, false, fmt.Errorf("loadtest check: %w", err)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		return bot.Address{}, false, fmt.Errorf("loadtest check: %w", err)
	}
	defer resp.Body.Close()
	var out struct {
		Found bool `json:"found"`
		posted
	}
	if resp.StatusCode != http.StatusOK {
		return bot.Address{}, false, fmt.Errorf("loadtest check: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return bot.Address{}, false, fmt.Errorf("loadtest check: %w", err)
	}
	if !out.Found {
		return bot.Address{}, false, nil
	}
	return bot.Address{Platform: to.Platform, Workspace: to.Workspace, Channel: out.Channel, Thread: out.TS}, true, nil
}
