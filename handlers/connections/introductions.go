package connections

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// introductions are, for each group of rd, one group DM where the
// platform opens one (groupAddress), else one DM per member, naming the
// others with their one-line profiles and suggesting times; and a DM to
// everyone the matcher left out saying why (nobody is left out
// silently; those who paused or skipped chose it). Each is keyed by the
// round and the person, or the round and the group.
func (a *Feature) introductions(cal handlers.Calendar, pl planned, rd store.ConnRound, local time.Time) ([]handlers.Outgoing, error) {
	var msgs []handlers.Outgoing
	for gi, g := range rd.Groups {
		var members []store.User
		for _, id := range g.Members {
			x, err := pl.ps.user(id)
			if err != nil {
				return nil, err
			}
			members = append(members, x)
		}
		slots, err := a.suggestTimes(cal, local, members)
		if err != nil {
			return nil, err
		}
		if to, ok := a.groupAddress(members); ok {
			msgs = append(msgs, a.groupIntroduction(pl, rd, gi, members, slots, to))
			continue
		}
		for _, x := range members {
			var lines []string
			for _, o := range members {
				if o.ID != x.ID {
					lines = append(lines, "・"+handlers.Clean(o.Name)+a.T(x, "conn.paren", "Text", a.profileLine(x, pl.ps, o)))
				}
			}
			rep := bot.Reply{
				Key:   fmt.Sprintf("conn:intro:%d:%d", rd.ID, x.ID),
				Title: a.T(x, "conn.intro.title", "Name", pl.prog.Name, "Round", rd.Number),
				Text: a.T(x, "conn.intro.text", "Others", strings.Join(lines, "\n"), "Times", a.slotText(x, slots),
					"Mid", rd.MidOn, "End", rd.EndOn),
			}
			msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
		}
	}
	for _, lo := range rd.LeftOut {
		if lo.Reason == sitOutPaused || lo.Reason == sitOutSkipped {
			continue
		}
		x, err := pl.ps.user(lo.UserID)
		if err != nil {
			return nil, err
		}
		rep := bot.Reply{
			Key:  fmt.Sprintf("conn:left:%d:%d", rd.ID, x.ID),
			Text: a.T(x, "conn.left.text", "Name", pl.prog.Name, "Reason", a.T(x, "conn.left_reason."+lo.Reason)),
		}
		msgs = append(msgs, handlers.Outgoing{To: handlers.DMAddress(x), Reply: rep, Key: rep.Key})
	}
	return msgs, nil
}

// groupAddress is the group DM of members when one message can
// introduce them all: two or more people, all on one platform and
// workspace whose sender opens group conversations (bot.GroupOpener:
// Slack), all of one language (the message is written in one). The users
// are sorted, so the same people make the same address.
func (a *Feature) groupAddress(members []store.User) (bot.Address, bool) {
	if len(members) < 2 {
		return bot.Address{}, false
	}
	first := members[0]
	var users []string
	for _, x := range members {
		if x.PlatformID == "" || x.Platform != first.Platform || x.Workspace != first.Workspace || a.Lang(x) != a.Lang(first) {
			return bot.Address{}, false
		}
		users = append(users, x.PlatformID)
	}
	if _, ok := bot.SenderFor(a.Send, first.Platform).(bot.GroupOpener); !ok {
		return bot.Address{}, false
	}
	slices.Sort(users)
	return bot.Address{Platform: first.Platform, Workspace: first.Workspace, Users: users}, true
}

// groupIntroduction is the one message that introduces group gi of rd
// to all its members at once, in their shared language, keyed by the
// round and the group so that a crash never sends it twice.
func (a *Feature) groupIntroduction(pl planned, rd store.ConnRound, gi int, members []store.User, sl slots, to bot.Address) handlers.Outgoing {
	x := members[0] // every member reads the same language
	var lines []string
	for _, o := range members {
		lines = append(lines, "・"+handlers.Clean(o.Name)+a.T(x, "conn.paren", "Text", a.profileLine(x, pl.ps, o)))
	}
	rep := bot.Reply{
		Key:   fmt.Sprintf("conn:intro:%d:g%d", rd.ID, gi),
		Title: a.T(x, "conn.intro.title", "Name", pl.prog.Name, "Round", rd.Number),
		Text: a.T(x, "conn.intro.group_text", "Members", strings.Join(lines, "\n"), "Times", a.slotText(x, sl),
			"Mid", rd.MidOn, "End", rd.EndOn),
	}
	return handlers.Outgoing{To: to, Reply: rep, Key: rep.Key}
}
