package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// mentorCount is how many mentors register; askerCount how many people
// ask.
const (
	mentorCount = 20
	askerCount  = 200
)

func mentorID(i int) string { return fmt.Sprintf("UM%02d", i+1) }
func askerID(i int) string  { return fmt.Sprintf("UA%04d", i+1) }

// recorder is the fake platform API the bot posts to: the fake Slack Web
// API or the fake Teams connector.
type recorder interface {
	snapshot() []post
	answeredThread(cutoff time.Time, pick func(n int) int) (string, bool)
	close()
}

// event is one message event the load sends: a question (a new top-level
// post in the channel) or a reply in a question's thread.
type event struct {
	ID     string // event_id
	Reply  bool
	Marker string // questions: "q-000123", in the text
	TS     string // the message's ts
	Thread string // replies: the question's ts
	User   string
	Text   string

	// Filled as it is sent.
	Sent     time.Time     // first attempt
	Acked    time.Time     // the 200, zero if none
	AckTook  time.Duration // the acknowledged attempt's response time
	Attempts int
	Failures int // attempts not acknowledged (connection error, non-200, timeout)
}

// loader sends signed message events to the bot and remembers them.
type loader struct {
	base    string // http://addr of the bot
	fake    recorder
	teams   string // Teams: the fake connector's service URL; "": Slack
	client  *http.Client
	epoch   int64   // seconds part of the load's message ts
	replies float64 // share of replies among the events
	retry   bool    // retry until acknowledged, like Slack
	stopAt  atomic.Int64
	rnd     *rand.Rand
	rndMu   sync.Mutex

	mu     sync.Mutex
	events []*event
	nq, nr int
	wg     sync.WaitGroup
}

func newLoader(base string, fake recorder, replies float64, retry bool, seed uint64) *loader {
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: 30 * time.Second}
	l := &loader{
		base: base, fake: fake, replies: replies, retry: retry,
		// Slack gives up on a response after 3 s and retries.
		client: &http.Client{Timeout: 3 * time.Second, Transport: tr},
		epoch:  time.Now().Unix(),
		rnd:    rand.New(rand.NewPCG(seed, seed^0x5eed)),
	}
	l.stopAt.Store(time.Now().Add(10 * time.Minute).UnixNano())
	return l
}

func (l *loader) intn(n int) int {
	l.rndMu.Lock()
	defer l.rndMu.Unlock()
	return l.rnd.IntN(n)
}

func (l *loader) float() float64 {
	l.rndMu.Lock()
	defer l.rndMu.Unlock()
	return l.rnd.Float64()
}

// next makes the next event: a reply by a mentor in the thread of a
// question the bot answered at least a second ago (share l.replies), else
// a new question by one of the askers.
func (l *loader) next() *event {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.replies > 0 && l.float() < l.replies {
		if thread, ok := l.fake.answeredThread(now.Add(-time.Second), l.intn); ok {
			l.nr++
			ev := &event{ID: fmt.Sprintf("EvR%06d", l.nr), Reply: true, TS: fmt.Sprintf("%d.%06d", l.epoch+1, l.nr), Thread: thread, User: mentorID(l.intn(mentorCount))}
			if l.teams != "" { // a Teams activity's id is its message's
				ev.TS = fmt.Sprintf("%d%06d", l.epoch+1, l.nr)
				ev.ID = ev.TS
			}
			ev.Text = fmt.Sprintf("answer r-%06d: 上司に相談してみてください", l.nr)
			l.events = append(l.events, ev)
			return ev
		}
	}
	l.nq++
	ev := &event{ID: fmt.Sprintf("EvQ%06d", l.nq), Marker: fmt.Sprintf("q-%06d", l.nq), TS: fmt.Sprintf("%d.%06d", l.epoch, l.nq), User: askerID(l.intn(askerCount))}
	if l.teams != "" {
		ev.TS = fmt.Sprintf("%d%06d", l.epoch, l.nq)
		ev.ID = ev.TS
	}
	ev.Text = fmt.Sprintf("異動の相談です (%s) when should I ask?", ev.Marker)
	l.events = append(l.events, ev)
	return ev
}

