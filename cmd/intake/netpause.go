package main

import (
	"fmt"
	"strings"
	"time"
)

// netPause is one pause of a replica's link to PostgreSQL.
type netPause struct {
	replica    int // index
	start, end time.Time
}

// pauseGap is how long the links all forward between two pauses: the
// paused replica is back, and its heartbeat renewed, before the next.
const pauseGap = 5 * time.Second

// pauseLinks pauses each replica's link to the database in turn, for
// r.netPause, from a sixth of the way into the load until its end: the
// proxy stops forwarding without closing, then forwards again (or, with
// -net-drop, closes the replica's connections). It returns the pauses.
func (r *replicasMode) pauseLinks(s *session, start, end time.Time) []netPause {
	var out []netPause
	time.Sleep(time.Until(start.Add(end.Sub(start) / 6)))
	for i := 0; time.Now().Add(r.netPause).Before(end); i = (i + 1) % len(s.proxies) {
		p := s.proxies[i]
		np := netPause{replica: i, start: time.Now()}
		p.Pause()
		time.Sleep(r.netPause)
		if r.netDrop {
			p.Drop()
		}
		p.Resume()
		np.end = time.Now()
		out = append(out, np)
		time.Sleep(pauseGap)
	}
	return out
}

// describePauses says what the pauses were and how the balancer's health
// checks saw them: for each, how long after the pause began the replica's
// /readyz failed, and how long after it ended it answered ready again.
func describePauses(pauses []netPause, changes []readyChange, drop bool) string {
	how := "then forwarding again"
	if drop {
		how = "then closing its connections"
	}
	var each []string
	for _, np := range pauses {
		failed, back := "never", "never"
		for _, c := range changes {
			if c.backend != np.replica {
				continue
			}
			switch {
			case c.at.Before(np.start):
				// The last change before the pause is its state then.
				failed = "never"
				if !c.ready {
					failed = "(already failing)"
				}
			case !c.ready && failed == "never" && c.at.Before(np.end):
				failed = "after " + c.at.Sub(np.start).Round(100*time.Millisecond).String()
			case c.ready && back == "never" && !c.at.Before(np.end):
				back = c.at.Sub(np.end).Round(100*time.Millisecond).String() + " after"
			}
		}
		each = append(each, fmt.Sprintf("replica %d: /readyz failed %s, ready %s", np.replica+1, failed, back))
	}
	d := pauses[0].end.Sub(pauses[0].start).Round(100 * time.Millisecond)
	return fmt.Sprintf("%d pauses of one replica's link to PostgreSQL (a proxy forwarding nothing, connections left open) for %s each, %s (%s)",
		len(pauses), d, how, strings.Join(each, "; "))
}
