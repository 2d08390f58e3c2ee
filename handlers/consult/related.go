package consult

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Related tips: when a consultation opens, the asker sees up to
// maxRelated tips that may answer it, each with a button to resolve the
// consultation with it on the spot (a deflection, counted per month);
// the routed mentors see the same tips on their cards.

// RelatedTips finds tips that may answer a question: the knowledge
// feature's search, with its own "nothing found well" threshold, so it
// may well find none, tips in the question's language first (its script,
// else locale, the asker's). cmd passes the knowledge feature.
type RelatedTips interface {
	RelatedTips(ctx context.Context, text, locale string, n int) ([]store.Tip, error)
}

// Related tips shown, and the button that resolves with one.
const (
	maxRelated    = 3
	actionDeflect = "consult.deflect"
)

// relatedBudget is the longest a new question waits for its related
// tips: a slower search is left to finish on its own and the question
// goes on without them (Slack wants a submitted form answered in 3 s).
const relatedBudget = 500 * time.Millisecond

// related finds the tips related to a question; none when the feature
// has no RelatedTips, or the search fails or takes longer than
// relatedBudget (the question goes on without).
func (a *Feature) related(ctx context.Context, text string, asker store.User) []store.Tip {
	if a.opt.Related == nil {
		return nil
	}
	type found struct {
		tips []store.Tip
		err  error
	}
	ctx, cancel := context.WithTimeout(ctx, relatedBudget)
	defer cancel()
	ch := make(chan found, 1)
	go func() {
		tips, err := a.opt.Related.RelatedTips(ctx, text, a.Lang(asker), maxRelated)
		ch <- found{tips, err}
	}()
	select {
	case f := <-ch:
		if f.err != nil {
			a.Log.Warn("related tips", "err", f.err)
			return nil
		}
		return f.tips[:min(len(f.tips), maxRelated)]
	case <-ctx.Done():
		a.Log.Warn("related tips: the search took too long; the question goes on without them", "budget", relatedBudget)
		return nil
	}
}

// relatedLines lists tips for viewer, under a heading.
func (a *Feature) relatedLines(viewer store.User, tips []store.Tip) string {
	lines := []string{a.T(viewer, "consult.related.title")}
	for _, t := range tips {
		lines = append(lines, a.T(viewer, "consult.related.tip", "ID", t.ID, "Title", handlers.Clean(t.Title)))
		for _, l := range t.Links {
			lines = append(lines, "    "+handlers.Clean(l))
		}
	}
	return strings.Join(lines, "\n")
}

// withRelated adds the related tips to the asker's acknowledgement r of
// c, with a button per tip that resolves c with it.
func (a *Feature) withRelated(asker store.User, c store.Consultation, r bot.Reply, tips []store.Tip) bot.Reply {
	if len(tips) == 0 {
		return r
	}
	r.Text += "\n\n" + a.relatedLines(asker, tips) + "\n" + a.T(asker, "consult.related.how")
	for _, t := range tips {
		r.Buttons = append(r.Buttons, bot.Button{
			ID: actionDeflect, Label: a.T(asker, "consult.related.button", "ID", t.ID),
			Value: strconv.FormatUint(c.ID, 10) + ":" + strconv.FormatUint(t.ID, 10),
		})
	}
	return r
}

// withRelatedField adds the related tips to a mentor's card.
func (a *Feature) withRelatedField(mentor store.User, r bot.Reply, tips []store.Tip) bot.Reply {
	if len(tips) == 0 {
		return r
	}
	_, list, _ := strings.Cut(a.relatedLines(mentor, tips), "\n")
	r.Fields = append(r.Fields, bot.Field{Label: a.T(mentor, "consult.related.field"), Value: list})
	return r
}

// questionText is c's question with the asker's follow-ups.
func questionText(c store.Consultation) string {
	var parts []string
	for _, m := range c.Messages {
		if m.Kind == store.MsgQuestion || m.Kind == store.MsgFollowUp {
			parts = append(parts, m.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// deflectAction resolves a consultation with a related tip: the asker
// only, an active consultation only. The resolution, the tip's helpful
// vote, the words the tip learns from the question, the month's
// deflection count and the notes to the mentors commit together.
func (a *Feature) deflectAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	cs, ts, ok := strings.Cut(m.Action.Value, ":")
	tipID, err := strconv.ParseUint(ts, 10, 64)
	if !ok || err != nil {
		return bot.Errorf(bot.CodeInvalid, "error.bad_id", "ID", handlers.Clean(m.Action.Value))
	}
	c, err := a.consultation(cs)
	if err != nil {
		return err
	}
	if err := a.mayResolve(u, c); err != nil {
		return err
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		tip, err := tx.Tip(tipID)
		if errors.Is(err, store.ErrNotFound) {
			return bot.Errorf(bot.CodeNotFound, "consult.error.no_tip", "ID", tipID)
		}
		if err != nil {
			return err
		}
		c, err = tx.Consultations().Update(c.ID, func(c *store.Consultation) error {
			if err := a.mayResolve(u, *c); err != nil {
				return err
			}
			now := tx.Now()
			note := "tip #" + strconv.FormatUint(tip.ID, 10)
			c.History = append(c.History, store.StateChange{From: c.State, To: store.StateResolved, By: u.ID, At: now, Note: note})
			c.State, c.ClosedAt = store.StateResolved, now
			return nil
		})
		if err != nil {
			return err
		}
		if _, err := tx.MarkTipHelpful(tip.ID, u.ID); err != nil && !errors.Is(err, store.ErrAlreadyVoted) {
			return err
		}
		// The tip learns the asker's words (words only: never who asked).
		if _, err := tx.LearnTipWords(tip.ID, questionText(c)); err != nil {
			return err
		}
		month := tx.Now().In(a.Config.Location).Format("2006-01")
		if err := tx.AddMonthly(month, store.StatDeflected, 1); err != nil {
			return err
		}
		notes := a.helperNotes(ctx, tx, c, "", func(viewer store.User) string {
			return a.T(viewer, "consult.deflected", "ID", c.ID, "Tip", tip.ID, "Title", handlers.Clean(tip.Title))
		})
		_, err = a.EnqueueTx(tx, nil, notes...)
		return err
	})
	if err != nil {
		if _, ok := bot.AsError(err); ok {
			return err
		}
		return fmt.Errorf("resolve with a tip: %w", err)
	}
	a.Log.Info("consultation resolved with a tip", "consultation", c.ID, "tip", tipID)
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: true, Text: a.T(u, "consult.deflected_you", "ID", c.ID, "Tip", tipID), Anchor: strconv.FormatUint(c.ID, 10)})
	return err
}
