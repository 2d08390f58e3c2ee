package reminders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// auditTopicSet is the audit action of a topic's reminder settings.
const auditTopicSet = "topic.set"

// adminCommand adds the topic reminder knobs to the admin command.
func (a *Feature) adminCommand() bot.Command {
	return bot.Command{Name: "admin", Role: store.RoleAdmin, Sub: []bot.Command{
		{Name: "topic", Sub: []bot.Command{
			{Name: "set", Aliases: []string{"設定"}, UsageKey: "usage.admin.topic.set", Handler: a.setTopicReminders},
		}},
	}}
}

// setTopicReminders answers /soudan admin topic set TOPIC remind=N
// escalate=N resolve=N close=N: the topic's own reminder stages, in
// working hours and quiet days; 0 goes back to the default.
func (a *Feature) setTopicReminders(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 2 {
		return a.UsageError(u, "usage.admin.topic.set")
	}
	var name []string
	knobs := map[string]int{}
	for _, w := range m.Args {
		k, v, ok := strings.Cut(text.Normalize(w), "=")
		if !ok {
			name = append(name, w)
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || !validKnob(k) {
			if validKnob(k) && strings.Trim(v, "-0123456789") == "" && v != "" {
				err = nil // a number, but too large for int
			} else {
				return bot.Errorf(bot.CodeInvalid, "calendar.error.bad_setting", "Setting", handlers.Clean(w))
			}
		}
		if err != nil || n < 0 || n > maxKnob {
			unit := "calendar.unit.hours"
			if k == "resolve" || k == "close" {
				unit = "calendar.unit.days"
			}
			return bot.Errorf(bot.CodeInvalid, "calendar.error.setting_range", "Setting", handlers.Clean(w), "Key", k, "Max", maxKnob, "Unit", a.T(u, unit))
		}
		knobs[k] = n
	}
	if len(knobs) == 0 || len(name) == 0 {
		return a.UsageError(u, "usage.admin.topic.set")
	}
	t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(strings.Join(name, " ")) })
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "admin.error.no_topic", "Name", handlers.Clean(strings.Join(name, " ")))
	} else if err != nil {
		return fmt.Errorf("set topic: %w", err)
	}
	id := t.ID // Commit may run the function again: it must not read what it set
	err = a.Commit(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.Topics().Update(id, func(t *store.Topic) error {
			for k, n := range knobs {
				switch k {
				case "remind":
					t.RemindAfterHours = n
				case "escalate":
					t.EscalateAfterHours = n
				case "resolve":
					t.ResolveAfterDays = n
				case "close":
					t.CloseAfterDays = n
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("set topic: %w", err)
		}
		return handlers.AuditTx(tx, u, auditTopicSet, fmt.Sprintf("%s: remind=%d escalate=%d resolve=%d close=%d", t.Name, t.RemindAfterHours, t.EscalateAfterHours, t.ResolveAfterDays, t.CloseAfterDays))
	})
	if err != nil {
		return err
	}
	s := a.opt.Stages.forTopic(t)
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "calendar.topic.set", "Topic", t.Name,
		"Remind", hours(s.RemindAfter), "Escalate", hours(s.EscalateAfter), "Resolve", days(s.AskResolveAfter), "Close", days(s.CloseAfter))})
	return err
}

// maxKnob is the largest value of a reminder stage setting.
const maxKnob = 1000

// validKnob reports whether k names a reminder stage setting.
func validKnob(k string) bool {
	switch k {
	case "remind", "escalate", "resolve", "close":
		return true
	}
	return false
}
