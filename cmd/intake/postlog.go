package main

import (
	"sort"
	"sync"
	"time"
)

// postLog records what the bot posted to a fake platform, and the order in
// which it first answered in each thread of the load's channel (the
// threads replies may go to). Both fakes embed it. Its methods take mu;
// a fake that also keeps state of its own holds mu and calls addLocked.
type postLog struct {
	mu       sync.Mutex
	posts    []post
	ackAt    map[string]time.Time // channel thread -> the bot's first post in it
	ackOrder []string             // those threads, in the order of the posts
}

// addLocked records p; the caller holds mu.
func (l *postLog) addLocked(p post) {
	if l.ackAt == nil {
		l.ackAt = map[string]time.Time{}
	}
	l.posts = append(l.posts, p)
	if _, seen := l.ackAt[p.Thread]; p.Channel == channel && p.Thread != "" && !seen {
		l.ackAt[p.Thread] = p.At
		l.ackOrder = append(l.ackOrder, p.Thread)
	}
}

// snapshot returns a copy of the posts so far.
func (l *postLog) snapshot() []post {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]post(nil), l.posts...)
}

// postCount is the number of posts so far.
func (l *postLog) postCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.posts)
}

// answeredThread returns a channel thread the bot posted in before
// cutoff, picked by pick(n) among the n threads posted in so far; ok is
// false when there is none yet.
func (l *postLog) answeredThread(cutoff time.Time, pick func(n int) int) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := sort.Search(len(l.ackOrder), func(i int) bool { return !l.ackAt[l.ackOrder[i]].Before(cutoff) })
	if n == 0 {
		return "", false
	}
	return l.ackOrder[pick(n)], true
}
