package knowledge

import (
	"context"
	"errors"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Naming the asker: a tip saved from a consultation never names its
// asker. When they asked by name, they are told of the tip by DM with a
// button to agree to be named on it; only their press names them. An
// anonymous asker is never asked (nor named).

// actionCredit is the asker's "name me on the tip" button.
const actionCredit = "tip.credit"

// namedAsker is the asker of consultation cid when they asked by name and
// are not saver themselves; nil otherwise.
func (a *Feature) namedAsker(cid uint64, saver store.User) *store.User {
	if a.Consultations == nil {
		return nil
	}
	id, ok := a.Consultations.KnowledgeAsker(cid)
	if !ok || id == saver.ID {
		return nil
	}
	u, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(id) })
	if err != nil {
		a.Log.Warn("tip saved from a consultation: asker", "consultation", cid, "err", err)
		return nil
	}
	return &u
}

// creditOffer tells the asker that their consultation became tip t, that
// their name is not on it, and offers the button that names them.
func (a *Feature) creditOffer(asker, saver store.User, t store.Tip) handlers.Outgoing {
	key := "tipcredit:" + idText(t.ID)
	return handlers.Outgoing{To: handlers.DMAddress(asker), Key: key, Reply: bot.Reply{
		Key:  key,
		Text: a.T(asker, "tip.credit.offer", "Consultation", t.ConsultationID, "ID", t.ID, "Title", handlers.Clean(t.Title), "Name", handlers.Clean(saver.Name)),
		Buttons: []bot.Button{
			{ID: actionCredit, Label: a.T(asker, "tip.credit.button"), Value: idText(t.ID)},
		},
		Anchor: "tip:" + idText(t.ID),
	}}
}

// credit names the presser on the tip, when they asked the consultation
// it was saved from by name.
func (a *Feature) credit(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	t, err := a.loadTip(m.Action.Value)
	if err != nil {
		return err
	}
	if t.ConsultationID == 0 || a.Consultations == nil {
		return bot.Errorf(bot.CodeForbidden, "tip.error.not_asker", "ID", t.ID)
	}
	if id, ok := a.Consultations.KnowledgeAsker(t.ConsultationID); !ok || id != u.ID {
		return bot.Errorf(bot.CodeForbidden, "tip.error.not_asker", "ID", t.ID)
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		_, err := tx.UpdateTip(t.ID, func(t *store.Tip) error { t.CreditTo = u.ID; return nil })
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", t.ID)
	}
	if err != nil {
		return fmt.Errorf("credit tip: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.credit.done", "ID", t.ID), Ephemeral: true})
	return err
}
