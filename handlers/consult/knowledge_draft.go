package consult

import (
	"slices"
	"strconv"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Save as knowledge: a resolved consultation's helpers (routed and taking
// mentors, answerers, people brought in) and admins may turn it into a
// tip. The consultation feature offers the button and hands out the
// draft; the knowledge feature opens the form and saves the tip.

// saveButtons is the "save as knowledge" button on the resolution note to
// viewer, for those who may use it.
func (a *Feature) saveButtons(viewer store.User, c store.Consultation) []bot.Button {
	if !a.maySave(viewer, c) {
		return nil
	}
	return []bot.Button{{ID: handlers.ActionSaveKnowledge, Label: a.T(viewer, "consult.button.save_tip"), Value: strconv.FormatUint(c.ID, 10)}}
}

// maySave reports whether u may save c as knowledge: a helper of c (never
// its asker as such) or an admin.
func (a *Feature) maySave(u store.User, c store.Consultation) bool {
	if u.HasRole(store.RoleAdmin) {
		return true
	}
	if u.ID == c.AskerID {
		return false
	}
	if slices.Contains(c.Routed, u.ID) || c.TakenBy == u.ID || slices.Contains(c.Participants, u.ID) {
		return true
	}
	return slices.ContainsFunc(c.Messages, func(m store.ConsultMessage) bool { return m.Kind == store.MsgAnswer && m.AuthorID == u.ID })
}

// KnowledgeDraft is what a tip saved from consultation id starts from:
// the question (with the asker's follow-ups) and the answers, without
// any name, and the topic. Only a resolved consultation, and only for
// its helpers and admins; otherwise a *bot.Error says why. It satisfies
// knowledge.Consultations.
func (a *Feature) KnowledgeDraft(viewer store.User, id uint64) (question string, answers []string, topicID uint64, err error) {
	c, err := a.consultation(strconv.FormatUint(id, 10))
	if err != nil {
		return "", nil, 0, err
	}
	if !a.maySave(viewer, c) {
		return "", nil, 0, bot.Errorf(bot.CodeForbidden, "consult.error.not_helper", "ID", c.ID)
	}
	if c.State != store.StateResolved {
		return "", nil, 0, bot.Errorf(bot.CodeConflict, "consult.error.not_resolved", "ID", c.ID, "State", a.stateLabel(viewer, c.State))
	}
	for _, m := range c.Messages {
		switch m.Kind {
		case store.MsgQuestion, store.MsgFollowUp:
			if question != "" {
				question += "\n"
			}
			question += m.Text
		case store.MsgAnswer:
			answers = append(answers, m.Text)
		}
	}
	return question, answers, c.TopicID, nil
}

// KnowledgeAsker is the asker of consultation id when they asked by name;
// ok is false for an anonymous question or no consultation. It satisfies
// knowledge.Consultations: the asker is asked before being named on a
// tip.
func (a *Feature) KnowledgeAsker(id uint64) (uint64, bool) {
	c, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Consultation, error) { return tx.Consultations().ByID(id) })
	if err != nil || c.Anonymous {
		return 0, false
	}
	return c.AskerID, true
}
