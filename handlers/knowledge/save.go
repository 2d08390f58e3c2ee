package knowledge

import (
	"context"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Consultations is what saving a resolved consultation as a tip asks of
// the consultation feature; cmd passes it.
type Consultations interface {
	// KnowledgeDraft is the question and the answers of resolved
	// consultation id, without any name, and its topic; a *bot.Error when
	// viewer may not save it (only its helpers and admins may) or it is
	// not resolved.
	KnowledgeDraft(viewer store.User, id uint64) (question string, answers []string, topicID uint64, err error)
	// KnowledgeAsker is the asker of consultation id when they asked by
	// name; ok is false for an anonymous question (or none).
	KnowledgeAsker(id uint64) (askerID uint64, ok bool)
}

// fromConsultation is the prefix of the tip form's value for a tip saved
// from a consultation: "c:12".
const fromConsultation = "c:"

// saveAction opens the tip form prefilled from the consultation the
// "save as knowledge" button names.
func (a *Feature) saveAction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.openSaveForm(ctx, r, m.Action.Value)
}

// saveCommand answers /soudan tip save <consultation id>: the same form,
// for admins (and helpers) without the button at hand.
func (a *Feature) saveCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if len(m.Args) != 1 {
		return a.UsageError(handlers.UserFrom(ctx), "usage.tip.save")
	}
	return a.openSaveForm(ctx, r, m.Args[0])
}

// openSaveForm opens the tip form with the draft of consultation arg:
// the question and the answers in the body, the question's start as the
// title, its topic; editable before saving. No name of the asker is in
// it.
func (a *Feature) openSaveForm(ctx context.Context, r bot.Responder, arg string) error {
	u := handlers.UserFrom(ctx)
	cid, question, answers, topicID, err := a.draft(u, arg)
	if err != nil {
		return err
	}
	in := tipInput{title: handlers.Excerpt(question, 60), body: draftBody(a.T(u, "tip.save.question"), a.T(u, "tip.save.answer"), question, answers)}
	if topicID != 0 {
		in.topic = idText(topicID)
	}
	f, err := a.tipForm(u, 0, in, nil)
	if err != nil {
		return err
	}
	f.Value = fromConsultation + idText(cid)
	f.Title = a.T(u, "tip.form.title_save", "ID", cid)
	f.Intro = a.T(u, "tip.save.intro")
	return bot.OpenForm(ctx, r, f)
}

// draft asks the consultation feature for consultation arg's draft.
func (a *Feature) draft(u store.User, arg string) (cid uint64, question string, answers []string, topicID uint64, err error) {
	if a.Consultations == nil {
		return 0, "", nil, 0, bot.Errorf(bot.CodeInvalid, "tip.error.no_consultations")
	}
	cid, ok := handlers.ParseID(arg)
	if !ok {
		return 0, "", nil, 0, bot.Errorf(bot.CodeInvalid, "error.bad_id", "ID", handlers.Clean(arg))
	}
	question, answers, topicID, err = a.Consultations.KnowledgeDraft(u, cid)
	return cid, question, answers, topicID, err
}

// draftBody is a tip's body from a question and its answers.
func draftBody(qLabel, aLabel, question string, answers []string) string {
	parts := []string{qLabel + "\n" + strings.TrimSpace(question)}
	for _, ans := range answers {
		parts = append(parts, aLabel+"\n"+strings.TrimSpace(ans))
	}
	return strings.Join(parts, "\n\n")
}

// savedFrom reads the consultation id of a tip form's value "c:12"; ok is
// false for another value.
func savedFrom(value string) (uint64, bool) {
	rest, ok := strings.CutPrefix(value, fromConsultation)
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(rest, 10, 64)
	return id, err == nil && id != 0
}
