package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Learned words: a tip learns the words of the questions it answered (a
// consultation resolved with it, or saved as it; see store.LearnTipWords).
// Admins see them on `tip show` and clear them with `tip unlearn`.

// auditTipUnlearn is the audit action of tip unlearn.
const auditTipUnlearn = "tip.unlearn"

// unlearnCommand is /soudan tip unlearn ID [WORD], for admins.
func (a *Feature) unlearnCommand() bot.Command {
	return bot.Command{Name: "unlearn", Aliases: []string{"忘れる", "学習削除"}, UsageKey: "usage.tip.unlearn",
		Role: store.RoleAdmin, Handler: a.unlearn}
}

// learnedField is the field of the words tip id learned, for an admin
// viewer; ok is false for anyone else or when it learned none.
func (a *Feature) learnedField(u store.User, id uint64) (bot.Field, bool) {
	if !u.HasRole(store.RoleAdmin) {
		return bot.Field{}, false
	}
	var ls []store.LearnedWord
	_ = a.View(func(tx *store.Tx) (err error) {
		ls, err = tx.TipLearned(id)
		return err
	})
	if len(ls) == 0 {
		return bot.Field{}, false
	}
	words := make([]string, len(ls))
	for i, l := range ls {
		words[i] = handlers.Clean(l.Word) + " ×" + strconv.Itoa(l.Count)
	}
	return bot.Field{Label: a.T(u, "tip.field.learned"), Value: strings.Join(words, ", ")}, true
}

// unlearn answers /soudan tip unlearn ID [WORD]: the tip forgets WORD, or
// every word it learned; audited.
func (a *Feature) unlearn(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 1 || len(m.Args) > 2 {
		return a.UsageError(u, "usage.tip.unlearn")
	}
	t, err := a.loadTip(m.Args[0])
	if err != nil {
		return err
	}
	word := ""
	if len(m.Args) == 2 {
		word = m.Args[1]
	}
	var gone []string
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if gone, err = tx.UnlearnTipWords(t.ID, word); err != nil || len(gone) == 0 {
			return err
		}
		return handlers.AuditTx(tx, u, auditTipUnlearn, fmt.Sprintf("#%d %s", t.ID, strings.Join(gone, ", ")))
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", t.ID)
	}
	if err != nil {
		return fmt.Errorf("unlearn tip words: %w", err)
	}
	if len(gone) == 0 && word == "" {
		return bot.Errorf(bot.CodeNotFound, "tip.unlearn.nothing", "ID", t.ID)
	}
	if len(gone) == 0 {
		return bot.Errorf(bot.CodeNotFound, "tip.unlearn.none", "ID", t.ID, "Word", handlers.Clean(word))
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.unlearned", "ID", t.ID, "Words", handlers.Clean(strings.Join(gone, ", ")))})
	return err
}
