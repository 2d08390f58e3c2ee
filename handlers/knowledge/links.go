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

// Limits of tip links.
const (
	linksPerTopic = 10 // tips shown for one topic
	linksPerGroup = 5  // tips shown for each topic when all are listed
)

// linkGroup is one topic's link collection.
type linkGroup struct {
	topic string
	tips  []store.Tip
}

// listLinks answers /soudan tip links [topic]: the tips that have links
// (manuals and the like), the most helpful first, for the topic or for
// each topic. It reads a few index keys per topic, however many tips
// there are.
func (a *Feature) listLinks(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	name := strings.TrimSpace(m.ArgText)
	var groups []linkGroup
	err := a.View(func(tx *store.Tx) error {
		if name != "" {
			tp, err := tx.Topics().ByName(name)
			if errors.Is(err, store.ErrNotFound) {
				return bot.Errorf(bot.CodeNotFound, "tip.error.no_topic", "Name", handlers.Clean(name))
			}
			if err != nil {
				return err
			}
			ts, err := tx.LinkTips(tp.ID, linksPerTopic)
			groups = append(groups, linkGroup{tp.Name, ts})
			return err
		}
		topics, err := tx.Topics().All()
		if err != nil {
			return err
		}
		for _, tp := range topics {
			ts, err := tx.LinkTips(tp.ID, linksPerGroup)
			if err != nil {
				return err
			}
			groups = append(groups, linkGroup{tp.Name, ts})
		}
		ts, err := tx.LinkTips(0, linksPerGroup)
		groups = append(groups, linkGroup{a.T(u, "tip.no_topic"), ts})
		return err
	})
	if err != nil {
		if _, ok := bot.AsError(err); ok {
			return err
		}
		return fmt.Errorf("tip links: %w", err)
	}
	var lines []string
	for _, g := range groups {
		if len(g.tips) == 0 {
			continue
		}
		if name == "" {
			lines = append(lines, a.T(u, "tip.links.topic", "Topic", handlers.Clean(g.topic)))
		}
		for _, t := range g.tips {
			lines = append(lines, a.T(u, "tip.links.tip", "ID", t.ID, "Title", handlers.Clean(t.Title), "Helpful", t.Helpful))
			for _, l := range t.Links {
				lines = append(lines, "    "+handlers.Clean(l))
			}
		}
	}
	if len(lines) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.links.empty")})
		return err
	}
	head := a.T(u, "tip.links.title")
	if name != "" {
		head = a.T(u, "tip.links.title_topic", "Topic", handlers.Clean(groups[0].topic))
	}
	lines = append([]string{head}, lines...)
	lines = append(lines, a.T(u, "tip.links.hint"))
	_, err = r.Reply(ctx, bot.Reply{Text: strings.Join(lines, "\n")})
	return err
}

// idText is an id as buttons and forms carry it.
func idText(id uint64) string { return strconv.FormatUint(id, 10) }
