package survey

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// The answer button of a prompt and the form it opens.
const (
	actionAnswer = "survey.answer"
	formAnswer   = "survey.answer"
	maxComment   = 1000
)

// roundID reads the round number an action or form carries.
func (a *Feature) roundID(value string) (uint64, error) {
	id, err := strconv.ParseUint(strings.TrimSpace(value), 10, 64)
	if err != nil {
		return 0, bot.Errorf(bot.CodeInvalid, "survey.error.bad_round", "Round", clip(value))
	}
	return id, nil
}

// round reads the round an action or form names.
func (a *Feature) round(value string) (store.SurveyRound, error) {
	id, err := a.roundID(value)
	if err != nil {
		return store.SurveyRound{}, err
	}
	var r store.SurveyRound
	err = a.View(func(tx *store.Tx) (err error) { r, err = tx.Surveys().Round(id); return err })
	if errors.Is(err, store.ErrNotFound) {
		return store.SurveyRound{}, bot.Errorf(bot.CodeNotFound, "survey.error.no_round", "Round", id)
	}
	return r, err
}

// openRound reads the round an action or form names, refusing one that
// is closed.
func (a *Feature) openRound(value string) (store.SurveyRound, error) {
	round, err := a.round(value)
	if err == nil && !round.Open() {
		err = bot.Errorf(bot.CodeConflict, "survey.error.closed")
	}
	return round, err
}

// answerAction opens the answer form, filled in with the person's earlier
// answer while the round is open.
func (a *Feature) answerAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	round, err := a.openRound(m.Action.Value)
	if err != nil {
		return err
	}
	var prev store.SurveyResponse
	err = a.View(func(tx *store.Tx) error {
		if _, err := tx.Surveys().Invite(round.ID, u.ID); err != nil {
			return err
		}
		prev, _, err = tx.Surveys().Response(round.ID, u.ID)
		return err
	})
	if errors.Is(err, store.ErrNotInvited) {
		return bot.Errorf(bot.CodeForbidden, "survey.error.not_invited")
	}
	if err != nil {
		return err
	}
	return bot.OpenForm(ctx, r, a.answerForm(u, round, values(round.Survey, prev), nil))
}

// values are a response as form values.
func values(s store.Survey, resp store.SurveyResponse) map[string]string {
	out := map[string]string{}
	for _, it := range s.Items {
		switch it.Kind {
		case store.ItemScale0to10, store.ItemScale1to5:
			if v, ok := resp.Scores[it.ID]; ok {
				out[it.ID] = strconv.Itoa(v)
			}
		case store.ItemChoice:
			out[it.ID] = resp.Choices[it.ID]
		case store.ItemText:
			out[it.ID] = resp.Texts[it.ID]
		}
	}
	return out
}

// answerForm is the form of a round's survey for u: it says at the top
// which mode applies and who can see what, and until when answers can be
// changed.
func (a *Feature) answerForm(u store.User, r store.SurveyRound, vals map[string]string, errs map[string]string) bot.Form {
	lang := a.Lang(u)
	intro := []string{}
	if s := surveydef.Text(r.Survey.Intro).In(lang); s != "" {
		intro = append(intro, handlers.Clean(s))
	}
	intro = append(intro, a.T(u, "survey.form.privacy."+r.Mode, "K", r.MinGroup, "KText", r.MinComments,
		"Deadline", r.Deadline.In(a.Config.Location).Format("2006-01-02 15:04")))
	f := bot.Form{
		ID: formAnswer, Value: strconv.FormatUint(r.ID, 10),
		Title:  handlers.Excerpt(surveydef.Text(r.Survey.Title).In(lang), 24),
		Submit: a.T(u, "survey.form.submit"),
		Intro:  strings.Join(intro, "\n\n"),
		Errors: errs,
	}
	for _, it := range r.Survey.Items {
		in := bot.Input{Name: it.ID, Label: handlers.Clean(surveydef.Text(it.Title).In(lang)), Value: vals[it.ID], Required: !it.Optional}
		switch it.Kind {
		case store.ItemScale0to10:
			in.Kind, in.Min, in.Max, in.Hint = bot.InputScale, 0, 10, a.T(u, "survey.form.hint10")
		case store.ItemScale1to5:
			in.Kind, in.Min, in.Max, in.Hint = bot.InputScale, 1, 5, a.T(u, "survey.form.hint5")
		case store.ItemChoice:
			in.Kind = bot.InputRadio
			for _, o := range it.Options {
				in.Options = append(in.Options, bot.Option{Value: o.ID, Label: handlers.Clean(surveydef.Text(o.Title).In(lang))})
			}
		case store.ItemText:
			in.Kind, in.MaxLen = bot.InputTextarea, maxComment
			if r.Mode == store.SurveyAnonymous {
				in.Hint = a.T(u, "survey.form.comment_hint")
			}
		default:
			continue
		}
		f.Inputs = append(f.Inputs, in)
	}
	return f
}

// readAnswers checks a submitted form against the survey: every required
// item answered, scores in range, options known, texts not too long. It
// returns the response, or the error to show on each bad input.
func (a *Feature) readAnswers(u store.User, s store.Survey, form map[string]string) (store.SurveyResponse, map[string]string) {
	resp := store.SurveyResponse{Scores: map[string]int{}, Choices: map[string]string{}, Texts: map[string]string{}}
	errs := map[string]string{}
	for _, it := range s.Items {
		v := strings.TrimSpace(form[it.ID])
		if v == "" {
			if !it.Optional {
				errs[it.ID] = a.T(u, "survey.form.error.required")
			}
			continue
		}
		switch it.Kind {
		case store.ItemScale0to10, store.ItemScale1to5:
			lo, hi := 0, 10
			if it.Kind == store.ItemScale1to5 {
				lo, hi = 1, 5
			}
			n, err := strconv.Atoi(text.Normalize(v))
			if err != nil || n < lo || n > hi {
				errs[it.ID] = a.T(u, "survey.form.error.range", "Min", lo, "Max", hi)
				continue
			}
			resp.Scores[it.ID] = n
		case store.ItemChoice:
			ok := false
			for _, o := range it.Options {
				ok = ok || o.ID == v
			}
			if !ok {
				errs[it.ID] = a.T(u, "survey.form.error.choice")
				continue
			}
			resp.Choices[it.ID] = v
		case store.ItemText:
			if n := handlers.Runes(v); n > maxComment {
				errs[it.ID] = a.T(u, "error.too_long", "Len", n, "Max", maxComment)
				continue
			}
			resp.Texts[it.ID] = v
		}
	}
	return resp, errs
}

// answerSubmit stores a submitted answer, replacing the person's earlier
// one, with the round's tallies, in one commit.
func (a *Feature) answerSubmit(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	round, err := a.openRound(m.Action.Value)
	if err != nil {
		return err
	}
	resp, errs := a.readAnswers(u, round.Survey, m.Form)
	if len(errs) > 0 {
		return bot.OpenForm(ctx, r, a.answerForm(u, round, m.Form, errs))
	}
	var replaced bool
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		replaced, err = tx.Surveys().Answer(round.ID, u.ID, resp)
		return err
	})
	switch {
	case errors.Is(err, store.ErrNotInvited):
		return bot.Errorf(bot.CodeForbidden, "survey.error.not_invited")
	case errors.Is(err, store.ErrRoundClosed):
		return bot.Errorf(bot.CodeConflict, "survey.error.closed")
	case err != nil:
		return err
	}
	key := "survey.answered"
	if replaced {
		key = "survey.answer_changed"
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key, "Deadline", round.Deadline.In(a.Config.Location).Format("2006-01-02 15:04"))})
	return err
}
