package consult

import (
	"context"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// What other features (reminders) may ask of consultations, through
// interfaces they declare; cmd passes a *Feature.

// Card is consultation c's card as viewer sees it (an anonymous asker
// stays anonymous), with the take and answer buttons when withButtons.
func (a *Feature) Card(viewer store.User, c store.Consultation, t store.Topic, withButtons bool) bot.Reply {
	return a.consultCard(nil, viewer, c, t, withButtons)
}

// PublicFields are the fields a channel may show of c.
func (a *Feature) PublicFields(viewer store.User, c store.Consultation, t store.Topic) []bot.Field {
	return a.publicFields(viewer, c, t)
}

// RankMentors are the available mentors of c's topic, fewest open
// consultations first, never the asker.
func (a *Feature) RankMentors(c store.Consultation, asker store.User) ([]store.User, error) {
	return a.rankMentors(c, asker)
}

// HelperNotes are notices to everyone who helped with c (routed and taking
// mentors, answerers, participants), each keyed key+user id.
func (a *Feature) HelperNotes(ctx context.Context, c store.Consultation, key string, text func(store.User) string) []handlers.Outgoing {
	return a.helperNotes(ctx, nil, c, key, text)
}

// ThreadOnSent is the OnSent key that records the thread of a delivered
// card as userID's thread of consultation cid (0: a channel's).
func (a *Feature) ThreadOnSent(cid, userID uint64) handlers.Sent { return threadOnSent(cid, userID) }
