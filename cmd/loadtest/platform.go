package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// post is what the worker posts to the fake platform.
type post struct {
	Key     string `json:"key"`
	Channel string `json:"channel,omitempty"`
	User    string `json:"user,omitempty"`
	Text    string `json:"text"`
}

// posted is the fake platform's answer: where the message is.
type posted struct {
	Channel string `json:"channel"`
	TS      string `json:"ts"`
}

// platform is a fake chat platform that enforces one rate limit across
// the app, answering 429 with Retry-After past it, and counts every post
// by its delivery key so duplicates and gaps can be counted.
type platform struct {
	lim *rate.Limiter

	mu        sync.Mutex
	byKey     map[string]posted
	counts    map[string]int
	total     int
	throttled int
	checks    int
	first     time.Time
	last      time.Time
	stall     time.Duration // longest gap between two posts
}

// newPlatform enforces perSecond with a burst of a tenth of a second's
// worth, as real platforms tolerate short bursts.
func newPlatform(perSecond float64) *platform {
	return &platform{
		lim:    rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond/10))),
		byKey:  map[string]posted{},
		counts: map[string]int{},
	}
}

// ServeHTTP serves POST /post and GET /delivered?key=.
func (p *platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/post":
		p.post(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/delivered":
		p.delivered(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (p *platform) post(w http.ResponseWriter, r *http.Request) {
	var in post
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Key == "" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if !p.lim.Allow() {
		p.mu.Lock()
		p.throttled++
		p.mu.Unlock()
		w.Header().Set("Retry-After", "1")
		http.Error(w, "ratelimited", http.StatusTooManyRequests)
		return
	}
	p.mu.Lock()
	now := time.Now()
	if p.total == 0 {
		p.first = now
	} else if gap := now.Sub(p.last); gap > p.stall {
		p.stall = gap
	}
	p.last = now
	p.total++
	p.counts[in.Key]++
	ch := in.Channel
	if ch == "" {
		ch = "D" + in.User
	}
	out := posted{Channel: ch, TS: fmt.Sprintf("%d.%06d", now.Unix(), p.total)}
	p.byKey[in.Key] = out
	p.mu.Unlock()
	writeJSON(w, out)
}

func (p *platform) delivered(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	p.mu.Lock()
	p.checks++
	at, ok := p.byKey[key]
	p.mu.Unlock()
	if !ok {
		writeJSON(w, struct {
			Found bool `json:"found"`
		}{})
		return
	}
	writeJSON(w, struct {
		Found bool `json:"found"`
		posted
	}{true, at})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// tally is what the platform saw.
type tally struct {
	Posts      int           // messages posted
	Unique     int           // distinct delivery keys posted
	Duplicates int           // posts beyond the first of a key
	Throttled  int           // requests refused with 429
	Checks     int           // delivery checks answered
	Span       time.Duration // first post to last
	Stall      time.Duration // longest gap between two posts
}

// tally counts what was posted so far.
func (p *platform) tally() tally {
	p.mu.Lock()
	defer p.mu.Unlock()
	return tally{
		Posts: p.total, Unique: len(p.counts), Duplicates: p.total - len(p.counts),
		Throttled: p.throttled, Checks: p.checks, Span: p.last.Sub(p.first), Stall: p.stall,
	}
}

// missing counts the keys of 0..n-1 never posted.
func (p *platform) missing(n int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := 0
	for i := range n {
		if p.counts[itemKey(i)] == 0 {
			m++
		}
	}
	return m
}
