// Package consult is consultations: a question asked by command, DM or
// channel post is routed to mentors of its topic, answered in threads or
// forms, and tracked until it is resolved or closed.
package consult

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Action and form ids of the consultation flow.
const (
	formAsk       = "consult.ask"
	formAnswer    = "consult.answer"
	formResolve   = "consult.resolve"
	actionTake    = handlers.ActionConsultTake
	actionAnswer  = handlers.ActionConsultAnswer
	actionResolve = handlers.ActionConsultResolve
	actionReopen  = handlers.ActionConsultReopen
	auditClose    = "consult.close"
)

// Options configure the consultation feature.
type Options struct {
	MaxRouted    int    // mentors asked per question; default 3
	DefaultTopic string // topic for questions that match none; default "その他"
	// Related, when set, finds the tips shown with a new question.
	Related RelatedTips
}

// Feature is consultations: asking, routing to mentors, answering in
// threads and forms, resolving, reopening and closing, the user's list and
// home surface.
type Feature struct {
	*handlers.Kit
	opt Options
}

// New returns the consultation feature, creating the default topic on
// first start.
func New(k *handlers.Kit, opt Options) (*Feature, error) {
	if opt.MaxRouted <= 0 {
		opt.MaxRouted = 3
	}
	if opt.DefaultTopic == "" {
		opt.DefaultTopic = "その他"
	}
	a := &Feature{Kit: k, opt: opt}
	if _, err := a.ensureDefaultTopic(); err != nil {
		return nil, fmt.Errorf("consult: %w", err)
	}
	return a, nil
}

// Register adds the consultation commands, posts, buttons and forms, the
// home surface, and the recording of where cards land.
func (a *Feature) Register(rt *bot.Router) {
	a.HandleSent(onSentThread, a.threadSent)
	a.DescribeAudit(auditClose, "consult.audit.close")
	a.registerHome(rt)
	rt.Command(bot.Command{Name: "ask", Aliases: []string{"相談", "質問", "そうだん"}, UsageKey: "usage.ask", Handler: a.askCommand})
	rt.Command(bot.Command{Name: "mine", Aliases: []string{"自分", "じぶん", "my"}, UsageKey: "usage.mine", Handler: a.mineCommand, MaxWords: bot.NoWords})
	rt.Command(bot.Command{Name: "resolve", Aliases: []string{"解決"}, UsageKey: "usage.resolve", Handler: a.resolveCommand})
	rt.Command(bot.Command{Name: "reopen", Aliases: []string{"再開"}, UsageKey: "usage.reopen", Handler: a.reopenCommand})
	rt.Command(bot.Command{Name: "close", Aliases: []string{"終了", "クローズ"}, UsageKey: "usage.close", Handler: a.closeCommand})

	// Order matters: a reply in a consultation's thread is an answer before
	// it is anything else.
	rt.Post(a.threadPost)
	rt.Post(a.channelQuestion)
	rt.Post(a.directQuestion)
	rt.Post(a.notForUs) // last: what no handler above took

	rt.Action(actionTake, a.takeAction)
	rt.Action(actionAnswer, a.answerAction)
	rt.Action(actionResolve, a.resolveAction)
	rt.Action(actionReopen, a.reopenAction)
	rt.Action(actionDeflect, a.deflectAction)
	rt.Form(formAsk, a.askForm)
	rt.Form(formAnswer, a.answerForm)
	rt.Form(formResolve, a.resolveForm)
}

// anonFlags are the words that make a question anonymous.
var anonFlags = map[string]bool{"--anon": true, "-anon": true, "-a": true, "--匿名": true, "匿名": true}

// askCommand handles `/soudan ask [--anon] [topic] <question>`. With no
// question it opens the ask form.
func (a *Feature) askCommand(ctx context.Context, m *bot.Message, r bot.Responder) (err error) {
	text, anon := cutAnon(m.ArgText)
	if anon && seenInChannel(m) {
		return bot.Errorf(bot.CodeForbidden, "consult.error.anon_seen")
	}
	var topic store.Topic
	if w, rest := bot.CutWord(text); w != "" {
		if t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(w) }); err == nil {
			topic, text = t, rest
		}
	}
	if topic.ID == 0 {
		// Typed in a channel mapped to a topic: the channel's topic, as for
		// a post there. A topic named in the command wins.
		if topic, err = a.channelTopic(m); err != nil {
			return err
		}
	}
	if strings.TrimSpace(text) == "" {
		return bot.OpenForm(ctx, r, a.askFormFor(handlers.UserFrom(ctx), topic.ID, anon, "", nil))
	}
	return a.ask(ctx, m, r, askRequest{topic: topic, text: text, anon: anon})
}

// cutAnon removes the anonymity flags at the start of s and reports
// whether there were any.
func cutAnon(s string) (string, bool) {
	anon := false
	for {
		w, rest := bot.CutWord(s)
		if !anonFlags[text.Normalize(w)] {
			return s, anon
		}
		anon, s = true, rest
	}
}

// seenInChannel reports whether the people of the channel m came from see
// m itself, with its author's name: a post, or a command typed as a post
// (after a mention of the bot, or any typed command on Teams). A slash
// command or a form in a channel is seen by its user alone; so is
// anything in a DM.
func seenInChannel(m *bot.Message) bool {
	if m.Direct {
		return false
	}
	switch m.Kind {
	case bot.KindPost:
		return true
	case bot.KindCommand:
		return m.Self != "" || m.Address.Platform == bot.PlatformTeams
	}
	return false
}

