package connections

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// maxPauseDays is the longest pause one command sets.
const maxPauseDays = 366

// updateMember changes the sender's member record in the event's commit
// and answers with the catalog key's text.
func (a *Feature) updateMember(ctx context.Context, m *bot.Message, r bot.Responder, fn func(*store.ConnMember) error, key string, kv ...any) error {
	u := handlers.UserFrom(ctx)
	id := u.ID
	err := a.Commit(ctx, func(tx *store.Tx) error {
		_, err := tx.Connections().UpdateMember(id, fn)
		return err
	})
	if err != nil {
		var be *bot.Error
		if errors.As(err, &be) {
			return be
		}
		return fmt.Errorf("update member: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key, kv...)})
	return err
}

// join answers /soudan coffee join: the sender takes part in the opt-in
// programmes from the next round, with their profile as it is.
func (a *Feature) join(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	key := "conn.join.done"
	if u.Department == "" || u.JoinYear == 0 {
		key = "conn.join.done_no_profile" // groups weigh departments and seniority
	}
	now := a.Now()
	return a.updateMember(ctx, m, r, func(c *store.ConnMember) error {
		if !c.Joined || c.Left {
			c.JoinedAt = now
		}
		c.Joined, c.Left = true, false
		return nil
	}, key)
}

// leave answers /soudan coffee leave: no programme groups them any more,
// opt-in or not, until they join again.
func (a *Feature) leave(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.updateMember(ctx, m, r, func(c *store.ConnMember) error {
		c.Joined, c.Left, c.Skip = false, true, false
		return nil
	}, "conn.leave.done")
}

// pause answers /soudan coffee pause until YYYY-MM-DD (also "pause
// 2026-12-31", "休止 2026-12-31まで"): no group up to and including
// that day.
func (a *Feature) pause(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var date string
	for _, arg := range m.Args {
		w := strings.ToLower(text.Normalize(arg))
		w = strings.TrimSuffix(w, "まで")
		if w == "until" || w == "" {
			continue
		}
		date = strings.ReplaceAll(w, "/", "-")
	}
	today := a.today()
	day, err := time.ParseInLocation(dateFormat, date, a.Config.Location)
	if err != nil {
		return a.UsageError(u, "usage.coffee.pause")
	}
	date = day.Format(dateFormat)
	if date < today || day.Sub(a.Now()) > maxPauseDays*24*time.Hour {
		return bot.Errorf(bot.CodeInvalid, "conn.error.pause_range", "Date", date, "Max", maxPauseDays)
	}
	return a.updateMember(ctx, m, r, func(c *store.ConnMember) error {
		c.PausedUntil = date
		return nil
	}, "conn.pause.done", "Date", date)
}

// resume answers /soudan coffee resume: a pause, theirs or the automatic
// one, ends now.
func (a *Feature) resume(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.updateMember(ctx, m, r, resumeMember, "conn.resume.done")
}

// resumeAction is the resume button of the auto-pause DM.
func (a *Feature) resumeAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.updateMember(ctx, m, r, resumeMember, "conn.resume.done")
}

// resumeMember ends a member's pause and forgets the ignored check-ins.
func resumeMember(c *store.ConnMember) error {
	c.PausedUntil, c.AutoPaused, c.Ignored = "", false, 0
	return nil
}

// skip answers /soudan coffee skip: left out of the next round they would
// be in, once.
func (a *Feature) skip(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.updateMember(ctx, m, r, func(c *store.ConnMember) error {
		c.Skip = true
		return nil
	}, "conn.skip.done")
}

// prefer answers /soudan coffee prefer WORDS: a new hire's wish for a
// mentor (topics, a posting, a language), matched against mentors'
// profiles when a mentor programme proposes terms. Without words it
// clears the wish.
func (a *Feature) prefer(ctx context.Context, m *bot.Message, r bot.Responder) error {
	words := handlers.Clean(m.ArgText)
	if handlers.Runes(words) > 200 {
		return bot.Errorf(bot.CodeInvalid, "error.too_long", "Max", 200, "Len", handlers.Runes(words))
	}
	key := "conn.prefer.done"
	if words == "" {
		key = "conn.prefer.cleared"
	}
	return a.updateMember(ctx, m, r, func(c *store.ConnMember) error {
		c.Prefer = words
		return nil
	}, key, "Words", words)
}

// avoid answers /soudan coffee avoid [remove] PERSON: the sender's
// confidential "don't pair me with" list. Without a person it lists
// theirs. Nobody else, admins included, ever sees the list, and no
// preview says whose list kept two people apart.
func (a *Feature) avoid(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	args := m.Args
	remove := false
	if len(args) > 0 && slices.Contains([]string{"remove", "削除", "解除"}, strings.ToLower(text.Normalize(args[0]))) {
		remove, args = true, args[1:]
	}
	if len(args) == 0 {
		if remove {
			return a.UsageError(u, "usage.coffee.avoid")
		}
		return a.listAvoid(ctx, m, r)
	}
	other, err := a.resolvePerson(ctx, m, strings.Join(args, " "))
	if err != nil {
		return err
	}
	if other.ID == u.ID {
		return bot.Errorf(bot.CodeInvalid, "conn.error.self")
	}
	key := "conn.avoid.added"
	if remove {
		key = "conn.avoid.removed"
	}
	return a.updateMember(ctx, m, r, func(c *store.ConnMember) error {
		c.Avoid = slices.DeleteFunc(c.Avoid, func(id uint64) bool { return id == other.ID })
		if !remove {
			c.Avoid = append(c.Avoid, other.ID)
		}
		return nil
	}, key, "Name", handlers.Clean(other.Name))
}

// listAvoid shows the sender their own list, to them only.
func (a *Feature) listAvoid(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var names []string
	err := a.View(func(tx *store.Tx) error {
		mem, err := tx.Connections().Member(u.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		ps := newPeople(tx)
		for _, id := range mem.Avoid {
			if o, err := ps.user(id); err == nil && !o.Deleted {
				names = append(names, o.Name)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list avoid: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: true, Text: a.T(u, "conn.avoid.list", "Names", a.ListText(u, names, "conn.none"))})
	return err
}

// history answers /soudan coffee history: the sender's standing and the
// groups they were in, newest first, with whom and whether they met.
func (a *Feature) history(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var lines []string
	var mem store.ConnMember
	err := a.View(func(tx *store.Tx) error {
		c := tx.Connections()
		var err error
		if mem, err = c.Member(u.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		progs, err := c.Programmes()
		if err != nil {
			return err
		}
		ps := newPeople(tx)
		type line struct {
			at   time.Time
			text string
		}
		var ls []line
		for _, p := range progs {
			rounds, err := c.Rounds(p.ID, historyRounds)
			if err != nil {
				return err
			}
			for _, rd := range rounds {
				g := rd.GroupOf(u.ID)
				if g < 0 {
					continue
				}
				var others []string
				for _, id := range rd.Groups[g].Members {
					if id == u.ID {
						continue
					}
					if o, err := ps.user(id); err == nil {
						others = append(others, o.Name)
					}
				}
				ans := rd.Groups[g].Answer(u.ID)
				if ans == "" {
					ans = "none"
				}
				ls = append(ls, line{rd.CreatedAt, a.T(u, "conn.history.line", "Date", rd.CreatedAt.In(a.Config.Location).Format(dateFormat),
					"Programme", handlers.Clean(p.Name), "Names", a.ListText(u, others, "conn.none"), "Answer", a.T(u, "conn.answer."+ans))})
			}
		}
		slices.SortStableFunc(ls, func(x, y line) int { return y.at.Compare(x.at) })
		for _, l := range ls {
			lines = append(lines, l.text)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("coffee history: %w", err)
	}
	text := a.T(u, "conn.history.title", "Status", a.status(u, mem)) + "\n"
	if len(lines) == 0 {
		text += a.T(u, "conn.history.none")
	} else {
		text += strings.Join(lines, "\n")
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// status is a member's standing in words.
func (a *Feature) status(u store.User, mem store.ConnMember) string {
	var parts []string
	switch {
	case mem.Left:
		parts = append(parts, a.T(u, "conn.status.left"))
	case mem.Joined:
		parts = append(parts, a.T(u, "conn.status.joined"))
	default:
		parts = append(parts, a.T(u, "conn.status.not_joined"))
	}
	if mem.AutoPaused {
		parts = append(parts, a.T(u, "conn.status.auto_paused"))
	} else if mem.PausedUntil >= a.today() {
		parts = append(parts, a.T(u, "conn.status.paused", "Date", mem.PausedUntil))
	}
	if mem.Skip {
		parts = append(parts, a.T(u, "conn.status.skip"))
	}
	return strings.Join(parts, a.T(u, "people.list_sep"))
}

// today is the day of the bot's clock in its location ("2006-01-02").
func (a *Feature) today() string { return a.Now().In(a.Config.Location).Format(dateFormat) }

// idText is a user id as the round records key it.
func idText(id uint64) string { return strconv.FormatUint(id, 10) }
