package admin

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
		// A word given twice, however written ("IT・Teams" and "it teams"),
		// is one name, as the store keys them (text.Fold).
		n, key := text.Normalize(w), text.Fold(w)
		if key == "" || seen[key] {
			continue
		}
		if handlers.Runes(w) > maxTopicName || strings.HasPrefix(n, "#") || strings.HasPrefix(n, "<") {
			return bot.Errorf(bot.CodeInvalid, "admin.error.bad_topic_name", "Name", w, "Max", maxTopicName)
		}
		t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(w) })
		if err == nil {
			return bot.Errorf(bot.CodeConflict, "admin.error.topic_exists", "Word", w, "Topic", t.Name)
		} else if !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("add topic: %w", err)
		}
		seen[key] = true
		words = append(words, w)
	}
	if len(words) == 0 {
		return a.UsageError(u, "usage.admin.topic.add")
	}
	var t store.Topic
	err := a.Commit(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.Topics().Create(store.Topic{Name: words[0], Aliases: words[1:]}); err != nil {
			return err
		}
		detail := t.Name
		if len(t.Aliases) > 0 {
			detail += " [" + strings.Join(t.Aliases, ", ") + "]"
		}
		return handlers.AuditTx(tx, u, auditTopicAdd, detail)
	})
	if errors.Is(err, store.ErrExists) {
		return &bot.Error{Code: bot.CodeConflict, MsgKey: "admin.error.topic_taken", Args: map[string]any{"Name": words[0]}, Err: err}
	} else if err != nil {
		return fmt.Errorf("add topic: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.topic.added", "Name", t.Name, "Aliases", a.aliasText(u, t))})
	return err
}

// aliasText lists a topic's aliases, or says there are none.
func (a *Feature) aliasText(u store.User, t store.Topic) string {
	return a.ListText(u, t.Aliases, "admin.topic.none")
}

// listTopics answers /soudan admin topic list: each topic with its aliases,
// channels, available mentors and the default marker.
func (a *Feature) listTopics(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var ts []store.Topic
	mentors := map[uint64][]store.Mentor{}
	err := a.View(func(tx *store.Tx) (err error) {
		if ts, err = tx.Topics().All(); err != nil {
			return err
		}
		for _, t := range ts {
			if mentors[t.ID], err = tx.Mentors().ByTopic(t.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list topics: %w", err)
	}
	now := a.Now()
	fields := make([]bot.Field, 0, len(ts))
	for _, t := range ts {
		ms := mentors[t.ID]
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
	ch, err := channelArg(m, m.Args[0])
	if err != nil {
		return err
	}
	name := strings.Join(m.Args[1:], " ")
	t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(name) })
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "admin.error.no_topic", "Name", handlers.Clean(name))
	} else if err != nil {
		return fmt.Errorf("map channel: %w", err)
	}
	prev, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(ch.Platform, ch.Workspace, ch.Channel)
	})
	switch {
	case err == nil && prev.ID == t.ID:
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.topic.already_mapped", "Channel", handlers.ChannelLabel(ch), "Topic", t.Name)})
		return err
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("map channel: %w", err)
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		if _, err := tx.Topics().MapChannel(t.ID, ch); err != nil {
			return fmt.Errorf("map channel: %w", err)
		}
		return handlers.AuditTx(tx, u, auditTopicMap, handlers.ChannelLabel(ch)+" → "+t.Name)
	})
	if err != nil {
		return err
	}
	text := a.T(u, "admin.topic.mapped", "Channel", handlers.ChannelLabel(ch), "Topic", t.Name)
	if prev.ID != 0 {
		text += "\n" + a.T(u, "admin.topic.moved", "From", prev.Name)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// topicNamed finds the topic an admin names, or refuses.
func (a *Feature) topicNamed(name string) (store.Topic, error) {
	t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(name) })
	if errors.Is(err, store.ErrNotFound) {
		return store.Topic{}, bot.Errorf(bot.CodeNotFound, "admin.error.no_topic", "Name", handlers.Clean(name))
	} else if err != nil {
		return store.Topic{}, fmt.Errorf("topic %q: %w", name, err)
	}
	return t, nil
}

// checkTopicName refuses a name that is empty once invisible characters
// (zero-width spaces, bidi overrides) and separators are gone (the store
// could not key it), too long, or starts like a
// channel or markup; it returns the name cleaned.
func checkTopicName(name string) (string, error) {
	clean := handlers.Clean(name)
	n := text.Normalize(clean)
	if text.Fold(clean) == "" || handlers.Runes(clean) > maxTopicName || strings.HasPrefix(n, "#") || strings.HasPrefix(n, "<") {
		return "", bot.Errorf(bot.CodeInvalid, "admin.error.bad_topic_name", "Name", clean, "Max", maxTopicName)
	}
	return clean, nil
}