// askFormFor builds the ask form.
func (a *Feature) askFormFor(u store.User, topicID uint64, anon bool, text string, errs map[string]string) bot.Form {
	opts := []bot.Option{{Value: "", Label: a.T(u, "consult.form.topic_auto")}}
	if topics, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() }); err == nil {
		for _, t := range topics {
			opts = append(opts, bot.Option{Value: strconv.FormatUint(t.ID, 10), Label: t.Name})
		}
	}
	topicValue := ""
	if topicID != 0 {
		topicValue = strconv.FormatUint(topicID, 10)
	}
	return bot.Form{
		ID: formAsk, Title: a.T(u, "consult.form.ask_title"), Submit: a.T(u, "consult.form.ask_submit"),
		Intro: a.T(u, "consult.form.ask_intro"),
		Inputs: []bot.Input{
			{Name: "topic", Label: a.T(u, "consult.form.topic"), Kind: bot.InputSelect, Options: opts, Value: topicValue},
			{Name: "question", Label: a.T(u, "consult.form.question"), Kind: bot.InputTextarea, Required: true, MaxLen: a.Config.MaxText, Value: text},
			{Name: "anonymous", Label: a.T(u, "consult.form.anonymous"), Kind: bot.InputCheckbox, Value: strconv.FormatBool(anon), Hint: a.T(u, "consult.form.anonymous_hint")},
		},
		Errors: errs,
	}
}

// askForm handles a submitted ask form.
func (a *Feature) askForm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	text := m.Form["question"]
	anon := m.Form["anonymous"] == "true"
	var topic store.Topic
	if v := strings.TrimSpace(m.Form["topic"]); v != "" {
		id, ok := handlers.ParseID(v)
		t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(id) })
		if !ok || err != nil {
			return bot.OpenForm(ctx, r, a.askFormFor(u, 0, anon, text, map[string]string{"topic": a.T(u, "consult.error.no_topic", "Topic", v)}))
		}
		topic = t
	}
	if err := a.CheckText(text); err != nil {
		be, _ := bot.AsError(err)
		return bot.OpenForm(ctx, r, a.askFormFor(u, topic.ID, anon, text, map[string]string{"question": a.TM(a.Lang(u), be.MsgKey, be.Args)}))
	}
	return a.ask(ctx, m, r, askRequest{topic: topic, text: text, anon: anon})
}

// channelQuestion turns a top-level post in a channel mapped to a topic,
// or one that mentions the bot, into a consultation.
func (a *Feature) channelQuestion(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if m.Direct || m.Address.Thread != "" {
		return bot.ErrSkip
	}
	topic, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(m.Address.Platform, m.Address.Workspace, m.Address.Channel)
	})
	if err != nil && !m.BotMentioned {
		return bot.ErrSkip
	}
	if _, anon := cutAnon(m.Text); anon {
		// The channel sees the post and who wrote it: it cannot be an
		// anonymous question. Nothing is added to it; the author is told.
		return bot.Errorf(bot.CodeForbidden, "consult.error.anon_seen")
	}
	return a.ask(ctx, m, r, askRequest{topic: topic, text: m.Text})
}

// channelTopic is the topic of the channel m was typed in, or the zero
// topic in a DM or a channel mapped to none.
func (a *Feature) channelTopic(m *bot.Message) (store.Topic, error) {
	if m.Direct || m.Address.Channel == "" {
		return store.Topic{}, nil
	}
	t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(m.Address.Platform, m.Address.Workspace, m.Address.Channel)
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Topic{}, nil
	}
	if err != nil {
		return store.Topic{}, fmt.Errorf("topic of channel: %w", err)
	}
	return t, nil
}

// notForUs takes a post no other handler took (chatter in a channel the
// bot is in) and marks it skipped, so nothing is recorded for it.
func (a *Feature) notForUs(ctx context.Context, m *bot.Message, r bot.Responder) error {
	handlers.Skip(ctx)
	return nil
}

// directQuestion turns any other direct message outside a thread into a
// consultation.
func (a *Feature) directQuestion(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if !m.Direct {
		return bot.ErrSkip
	}
	if m.Address.Thread != "" {
		// A reply in a DM thread that belongs to no consultation (one
		// whose link to this person was removed, or a message that was
		// never one) is not a new question.
		return bot.Errorf(bot.CodeForbidden, "consult.error.stale_thread")
	}
	text, anon := cutAnon(m.Text)
	return a.ask(ctx, m, r, askRequest{text: text, anon: anon})
}

// ensureDefaultTopic creates the default topic on first start.
func (a *Feature) ensureDefaultTopic() (store.Topic, error) {
	var t store.Topic
	err := a.Commit(context.Background(), func(tx *store.Tx) (err error) {
		if t, err = tx.Topics().Default(); !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if named, err := tx.Topics().ByName(a.opt.DefaultTopic); err == nil {
			t, err = tx.Topics().Update(named.ID, func(t *store.Topic) error { t.Default = true; return nil })
			return err
		}
		t, err = tx.Topics().Create(store.Topic{Name: a.opt.DefaultTopic, Aliases: []string{"other", "general"}, Default: true})
		if errors.Is(err, store.ErrExists) {
			// "other"/"general" taken by an admin's topic: create the name alone.
			t, err = tx.Topics().Create(store.Topic{Name: a.opt.DefaultTopic, Default: true})
		}
		return err
	})
	if err != nil {
		return store.Topic{}, fmt.Errorf("default topic: %w", err)
	}
	return t, nil
}
