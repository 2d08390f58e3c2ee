package knowledge

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// searchQuery is a parsed "tip search [-n N] WORDS".
type searchQuery struct {
	n     int
	words string
}

// parseSearch reads "[-n N] WORDS" ("-n5" too). ok is false for a bad N;
// words may be empty.
func parseSearch(args []string) (q searchQuery, ok bool) {
	q.n = defaultHits
	if len(args) > 0 {
		a := args[0]
		var num string
		switch {
		case a == "-n" || a == "--n" || a == "－ｎ":
			if len(args) < 2 {
				return q, false
			}
			num, args = args[1], args[2:]
		case strings.HasPrefix(a, "-n"):
			num, args = a[2:], args[1:]
		}
		if num != "" {
			n, err := strconv.Atoi(text.Normalize(num))
			if err != nil || n < 1 || n > maxHits {
				return q, false
			}
			q.n = n
		}
	}
	q.words = strings.Join(args, " ")
	return q, true
}

// searchTips answers /soudan tip search [-n N] WORDS: each hit with its
// id, full title, topic and a snippet with the matched words marked, the
// asker's language first among equals (the words' script, else the
// user's locale).
func (a *Feature) searchTips(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	q, ok := parseSearch(m.Args)
	if !ok {
		return bot.Errorf(bot.CodeInvalid, "tip.error.bad_n", "Max", maxHits)
	}
	if strings.TrimSpace(q.words) == "" {
		return a.UsageError(u, "usage.tip.search")
	}
	if len(store.TipQueryWords(q.words)) == 0 {
		// Something was typed, but nothing in it can be searched for.
		return bot.Errorf(bot.CodeInvalid, "tip.error.no_words", "Query", handlers.Clean(handlers.Excerpt(handlers.OneLine(q.words), 60)))
	}
	var hits []store.TipHit
	topics := map[uint64]string{}
	err := a.View(func(tx *store.Tx) (err error) {
		if hits, err = tx.SearchTipsIn(q.words, store.QueryLang(q.words, a.Lang(u)), q.n); err != nil {
			return err
		}
		for _, h := range hits {
			if id := h.Tip.TopicID; id != 0 && topics[id] == "" {
				if tp, err := tx.Topics().ByID(id); err == nil {
					topics[id] = tp.Name
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("search tips: %w", err)
	}
	if err := a.countSearch(ctx, q.words, len(hits) == 0); err != nil {
		return err
	}
	query := handlers.Clean(handlers.Excerpt(handlers.OneLine(q.words), 60))
	if len(hits) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.search.none", "Query", query)})
		return err
	}
	lines := []string{a.T(u, "tip.search.title", "Query", query, "Count", len(hits))}
	for _, h := range hits {
		lines = append(lines, a.tipLine(u, h.Tip, topics[h.Tip.TopicID]))
		body := h.Tip.Body
		if body == "" {
			body = h.Tip.Title
		}
		lines = append(lines, "    "+handlers.Clean(Snippet(body, h.Terms, snippetRunes)))
		if h.Translated != 0 {
			lines = append(lines, "    "+a.T(u, "tip.search.translated", "ID", h.Translated))
		}
		if len(h.Learned) > 0 {
			lines = append(lines, "    "+a.T(u, "tip.search.learned", "Words", handlers.Clean(strings.Join(h.Learned, ", "))))
		}
	}
	lines = append(lines, a.T(u, "tip.search.hint"))
	_, err = r.Reply(ctx, bot.Reply{Text: strings.Join(lines, "\n")})
	return err
}

// countSearch adds the search to the month's statistics (and, when it
// found nothing, to the empty ones) in the commit that marks the event
// done: the write the event costs anyway, shared with concurrent events.
func (a *Feature) countSearch(ctx context.Context, query string, empty bool) error {
	month := a.Month(a.Now())
	err := a.Commit(ctx, func(tx *store.Tx) error {
		if err := tx.AddMonthly(month, store.StatSearches, 1); err != nil {
			return err
		}
		if err := tx.CountSearchTerm(month, query, empty); err != nil {
			return err
		}
		if empty {
			return tx.AddMonthly(month, store.StatSearchEmpty, 1)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("count search: %w", err)
	}
	return nil
}
