package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Audit actions of the synonym commands.
const (
	auditSynonymAdd    = "synonym.add"
	auditSynonymRemove = "synonym.remove"
	maxSynonymWords    = 20
)

// registerSynonyms adds /soudan admin synonym add|list|remove: the
// admins' part of the search's synonym dictionary.
func (a *Feature) registerSynonyms(rt *bot.Router) {
	a.DescribeAudit(auditSynonymAdd, "search.audit.synonym_add")
	a.DescribeAudit(auditSynonymRemove, "search.audit.synonym_remove")
	rt.Command(bot.Command{Name: "admin", Role: store.RoleAdmin, Sub: []bot.Command{
		{Name: "synonym", Aliases: []string{"同義語", "類義語"}, UsageKey: "usage.admin.synonym", Sub: []bot.Command{
			{Name: "add", Aliases: []string{"追加"}, UsageKey: "usage.admin.synonym.add", Handler: a.addSynonyms},
			{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.admin.synonym.list", Handler: a.listSynonyms},
			{Name: "remove", Aliases: []string{"削除"}, UsageKey: "usage.admin.synonym.remove", Handler: a.removeSynonyms},
		}},
	}})
}

// synonymArgs checks the words of a synonym command: at least min, each
// one text.SynonymEntryOK accepts, repeats (by Normalize) left out.
func (a *Feature) synonymArgs(u store.User, args []string, min int, usageKey string) ([]string, error) {
	var words []string
	for _, w := range args {
		if text.SynonymEntryOK(w) != nil {
			return nil, bot.Errorf(bot.CodeInvalid, "search.synonym.error.word", "Word", handlers.Clean(w),
				"Min", text.MinSynonymRunes, "Max", text.MaxSynonymRunes)
		}
		if !containsNormalized(words, w) {
			words = append(words, w)
		}
	}
	if len(words) < min || len(words) > maxSynonymWords {
		return nil, a.UsageError(u, usageKey)
	}
	return words, nil
}

func containsNormalized(ws []string, w string) bool {
	for _, x := range ws {
		if text.Normalize(x) == text.Normalize(w) {
			return true
		}
	}
	return false
}

// addSynonyms answers /soudan admin synonym add WORD WORD...: the words
// become one group (with the admin groups that already hold one of them).
func (a *Feature) addSynonyms(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	words, err := a.synonymArgs(u, m.Args, 2, "usage.admin.synonym.add")
	if err != nil {
		return err
	}
	var g store.SynonymGroup
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if g, err = tx.AddSynonyms(words, u.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditSynonymAdd, strings.Join(g.Words, ", "))
	})
	if err != nil {
		return fmt.Errorf("add synonyms: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "search.synonym.added", "Words", handlers.Clean(strings.Join(g.Words, " = ")))})
	return err
}

// removeSynonyms answers /soudan admin synonym remove WORD...: each word
// leaves the admins' groups and the built-in ones.
func (a *Feature) removeSynonyms(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	words, err := a.synonymArgs(u, m.Args, 1, "usage.admin.synonym.remove")
	if err != nil {
		return err
	}
	var removed []string
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if removed, err = tx.RemoveSynonyms(words, u.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditSynonymRemove, strings.Join(removed, ", "))
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "search.synonym.error.not_found", "Words", handlers.Clean(strings.Join(words, ", ")))
	}
	if err != nil {
		return fmt.Errorf("remove synonyms: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "search.synonym.removed", "Words", handlers.Clean(strings.Join(removed, ", ")))})
	return err
}

// listSynonyms answers /soudan admin synonym list [WORD]: a word's
// synonyms as search applies them, or the admins' groups and the words
// they took out of the built-in dictionary.
func (a *Feature) listSynonyms(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if word := strings.TrimSpace(m.ArgText); word != "" {
		var of []string
		_ = a.View(func(tx *store.Tx) error {
			of = tx.SynonymsOf(word)
			return nil
		})
		key := "search.synonym.of"
		if len(of) == 0 {
			key = "search.synonym.of_none"
		}
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key, "Word", handlers.Clean(word), "Words", handlers.Clean(strings.Join(of, ", ")))})
		return err
	}
	var groups []store.SynonymGroup
	var off []string
	err := a.View(func(tx *store.Tx) (err error) {
		off = tx.RemovedSynonyms()
		groups, err = tx.SynonymGroups()
		return err
	})
	if err != nil {
		return fmt.Errorf("list synonyms: %w", err)
	}
	lines := []string{a.T(u, "search.synonym.list.title", "Count", len(groups), "Builtin", store.BuiltinSynonymGroups())}
	for _, g := range groups {
		lines = append(lines, "• "+handlers.Clean(strings.Join(g.Words, " = ")))
	}
	if len(off) > 0 {
		lines = append(lines, a.T(u, "search.synonym.list.off", "Words", handlers.Clean(strings.Join(off, ", "))))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: strings.Join(lines, "\n")})
	return err
}
