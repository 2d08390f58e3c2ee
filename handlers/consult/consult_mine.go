package consult

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

var timeZero time.Time

// mineLimit is how many consultations each section of `mine` lists.
const mineLimit = 20

// mineCommand lists the user's own consultations with their state, and,
// for mentors, the active consultations routed to or taken by them.
func (a *Feature) mineCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	asked, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByAsker(u.ID) })
	if err != nil {
		return fmt.Errorf("mine: %w", err)
	}
	assigned, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByMentor(u.ID) })
	if err != nil {
		return fmt.Errorf("mine: %w", err)
	}
	var b strings.Builder
	b.WriteString(a.T(u, "consult.mine.asked", "Count", len(asked)))
	if len(asked) == 0 {
		b.WriteString("\n" + a.T(u, "consult.mine.none"))
	}
	for i, c := range asked {
		if i == mineLimit {
			b.WriteString("\n" + a.T(u, "consult.mine.more", "Count", len(asked)-mineLimit))
			break
		}
		b.WriteString("\n" + a.mineLine(u, c))
	}
	var active []store.Consultation
	for _, c := range assigned {
		if c.State.Active() {
			active = append(active, c)
		}
	}
	if len(active) > 0 {
		b.WriteString("\n\n" + a.T(u, "consult.mine.assigned", "Count", len(active)))
		for i, c := range active {
			if i == mineLimit {
				b.WriteString("\n" + a.T(u, "consult.mine.more", "Count", len(active)-mineLimit))
				break
			}
			line := a.mineLine(u, c)
			if c.TakenBy == u.ID {
				line += " " + a.T(u, "consult.mine.taken")
			}
			b.WriteString("\n" + line)
		}
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: true, Title: a.T(u, "consult.mine.title"), Text: b.String()})
	return err
}

// mineLine is one consultation on one line: id, state, topic, date and the
// start of the question.
func (a *Feature) mineLine(u store.User, c store.Consultation) string {
	return a.T(u, "consult.mine.line", "ID", c.ID, "State", a.stateLabel(u, c.State), "Topic", a.topicName(c.TopicID),
		"Date", c.CreatedAt.In(a.Config.Location).Format("2006-01-02"), "Question", handlers.Excerpt(c.Question(), 40))
}
