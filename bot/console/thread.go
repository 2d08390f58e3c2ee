package console

import (
	"strings"

	"github.com/soudan/soudan/bot"
	"golang.org/x/text/unicode/norm"
)

// threadLine runs ":thread ID": the current user posts in the thread of the
// message ID ("m12"), or of the newest message anchored to ID ("12",
// "#12").
func (a *Adapter) threadLine(rest string) *notice {
	args := bot.Fields(rest)
	if len(args) != 1 {
		return &notice{key: msgUsage, args: []any{":thread ID"}}
	}
	m := a.threadRootLocked(a.current, args[0])
	if m == nil {
		return &notice{key: msgNoThread, args: []any{args[0]}}
	}
	a.current.conv = conv{channel: m.conv.channel, thread: m.root()}
	a.current.restored = false
	return nil
}

// threadRootLocked finds the message that id names for u: a printed
// message u sees, by its id, or else the newest message anchored to id
// (with or without "#"), found in u's current conversation first, then in
// u's DM, then in any channel. An ephemeral message at top level starts no
// thread, and is never found by its anchor.
func (a *Adapter) threadRootLocked(u *user, id string) *shown {
	id = norm.NFKC.String(id)
	if m, ok := a.byID[strings.ToLower(id)]; ok {
		if !m.visibleTo(u.name) || m.to != "" && m.conv.thread == "" {
			return nil
		}
		return m
	}
	anchor := strings.TrimPrefix(id, "#")
	if anchor == "" {
		return nil
	}
	var best *shown
	bestRank := 0
	for i := len(a.history) - 1; i >= 0; i-- {
		m := a.history[i]
		if m.anchor != anchor || m.to != "" || !m.visibleTo(u.name) {
			continue
		}
		rank := 3 // any channel
		switch m.conv.channel {
		case u.conv.channel:
			rank = 1
		case dmConv(u.name).channel:
			rank = 2
		}
		if best == nil || rank < bestRank {
			best, bestRank = m, rank
		}
		if rank == 1 {
			break
		}
	}
	return best
}
