package outbox

import (
	"errors"
	"math"
	"time"

	"golang.org/x/time/rate"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// Limit is how fast the bot may send on one platform.
type Limit struct {
	// PerSecond is the rate across the whole app (per workspace or
	// tenant); 0 means unlimited.
	PerSecond float64
	// Burst is how many messages may go at once above PerSecond; 0 means 1:
	// sends are spaced evenly.
	Burst int
	// PerConversation is the rate into one channel, thread or DM; 0 means
	// unlimited.
	PerConversation float64
	// ConversationBurst is the burst into one conversation; 0 means 1.
	ConversationBurst int
}

// DefaultLimits start from the platforms' published limits:
//
//   - Slack: chat.postMessage allows about 1 message per second per
//     channel (short bursts tolerated) plus a workspace-wide limit Slack
//     does not publish; 20/s keeps well under what is reported for it. DMs
//     are posted to the user id directly, so conversations.open and its
//     lower limit are not used.
//   - Teams (Bot Framework): 50 requests per second per app per tenant;
//     per conversation 7 per second, 8 per 2 seconds and 60 per 30
//     seconds, so 1 per second with a burst of 6 stays within all three.
//
// Both platforms answer 429 with Retry-After past their limits, which the
// worker honours, so these are a pace, not a promise.
var DefaultLimits = map[string]Limit{
	bot.PlatformSlack: {PerSecond: 20, PerConversation: 1},
	bot.PlatformTeams: {PerSecond: 50, PerConversation: 1, ConversationBurst: 6},
}

// validate refuses negative or undefined rates and negative bursts.
func (l Limit) validate() error {
	if !(l.PerSecond >= 0) || !(l.PerConversation >= 0) || math.IsInf(l.PerSecond, 0) || math.IsInf(l.PerConversation, 0) || l.Burst < 0 || l.ConversationBurst < 0 {
		return errors.New("rates must be finite and not negative, bursts not negative")
	}
	return nil
}

// lookahead is how far ahead of the platform's rate the worker books
// sends: a due item is claimed only when its turn comes within it, so few
// items wait as "sending" and a crash leaves few in doubt.
const lookahead = time.Second

// limits are the rate limiters of every platform and conversation. The
// worker calls them with its mutex held.
type limits struct {
	cfg    map[string]Limit
	global map[string]*rate.Limiter
	paused map[string]time.Time // platform -> no sends before (Retry-After)
	conv   map[string]*rate.Limiter
	added  int // conversation limiters made since the last prune
}

func newLimits(cfg map[string]Limit) *limits {
	l := &limits{cfg: cfg, global: map[string]*rate.Limiter{}, paused: map[string]time.Time{}, conv: map[string]*rate.Limiter{}}
	for p, c := range cfg {
		if c.PerSecond > 0 {
			l.global[p] = rate.NewLimiter(rate.Limit(c.PerSecond), max(c.Burst, 1))
		}
	}
	return l
}

// booking is what reserve decided for one item.
type booking struct {
	// ok: the item may be sent, after wait. Otherwise its conversation
	// (or, with platform, its whole platform) should not be offered again
	// before until.
	ok       bool
	wait     time.Duration
	until    time.Time
	platform bool
	// held are the rate tokens an ok booking took, given back by cancel.
	held []*rate.Reservation
	at   time.Time
}

// cancel gives back the tokens of a booking whose item was not claimed
// after all: the claim's transaction ran again, or failed.
func (b booking) cancel() {
	for _, r := range b.held {
		r.CancelAt(b.at)
	}
}

// reserve books a send of it at now.
func (l *limits) reserve(it store.OutboxItem, key string, now time.Time) booking {
	if t := l.paused[it.Platform]; now.Before(t) {
		return booking{until: t, platform: true}
	}
	b := booking{ok: true, at: now}
	if c := l.cfg[it.Platform]; c.PerConversation > 0 {
		lim := l.conv[key]
		if lim == nil {
			lim = rate.NewLimiter(rate.Limit(c.PerConversation), max(c.ConversationBurst, 1))
			l.conv[key] = lim
			l.added++
		}
		cr := lim.ReserveN(now, 1)
		if d := cr.DelayFrom(now); d > 0 {
			cr.CancelAt(now)
			return booking{until: now.Add(d)}
		}
		b.held = append(b.held, cr)
	}
	if g := l.global[it.Platform]; g != nil {
		gr := g.ReserveN(now, 1)
		b.wait = gr.DelayFrom(now)
		if b.wait > lookahead {
			gr.CancelAt(now)
			b.cancel()
			return booking{until: now.Add(b.wait - lookahead), platform: true}
		}
		b.held = append(b.held, gr)
	}
	return b
}

// pause stops sends on the platform until t, after a Retry-After.
func (l *limits) pause(platform string, t time.Time) {
	if t.After(l.paused[platform]) {
		l.paused[platform] = t
	}
}

// prune forgets conversation limiters that have refilled, so a broadcast
// to thousands of DMs leaves no thousands of limiters behind.
func (l *limits) prune(now time.Time) {
	if l.added < 1024 {
		return
	}
	l.added = 0
	for k, lim := range l.conv {
		if lim.TokensAt(now) >= float64(lim.Burst()) {
			delete(l.conv, k)
		}
	}
}
