package consult

import (
	"strconv"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// askerLabel names the asker of c for viewer: their name, or "anonymous"
// to anyone but the asker when the question is anonymous. It reads in
// tx, the caller's transaction, when it has one (handlers.ReadIn).
func (a *Feature) askerLabel(tx *store.Tx, viewer store.User, c store.Consultation) string {
	if c.Anonymous {
		if viewer.ID == c.AskerID {
			return a.T(viewer, "consult.anonymous_you")
		}
		return a.T(viewer, "consult.anonymous")
	}
	u, err := handlers.ReadIn(a.Kit, tx, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.AskerID) })
	if err != nil {
		return "?"
	}
	return a.T(viewer, "consult.name", "Name", u.Name)
}

// authorLabel names the author of a message of c for viewer, hiding an
// anonymous asker. It reads in tx when it is not nil.
func (a *Feature) authorLabel(tx *store.Tx, viewer store.User, c store.Consultation, authorID uint64) string {
	if authorID == c.AskerID {
		return a.askerLabel(tx, viewer, c)
	}
	u, err := handlers.ReadIn(a.Kit, tx, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(authorID) })
	if err != nil {
		return "?"
	}
	return a.T(viewer, "consult.name", "Name", u.Name)
}

// stateLabel is the state's name in the viewer's language.
func (a *Feature) stateLabel(viewer store.User, s store.State) string {
	return a.T(viewer, "consult.state."+string(s))
}

// topicName is the topic's name, or "?" when it is gone.
func (a *Feature) topicName(id uint64) string {
	t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(id) })
	if err != nil {
		return "?"
	}
	return t.Name
}

// consultCard shows c to viewer: the card a mentor gets, with take and
// answer buttons when withButtons. It reads in tx when it is not nil.
func (a *Feature) consultCard(tx *store.Tx, viewer store.User, c store.Consultation, topic store.Topic, withButtons bool) bot.Reply {
	id := strconv.FormatUint(c.ID, 10)
	r := bot.Reply{
		Title:  a.T(viewer, "consult.card.title", "ID", c.ID, "Topic", topic.Name),
		Text:   c.Question(),
		Fields: []bot.Field{{Label: a.T(viewer, "consult.field.asker"), Value: a.askerLabel(tx, viewer, c)}},
		Anchor: id,
	}
	if withButtons {
		r.Fields = append(r.Fields, bot.Field{Label: a.T(viewer, "consult.field.how"), Value: a.T(viewer, "consult.card.how")})
		r.Buttons = []bot.Button{
			{ID: actionTake, Label: a.T(viewer, "consult.button.take"), Value: id},
			{ID: actionAnswer, Label: a.T(viewer, "consult.button.answer"), Value: id, Style: bot.StylePrimary},
		}
	}
	return r
}

// publicFields are the fields of a question posted in a channel.
func (a *Feature) publicFields(viewer store.User, c store.Consultation, topic store.Topic) []bot.Field {
	asker := a.T(viewer, "consult.anonymous")
	if !c.Anonymous {
		asker = a.askerLabel(nil, viewer, c)
	}
	return []bot.Field{
		{Label: a.T(viewer, "consult.field.asker"), Value: asker},
		{Label: a.T(viewer, "consult.field.how"), Value: a.T(viewer, "consult.card.how_public")},
	}
}

// askerCard confirms a question to its asker in their DM, with a button to
// resolve it later.
func (a *Feature) askerCard(asker store.User, c store.Consultation, topic store.Topic, ack string) bot.Reply {
	id := strconv.FormatUint(c.ID, 10)
	return bot.Reply{
		Title:   a.T(asker, "consult.card.title", "ID", c.ID, "Topic", topic.Name),
		Text:    ack,
		Fields:  []bot.Field{{Label: a.T(asker, "consult.field.question"), Value: c.Question()}, {Label: a.T(asker, "consult.field.how"), Value: a.T(asker, "consult.card.how_asker")}},
		Buttons: []bot.Button{{ID: actionResolve, Label: a.T(asker, "consult.button.resolve"), Value: id}},
		Anchor:  id,
	}
}