// send sends ev in the background (see deliver).
func (l *loader) send(ev *event) {
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		l.deliver(ev)
	}()
}

// deliver posts ev until it is acknowledged; without retry, once. A
// retry carries the same event_id and X-Slack-Retry-Num, after a short
// backoff (Slack's own retries come after 0 s, 1 min and 5 min, at most
// three: this is faster, and keeps going until l.stopAt).
func (l *loader) deliver(ev *event) {
	var body []byte
	if l.teams != "" {
		body = teamsMessageBody(l.teams, ev, time.Now())
	} else {
		body = messageEventBody(ev.ID, ev.User, ev.TS, ev.Thread, ev.Text, time.Now())
	}
	l.mu.Lock()
	first := ev.Attempts
	l.mu.Unlock()
	for attempt := first; ; attempt++ {
		start := time.Now()
		ok := l.post(body, attempt)
		took := time.Since(start)
		l.mu.Lock()
		if attempt == 0 {
			ev.Sent = start
		}
		ev.Attempts++
		if ok {
			ev.Acked, ev.AckTook = time.Now(), took
		} else {
			ev.Failures++
		}
		l.mu.Unlock()
		if ok || !l.retry || time.Now().UnixNano() > l.stopAt.Load() {
			return
		}
		back := min(100*time.Millisecond<<min(attempt, 4), time.Second)
		time.Sleep(back/2 + time.Duration(l.intn(int(back/2))))
	}
}

// post sends one attempt (a signed Slack event, or a Teams activity) and
// reports whether it was acknowledged (200).
func (l *loader) post(body []byte, retry int) bool {
	path := "/slack/events"
	if l.teams != "" {
		path = teamsPath
	}
	r, err := http.NewRequest(http.MethodPost, l.base+path, bytes.NewReader(body))
	if err != nil {
		return false
	}
	if l.teams != "" {
		r.Header.Set("Content-Type", "application/json")
	} else {
		signRequest(r, "application/json", body, time.Now(), retry)
	}
	resp, err := l.client.Do(r)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// paced sends events at perSecond for d or until stop is closed (open
// loop: each on its own schedule, whether or not earlier ones were
// answered), at most maxInFlight unanswered at once; it returns how many it
// sent.
func (l *loader) paced(perSecond float64, d time.Duration, maxInFlight int, stop <-chan struct{}) int {
	sem := make(chan struct{}, maxInFlight)
	start := time.Now()
	interval := time.Duration(float64(time.Second) / perSecond)
	n := 0
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		select {
		case <-stop:
			return n
		default:
		}
		if w := time.Until(at); w > 0 {
			time.Sleep(w)
		}
		sem <- struct{}{}
		ev := l.next()
		l.wg.Add(1)
		go func() {
			defer func() { <-sem; l.wg.Done() }()
			l.deliver(ev)
		}()
		n++
	}
	return n
}

// burst sends n events from conc senders, one attempt each, as fast as
// they are answered, and returns when every one was answered or failed.
func (l *loader) burst(n, conc int) {
	ch := make(chan *event)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range ch {
				l.deliver(ev)
			}
		}()
	}
	for range n {
		ch <- l.next()
	}
	close(ch)
	wg.Wait()
}

// resendUnacked sends again, until acknowledged, every event that was not:
// Slack's retries after the bot came back.
func (l *loader) resendUnacked() int {
	l.mu.Lock()
	var todo []*event
	for _, e := range l.events {
		if e.Acked.IsZero() {
			todo = append(todo, e)
		}
	}
	l.mu.Unlock()
	for _, e := range todo {
		l.send(e)
	}
	return len(todo)
}

// wait waits for every send to end, at most limit (then sends stop
// retrying and wait returns when the last attempt ends).
func (l *loader) wait(limit time.Duration) {
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		l.stopAt.Store(0)
		<-done
	}
}

// snapshot copies the events sent so far.
func (l *loader) snapshot() []event {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]event, len(l.events))
	for i, e := range l.events {
		out[i] = *e
	}
	return out
}
