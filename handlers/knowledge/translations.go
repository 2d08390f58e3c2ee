package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Translations: a tip in several languages (store.LinkTranslation). The
// search shows such a tip once, in the asker's language; `tip translate
// ID OTHER` records that tip ID says what tip OTHER says in another
// language, `tip untranslate ID` takes it out again. Both change how the
// tips are found, so they take the author of each tip concerned, or an
// admin; both are audited.

// Audit actions of translations.
const (
	auditTipTranslate   = "tip.translate"
	auditTipUntranslate = "tip.untranslate"
)

// translateCommand is /soudan tip translate ID OTHER.
func (a *Feature) translateCommand() bot.Command {
	return bot.Command{Name: "translate", Aliases: []string{"翻訳"}, UsageKey: "usage.tip.translate", Handler: a.translate}
}

// untranslateCommand is /soudan tip untranslate ID.
func (a *Feature) untranslateCommand() bot.Command {
	return bot.Command{Name: "untranslate", Aliases: []string{"翻訳解除"}, UsageKey: "usage.tip.untranslate", Handler: a.untranslate}
}

// translate answers /soudan tip translate ID OTHER.
func (a *Feature) translate(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) != 2 {
		return a.UsageError(u, "usage.tip.translate")
	}
	t, err := a.loadTip(m.Args[0])
	if err != nil {
		return err
	}
	other, err := a.loadTip(m.Args[1])
	if err != nil {
		return err
	}
	if t.ID == other.ID {
		return bot.Errorf(bot.CodeInvalid, "tip.translate.self", "ID", t.ID)
	}
	for _, tp := range []store.Tip{t, other} {
		if err := mayChange(u, tp); err != nil {
			return err
		}
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		if err := tx.LinkTranslation(t.ID, other.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditTipTranslate, fmt.Sprintf("#%d = #%d", t.ID, other.ID))
	})
	switch {
	case errors.Is(err, store.ErrSameLanguage):
		return bot.Errorf(bot.CodeInvalid, "tip.translate.same_language", "ID", t.ID, "Other", other.ID)
	case errors.Is(err, store.ErrNotFound):
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", t.ID)
	case err != nil:
		return fmt.Errorf("translate tip: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.translated", "ID", t.ID, "Other", other.ID)})
	return err
}

// untranslate answers /soudan tip untranslate ID.
func (a *Feature) untranslate(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	t, err := a.tipArg(u, m, "usage.tip.untranslate")
	if err != nil {
		return err
	}
	if err := mayChange(u, t); err != nil {
		return err
	}
	if len(t.Translations) == 0 {
		return bot.Errorf(bot.CodeNotFound, "tip.untranslate.none", "ID", t.ID)
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		if err := tx.UnlinkTranslation(t.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditTipUntranslate, fmt.Sprintf("#%d", t.ID))
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", t.ID)
	}
	if err != nil {
		return fmt.Errorf("untranslate tip: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.untranslated", "ID", t.ID)})
	return err
}

// translationsField lists t's translations on tip show.
func (a *Feature) translationsField(u store.User, t store.Tip) (bot.Field, bool) {
	var ts []store.Tip
	_ = a.View(func(tx *store.Tx) (err error) {
		ts, err = tx.TipTranslations(t)
		return err
	})
	if len(ts) == 0 {
		return bot.Field{}, false
	}
	var lines []string
	for _, o := range ts {
		lines = append(lines, a.T(u, "tip.translation", "ID", o.ID, "Title", handlers.Clean(o.Title)))
	}
	return bot.Field{Label: a.T(u, "tip.field.translations"), Value: strings.Join(lines, "\n")}, true
}
