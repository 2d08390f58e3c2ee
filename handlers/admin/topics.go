package admin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// maxTopicName is the longest topic name or alias, in characters.
const maxTopicName = 50

// addTopic answers /soudan admin topic add NAME [aliases...].
func (a *Feature) addTopic(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return a.UsageError(u, "usage.admin.topic.add")
	}
	words := make([]string, 0, len(m.Args))
	seen := map[string]bool{}
	for _, w := range m.Args {
		w = handlers.Clean(w)
		n := store.Normalize(w)
		if n == "" || seen[n] {
			continue
		}
		if handlers.Runes(w) > maxTopicName || strings.HasPrefix(n, "#") || strings.HasPrefix(n, "<") {
			return bot.Errorf(bot.CodeInvalid, "admin.error.bad_topic_name", "Name", w, "Max", maxTopicName)
		}
		t, err := a.Store.TopicByName(w)
		if err == nil {
			return bot.Errorf(bot.CodeConflict, "admin.error.topic_exists", "Word", w, "Topic", t.Name)
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("add topic: %w", err)
		}
		seen[n] = true
		words = append(words, w)
	}
	if len(words) == 0 {
		return a.UsageError(u, "usage.admin.topic.add")
	}
	t, err := a.Store.CreateTopic(store.Topic{Name: words[0], Aliases: words[1:]})
	if errors.Is(err, store.ErrExists) {
		return &bot.Error{Code: "topic_exists", MsgKey: "admin.error.topic_taken", Args: map[string]any{"Name": words[0]}, Err: err}
	} else if err != nil {
		return fmt.Errorf("add topic: %w", err)
	}
	detail := t.Name
	if len(t.Aliases) > 0 {
		detail += " [" + strings.Join(t.Aliases, ", ") + "]"
	}
	if err := a.Audit(u, auditTopicAdd, detail); err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.topic.added", "Name", t.Name, "Aliases", a.aliasText(u, t))})
	return err
}

// aliasText lists a topic's aliases, or says there are none.
func (a *Feature) aliasText(u store.User, t store.Topic) string {
	if len(t.Aliases) == 0 {
		return a.T(u, "admin.topic.none")
	}
	return handlers.Clean(strings.Join(t.Aliases, a.T(u, "people.list_sep")))
}

// listTopics answers /soudan admin topic list: each topic with its aliases,
// channels, available mentors and the default marker.
func (a *Feature) listTopics(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	ts, err := a.Store.Topics()
	if err != nil {
		return fmt.Errorf("list topics: %w", err)
	}
	now := a.Now()
	fields := make([]bot.Field, 0, len(ts))
	for _, t := range ts {
		ms, err := a.Store.MentorsByTopic(t.ID)
		if err != nil {
			return fmt.Errorf("list topics: %w", err)
		}
		n := 0
		for _, mt := range ms {
			if mt.Available(now) {
				n++
			}
		}
		label := handlers.Clean(t.Name)
		if t.Default {
			label = a.T(u, "admin.topic.default", "Name", label)
		}
		chans := make([]string, len(t.Channels))
		for i, ch := range t.Channels {
			chans[i] = handlers.ChannelLabel(ch)
		}
		ch := a.T(u, "admin.topic.none")
		if len(chans) > 0 {
			ch = strings.Join(chans, a.T(u, "people.list_sep"))
		}
		fields = append(fields, bot.Field{Label: label, Value: a.T(u, "admin.topic.entry",
			"Aliases", a.aliasText(u, t), "Channels", ch, "Mentors", n)})
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "admin.topic.list.title", "Count", len(ts)), Fields: fields})
	return err
}

// mapTopic answers /soudan admin topic map <#channel> NAME: questions
// posted in the channel go to the topic. "here" names the channel the
// command is typed in.
func (a *Feature) mapTopic(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 2 {
		return a.UsageError(u, "usage.admin.topic.map")
	}
	ch, ok := handlers.ParseChannel(m.Args[0])
	if here := store.Normalize(m.Args[0]); here == "here" || here == "ここ" {
		if m.Direct || m.Address.Channel == "" {
			return bot.Errorf(bot.CodeInvalid, "admin.error.here_in_dm")
		}
		ch, ok = store.ChannelRef{Channel: m.Address.Channel}, true
	}
	if !ok {
		return bot.Errorf(bot.CodeInvalid, "admin.error.bad_channel", "Channel", handlers.Clean(m.Args[0]))
	}
	ch.Platform, ch.Workspace = m.Address.Platform, m.Address.Workspace
	name := strings.Join(m.Args[1:], " ")
	t, err := a.Store.TopicByName(name)
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "admin.error.no_topic", "Name", handlers.Clean(name))
	} else if err != nil {
		return fmt.Errorf("map channel: %w", err)
	}
	prev, err := a.Store.TopicByChannel(ch.Platform, ch.Workspace, ch.Channel)
	switch {
	case err == nil && prev.ID == t.ID:
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.topic.already_mapped", "Channel", handlers.ChannelLabel(ch), "Topic", t.Name)})
		return err
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("map channel: %w", err)
	}
	if _, err := a.Store.MapChannel(t.ID, ch); err != nil {
		return fmt.Errorf("map channel: %w", err)
	}
	if err := a.Audit(u, auditTopicMap, handlers.ChannelLabel(ch)+" → "+t.Name); err != nil {
		return err
	}
	text := a.T(u, "admin.topic.mapped", "Channel", handlers.ChannelLabel(ch), "Topic", t.Name)
	if prev.ID != 0 {
		text += "\n" + a.T(u, "admin.topic.moved", "From", prev.Name)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}
