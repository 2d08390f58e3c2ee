package consult

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// consultation loads the consultation an id argument names.
func (a *Feature) consultation(arg string) (store.Consultation, error) {
	id, ok := handlers.ParseID(arg)
	if !ok {
		return store.Consultation{}, bot.Errorf(bot.CodeInvalid, "error.bad_id", "ID", arg)
	}
	c, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) })
	if errors.Is(err, store.ErrNotFound) {
		return c, bot.Errorf(bot.CodeNotFound, "error.not_found", "ID", id)
	}
	if err != nil {
		return c, fmt.Errorf("load consultation %d: %w", id, err)
	}
	return c, nil
}

// errTaken reports, from inside an update, that someone else took it.
var errTaken = errors.New("taken by another mentor")

// takeAction lets a mentor take a consultation, so the asker and the other
// mentors know someone is on it.
func (a *Feature) takeAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	c, err := a.consultation(m.Action.Value)
	if err != nil {
		return err
	}
	if c.AskerID == u.ID {
		return bot.Errorf(bot.CodeForbidden, "consult.error.own", "ID", c.ID)
	}
	// The update runs inside the store's transaction: it must not call the
	// store, so the taker's name is looked up after a refusal.
	var takenBy uint64
	var took store.Consultation
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		took, err = tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			if !c.State.Active() {
				return bot.Errorf(bot.CodeConflict, "consult.error.not_active", "ID", c.ID, "State", a.stateLabel(u, c.State))
			}
			if c.TakenBy != 0 && c.TakenBy != u.ID {
				takenBy = c.TakenBy
				return errTaken
			}
			c.TakenBy = u.ID
			return nil
		})
		return err
	})
	if errors.Is(err, errTaken) {
		return bot.Errorf(bot.CodeConflict, "consult.error.taken", "ID", c.ID, "Name", a.authorLabel(nil, u, c, takenBy))
	}
	if err != nil {
		return err
	}
	c = took
	if _, err := r.Reply(ctx, bot.Reply{Ephemeral: true, Text: a.T(u, "consult.took", "ID", c.ID), Anchor: strconv.FormatUint(c.ID, 10)}); err != nil {
		return err
	}
	a.tellAsker(ctx, c, "consult.taken", "ID", c.ID, "Name", u.Name)
	return nil
}

// tellAsker sends the asker a short note about c: into their DM thread of
// it when there is one, else as a new DM.
func (a *Feature) tellAsker(ctx context.Context, c store.Consultation, key string, kv ...any) {
	asker, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.AskerID) })
	if err != nil {
		a.Log.Warn("tell asker", "consultation", c.ID, "err", err)
		return
	}
	if asker.Deleted {
		return // forgotten: nobody to tell
	}
	r := bot.Reply{Text: a.T(asker, key, kv...), Anchor: strconv.FormatUint(c.ID, 10)}
	if err := a.Deliver(ctx, handlers.OwnThread(c, asker), r, handlers.Sent{}); err != nil {
		a.Log.Warn("tell asker", "consultation", c.ID, "err", err)
	}
}

// answerAction opens the answer form for a consultation.
func (a *Feature) answerAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	c, err := a.consultation(m.Action.Value)
	if err != nil {
		return err
	}
	if err := a.notTaking(u, c); err != nil {
		return err
	}
	return bot.OpenForm(ctx, r, a.answerFormFor(u, c, "", nil))
}

func (a *Feature) answerFormFor(u store.User, c store.Consultation, text string, errs map[string]string) bot.Form {
	return bot.Form{
		ID: formAnswer, Value: strconv.FormatUint(c.ID, 10),
		Title: a.T(u, "consult.form.answer_title", "ID", c.ID), Submit: a.T(u, "consult.form.answer_submit"),
		Intro: handlers.Excerpt(c.Question(), 200),
		Inputs: []bot.Input{
			{Name: "answer", Label: a.T(u, "consult.form.answer"), Kind: bot.InputTextarea, Required: true, MaxLen: a.Config.MaxText, Value: text},
		},
		Errors: errs,
	}
}

// answerForm records a submitted answer as if it had been posted in the
// answerer's own thread of the consultation.
func (a *Feature) answerForm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	c, err := a.consultation(m.Action.Value)
	if err != nil {
		return err
	}
	text := m.Form["answer"]
	if err := a.CheckText(text); err != nil {
		be, _ := bot.AsError(err)
		return bot.OpenForm(ctx, r, a.answerFormFor(u, c, text, map[string]string{"answer": a.TM(a.Lang(u), be.MsgKey, be.Args)}))
	}
	from, _ := handlers.UserThread(c, u.ID)
	if err := a.addMessage(ctx, m, c, from, text); err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: true, Text: a.T(u, "consult.answer_sent", "ID", c.ID), Anchor: strconv.FormatUint(c.ID, 10)})
	return err
}
