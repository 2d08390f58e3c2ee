package handlers

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// Action ids of the home surface's quick actions.
const (
	actionHomeAsk    = "home.ask"
	actionHomeMine   = "home.mine"
	actionHomeMentor = "home.mentor"
	actionHomePause  = "home.pause"
	actionHomeResume = "home.resume"
)

// registerHome adds the home surface (Slack's App Home) and its buttons.
func (a *App) registerHome(rt *bot.Router) {
	rt.Home(a.home)
	rt.Action(actionHomeAsk, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return bot.OpenForm(ctx, r, a.askFormFor(userFrom(ctx), 0, false, "", nil))
	})
	rt.Action(actionHomeMine, a.mineCommand)
	rt.Action(actionHomeMentor, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if _, err := a.st.Mentor(userFrom(ctx).ID); err == nil {
			return a.openMentorEdit(ctx, m, r)
		}
		return a.openMentorRegister(ctx, m, r)
	})
	rt.Action(actionHomePause, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return a.setPaused(ctx, m, r, true)
	})
	rt.Action(actionHomeResume, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return a.setPaused(ctx, m, r, false)
	})
}

// home renders the user's home: their active consultations, the ones
// assigned to them, their mentor status, and quick actions.
func (a *App) home(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := userFrom(ctx)
	asked, err := a.st.ConsultationsByAsker(u.ID)
	if err != nil {
		return fmt.Errorf("home: %w", err)
	}
	assigned, err := a.st.ConsultationsByMentor(u.ID)
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
	mt, err := a.st.Mentor(u.ID)
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
func (a *App) activeLines(u store.User, cs []store.Consultation) string {
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
