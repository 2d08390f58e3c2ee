package consult

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Action ids of the home surface's quick actions.
const (
	actionHomeAsk    = "home.ask"
	actionHomeMine   = "home.mine"
	actionHomeMentor = handlers.ActionHomeMentor
	actionHomePause  = handlers.ActionHomePause
	actionHomeResume = handlers.ActionHomeResume
)

// registerHome adds the home surface (Slack's App Home) and its buttons.
func (a *Feature) registerHome(rt *bot.Router) {
	rt.Home(a.home)
	rt.Action(actionHomeAsk, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return bot.OpenForm(ctx, r, a.askFormFor(handlers.UserFrom(ctx), 0, false, "", nil))
	})
	rt.Action(actionHomeMine, a.mineCommand)
}

// home renders the user's home: their active consultations, the ones
// assigned to them, their mentor status, and quick actions.
func (a *Feature) home(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	asked, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByAsker(u.ID) })
	if err != nil {
		return fmt.Errorf("home: %w", err)
	}
	assigned, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByMentor(u.ID) })
	if err != nil {
		return fmt.Errorf("home: %w", err)
	}
	var b strings.Builder
	b.WriteString(a.T(u, "home.asked"))
	b.WriteString(a.activeLines(u, asked))
	b.WriteString("\n\n" + a.T(u, "home.assigned"))
	b.WriteString(a.activeLines(u, assigned))

	buttons := []bot.Button{
		{ID: actionHomeAsk, Label: a.T(u, "home.button.ask"), Style: bot.StylePrimary},
		{ID: actionHomeMine, Label: a.T(u, "home.button.mine")},
	}
	status := a.T(u, "home.mentor.none")
	mt, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(u.ID) })
	switch {
	case errors.Is(err, store.ErrNotFound):
		buttons = append(buttons, bot.Button{ID: actionHomeMentor, Label: a.T(u, "home.button.register")})
	case err != nil:
		return fmt.Errorf("home: %w", err)
	case mt.Paused:
		status = a.T(u, "home.mentor.paused")
		buttons = append(buttons, bot.Button{ID: actionHomeResume, Label: a.T(u, "home.button.resume")}, bot.Button{ID: actionHomeMentor, Label: a.T(u, "home.button.edit")})
	default:
		status = a.T(u, "home.mentor.active")
		buttons = append(buttons, bot.Button{ID: actionHomePause, Label: a.T(u, "home.button.pause")}, bot.Button{ID: actionHomeMentor, Label: a.T(u, "home.button.edit")})
	}
	_, err = r.Reply(ctx, bot.Reply{
		Title:   a.T(u, "home.title"),
		Text:    b.String(),
		Fields:  []bot.Field{{Label: a.T(u, "home.mentor"), Value: status}},
		Buttons: buttons,
	})
	return err
}

// activeLines lists the active consultations of cs, one a line, or a
// "none" line.
func (a *Feature) activeLines(u store.User, cs []store.Consultation) string {
	var b strings.Builder
	n := 0
	for _, c := range cs {
		if !c.State.Active() {
			continue
		}
		if n == mineLimit {
			b.WriteString("\n" + a.T(u, "consult.mine.more", "Count", countActive(cs)-mineLimit))
			break
		}
		b.WriteString("\n" + a.mineLine(u, c))
		n++
	}
	if n == 0 {
		b.WriteString("\n" + a.T(u, "home.none"))
	}
	return b.String()
}

func countActive(cs []store.Consultation) int {
	n := 0
	for _, c := range cs {
		if c.State.Active() {
			n++
		}
	}
	return n
}