// renameTopic answers /soudan admin topic rename <topic> <new name>.
func (a *Feature) renameTopic(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 2 {
		return a.UsageError(u, "usage.admin.topic.rename")
	}
	t, err := a.topicNamed(m.Args[0])
	if err != nil {
		return err
	}
	name, err := checkTopicName(strings.Join(m.Args[1:], " "))
	if err != nil {
		return err
	}
	if other, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(name) }); err == nil && other.ID != t.ID {
		return bot.Errorf(bot.CodeConflict, "admin.error.topic_exists", "Word", name, "Topic", other.Name)
	}
	old := t.Name
	err = a.Commit(ctx, func(tx *store.Tx) error {
		if _, err := tx.Topics().Update(t.ID, func(t *store.Topic) error { t.Name = name; return nil }); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditTopicRename, old+" → "+name)
	})
	if errors.Is(err, store.ErrExists) {
		return &bot.Error{Code: bot.CodeConflict, MsgKey: "admin.error.topic_taken", Args: map[string]any{"Name": name}, Err: err}
	} else if err != nil {
		return fmt.Errorf("rename topic: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.topic.renamed", "From", handlers.Clean(old), "To", name)})
	return err
}

// removeTopic answers /soudan admin topic remove <topic>: its active
// consultations move to the default topic, and mentors' profiles no
// longer list it. The default topic stays.
func (a *Feature) removeTopic(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return a.UsageError(u, "usage.admin.topic.remove")
	}
	t, err := a.topicNamed(strings.Join(m.Args, " "))
	if err != nil {
		return err
	}
	if t.Default {
		return bot.Errorf(bot.CodeConflict, "admin.error.default_topic", "Name", handlers.Clean(t.Name))
	}
	var rm store.TopicRemoval
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if rm, err = tx.Topics().Remove(t.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditTopicRemove, fmt.Sprintf("%s (→ %s: %d, mentors: %d)", rm.Topic.Name, rm.MovedTo.Name, rm.Moved, rm.Mentors))
	})
	if errors.Is(err, store.ErrDefaultTopic) {
		return bot.Errorf(bot.CodeConflict, "admin.error.default_topic", "Name", handlers.Clean(t.Name))
	} else if err != nil {
		return fmt.Errorf("remove topic: %w", err)
	}
	text := a.T(u, "admin.topic.removed",
		"Name", handlers.Clean(rm.Topic.Name), "Moved", rm.Moved, "Default", handlers.Clean(rm.MovedTo.Name), "Mentors", rm.Mentors)
	if len(rm.Topic.Channels) > 0 {
		var chans []string
		for _, ch := range rm.Topic.Channels {
			chans = append(chans, handlers.ChannelLabel(ch))
		}
		text += "\n" + a.T(u, "admin.topic.removed_channels", "Channels", a.ListText(u, chans, "admin.role.no_departments"), "Count", len(chans))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// unmapTopic answers /soudan admin topic unmap <#channel>: posts in the
// channel are no longer questions on its topic.
func (a *Feature) unmapTopic(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) != 1 {
		return a.UsageError(u, "usage.admin.topic.unmap")
	}
	ch, err := channelArg(m, m.Args[0])
	if err != nil {
		return err
	}
	var t store.Topic
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if t, err = tx.Topics().UnmapChannel(ch); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditTopicUnmap, handlers.ChannelLabel(ch)+" ← "+t.Name)
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "admin.error.not_mapped", "Channel", handlers.ChannelLabel(ch))
	} else if err != nil {
		return fmt.Errorf("unmap channel: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.topic.unmapped", "Channel", handlers.ChannelLabel(ch), "Topic", handlers.Clean(t.Name))})
	return err
}

// channelArg reads a channel argument of an admin command: "#name",
// Slack's "<#C123|name>", or "here" (ここ) for the channel the command is
// typed in, on the command's platform and workspace.
func channelArg(m *bot.Message, arg string) (store.ChannelRef, error) {
	ch, ok := handlers.ParseChannel(arg)
	if here := text.Normalize(arg); here == "here" || here == "ここ" {
		if m.Direct || m.Address.Channel == "" {
			return store.ChannelRef{}, bot.Errorf(bot.CodeInvalid, "admin.error.here_in_dm")
		}
		ch, ok = store.ChannelRef{Channel: m.Address.Channel}, true
	}
	if !ok {
		return store.ChannelRef{}, bot.Errorf(bot.CodeInvalid, "admin.error.bad_channel", "Channel", handlers.Clean(arg))
	}
	ch.Platform, ch.Workspace = m.Address.Platform, m.Address.Workspace
	return ch, nil
}
