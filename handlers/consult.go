package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// Action and form ids of the consultation flow.
const (
	formAsk       = "consult.ask"
	formAnswer    = "consult.answer"
	formResolve   = "consult.resolve"
	actionTake    = "consult.take"
	actionAnswer  = "consult.answer"
	actionResolve = "consult.resolve"
	actionReopen  = "consult.reopen"
)

// registerConsult adds the consultation commands, posts, buttons and forms.
func (a *App) registerConsult(rt *bot.Router) {
	rt.Command(bot.Command{Name: "ask", Aliases: []string{"相談", "質問", "そうだん"}, UsageKey: "usage.ask", Handler: a.askCommand})
	rt.Command(bot.Command{Name: "mine", Aliases: []string{"自分", "じぶん", "my"}, UsageKey: "usage.mine", Handler: a.mineCommand})
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
	rt.Form(formAsk, a.askForm)
	rt.Form(formAnswer, a.answerForm)
	rt.Form(formResolve, a.resolveForm)
}

// anonFlags are the words that make a question anonymous.
var anonFlags = map[string]bool{"--anon": true, "-anon": true, "-a": true, "--匿名": true, "匿名": true}

// askCommand handles `/soudan ask [--anon] [topic] <question>`. With no
// question it opens the ask form.
func (a *App) askCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	text, anon := m.ArgText, false
	for {
		w, rest := bot.CutWord(text)
		if !anonFlags[store.Normalize(w)] {
			break
		}
		anon, text = true, rest
	}
	var topic store.Topic
	if w, rest := bot.CutWord(text); w != "" {
		if t, err := a.st.TopicByName(w); err == nil {
			topic, text = t, rest
		}
	}
	if strings.TrimSpace(text) == "" {
		return bot.OpenForm(ctx, r, a.askFormFor(userFrom(ctx), topic.ID, anon, "", nil))
	}
	return a.ask(ctx, m, r, askRequest{topic: topic, text: text, anon: anon})
}

// askFormFor builds the ask form.
func (a *App) askFormFor(u store.User, topicID uint64, anon bool, text string, errs map[string]string) bot.Form {
	opts := []bot.Option{{Value: "", Label: a.T(u, "consult.form.topic_auto")}}
	if topics, err := a.st.Topics(); err == nil {
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
			{Name: "question", Label: a.T(u, "consult.form.question"), Kind: bot.InputTextarea, Required: true, MaxLen: a.cfg.MaxText, Value: text},
			{Name: "anonymous", Label: a.T(u, "consult.form.anonymous"), Kind: bot.InputCheckbox, Value: strconv.FormatBool(anon), Hint: a.T(u, "consult.form.anonymous_hint")},
		},
		Errors: errs,
	}
}

// askForm handles a submitted ask form.
func (a *App) askForm(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := userFrom(ctx)
	text := m.Form["question"]
	anon := m.Form["anonymous"] == "true"
	var topic store.Topic
	if v := strings.TrimSpace(m.Form["topic"]); v != "" {
		id, ok := parseID(v)
		t, err := a.st.Topic(id)
		if !ok || err != nil {
			return bot.OpenForm(ctx, r, a.askFormFor(u, 0, anon, text, map[string]string{"topic": a.T(u, "consult.error.no_topic", "Topic", v)}))
		}
		topic = t
	}
	if err := a.checkText(text); err != nil {
		be, _ := bot.AsError(err)
		return bot.OpenForm(ctx, r, a.askFormFor(u, topic.ID, anon, text, map[string]string{"question": a.cat.tm(a.lang(u), be.MsgKey, be.Args)}))
	}
	return a.ask(ctx, m, r, askRequest{topic: topic, text: text, anon: anon})
}

// channelQuestion turns a top-level post in a channel mapped to a topic,
// or one that mentions the bot, into a consultation.
func (a *App) channelQuestion(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if m.Direct || m.Address.Thread != "" {
		return bot.ErrSkip
	}
	topic, err := a.st.TopicByChannel(m.Address.Platform, m.Address.Workspace, m.Address.Channel)
	if err != nil && !m.BotMentioned {
		return bot.ErrSkip
	}
	return a.ask(ctx, m, r, askRequest{topic: topic, text: m.Text})
}

// notForUs takes a post no other handler took (chatter in a channel the
// bot is in) and marks it skipped, so nothing is recorded for it.
func (a *App) notForUs(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if s, ok := ctx.Value(sessionKey{}).(*session); ok {
		s.skipped = true
	}
	return nil
}

// directQuestion turns any other direct message into a consultation.
func (a *App) directQuestion(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if !m.Direct {
		return bot.ErrSkip
	}
	return a.ask(ctx, m, r, askRequest{text: m.Text})
}
