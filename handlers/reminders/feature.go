// Package reminders keeps consultations moving on a business calendar:
// unanswered ones are reminded and escalated, quiet answered ones are
// asked to resolve and then closed. Admins set each topic's knobs; the
// closed days they keep with /soudan admin closed (package admin) do not
// count as working time.
package reminders

import (
	"context"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Consultations is what reminders need of the consultation feature.
type Consultations interface {
	// Card is c's card as viewer sees it, with its buttons when asked.
	Card(viewer store.User, c store.Consultation, t store.Topic, withButtons bool) bot.Reply
	// PublicFields are the fields a channel may show of c.
	PublicFields(viewer store.User, c store.Consultation, t store.Topic) []bot.Field
	// RankMentors are the available mentors of c's topic, least busy
	// first, never the asker.
	RankMentors(c store.Consultation, asker store.User) ([]store.User, error)
	// HelperNotes are notices to everyone who helped with c.
	HelperNotes(ctx context.Context, c store.Consultation, key string, text func(store.User) string) []handlers.Outgoing
	// ThreadOnSent records a delivered card's thread on c.
	ThreadOnSent(cid, userID uint64) handlers.Sent
}

// Options configure the reminders.
type Options struct {
	// Stages are the global reminder stages; a topic's own knobs win.
	Stages Stages
	// MaxRouted is how many more mentors an escalation asks; default 3.
	MaxRouted int
}

// Feature is the reminder job and its admin commands.
type Feature struct {
	*handlers.Kit
	opt     Options
	consult Consultations
}

// New returns the reminders feature.
func New(k *handlers.Kit, c Consultations, opt Options) *Feature {
	if opt.MaxRouted <= 0 {
		opt.MaxRouted = 3
	}
	opt.Stages = opt.Stages.withDefaults()
	return &Feature{Kit: k, opt: opt, consult: c}
}

// Register adds /soudan admin topic set.
func (a *Feature) Register(rt *bot.Router) {
	rt.Command(a.adminCommand())
	a.DescribeAudit(auditTopicSet, "admin.audit.action.topic_set")
}

// Jobs is the reminder job: remind, escalate, ask to resolve and close
// consultations, on business hours. Each stage acts once per consultation,
// so a catch-up or an overlap repeats nothing; each activation is its own
// period.
func (a *Feature) Jobs() []handlers.Job {
	return []handlers.Job{{Name: "consult:remind", Spec: "*/15 * * * *", Run: a.Reminders}}
}
