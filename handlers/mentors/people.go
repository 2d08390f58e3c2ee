// Package mentors is people: user profiles, mentor profiles, and finding
// a mentor.
package mentors

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Limits on profile text, in characters.
const (
	maxShortText   = 100  // department, job type, posting place, availability
	maxCareer      = 1000 // a mentor's career history
	maxMentorLine  = 200  // a mentor's one-line message
	minJoinYear    = 1950 // earliest accepted year of joining
	maxMentorCards = 10   // mentor cards shown per search
)

// Feature is people: the profile every user keeps, mentor profiles, and
// finding a mentor.
type Feature struct {
	*handlers.Kit
}

// New returns the mentors and profiles feature.
func New(k *handlers.Kit) *Feature { return &Feature{Kit: k} }

// Register adds the profile, mentors and mentor commands, with the forms
// and the contact button they use, and the home surface's mentor buttons.
func (a *Feature) Register(rt *bot.Router) {
	rt.Command(bot.Command{
		Name:     "profile",
		Aliases:  []string{"プロフィール"},
		UsageKey: "usage.profile",
		Handler:  a.openProfile,
		MaxWords: bot.NoWords, // "profile pictures: are they required?" is a question
	})
	rt.Command(bot.Command{
		Name:     "mentors",
		Aliases:  []string{"メンター", "メンター一覧"},
		UsageKey: "usage.mentors",
		Handler:  a.listMentors,
	})
	rt.Command(bot.Command{
		Name:     "mentor",
		Aliases:  []string{"メンター登録"},
		UsageKey: "usage.mentor",
		Handler:  a.mentorDefault,
		Sub: []bot.Command{
			{Name: "register", Aliases: []string{"登録"}, UsageKey: "usage.mentor.register", Handler: a.openMentorRegister},
			{Name: "edit", Aliases: []string{"編集"}, UsageKey: "usage.mentor.edit", Handler: a.openMentorEdit},
			{Name: "pause", Aliases: []string{"休止"}, UsageKey: "usage.mentor.pause", Handler: a.pauseMentor},
			{Name: "resume", Aliases: []string{"再開"}, UsageKey: "usage.mentor.resume", Handler: a.resumeMentor},
		},
	})
	rt.Form(formProfile, a.submitProfile)
	rt.Form(formMentor, a.submitMentor)
	rt.Action(actionContact, a.contactMentor)
	rt.Action(handlers.ActionHomeMentor, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		if _, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(handlers.UserFrom(ctx).ID) }); err == nil {
			return a.openMentorEdit(ctx, m, r)
		}
		return a.openMentorRegister(ctx, m, r)
	})
	rt.Action(handlers.ActionHomePause, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return a.setPaused(ctx, m, r, true)
	})
	rt.Action(handlers.ActionHomeResume, func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		return a.setPaused(ctx, m, r, false)
	})
}

// Form and action ids of this part.
const (
	formProfile   = "profile"
	formMentor    = "mentor.profile"
	actionContact = "mentor.contact"
)

// postingOptions are the choices of a posting radio, in u's language.
func (a *Feature) postingOptions(u store.User) []bot.Option {
	return []bot.Option{
		{Value: store.PostingHQ, Label: a.T(u, "people.posting.hq")},
		{Value: store.PostingOverseas, Label: a.T(u, "people.posting.overseas")},
		{Value: store.PostingOther, Label: a.T(u, "people.posting.other")},
	}
}

// postingLabel is the short name of a posting in u's language, or "".
func (a *Feature) postingLabel(u store.User, posting string) string {
	if k := postingKey(posting); k != "" {
		return a.T(u, k)
	}
	return ""
}

// postingKey is the catalog key of a posting's short name ("" for none).
func postingKey(p string) string {
	switch p {
	case store.PostingHQ:
		return "people.posting.hq.short"
	case store.PostingOverseas:
		return "people.posting.overseas.short"
	case store.PostingOther:
		return "people.posting.other.short"
	}
	return ""
}

// postingText is a posting with its place: "海外（在米国大使館）".
func (a *Feature) postingText(viewer store.User, posting, place string) string {
	label := a.postingLabel(viewer, posting)
	switch {
	case label == "":
		return place
	case place == "":
		return label
	}
	return a.T(viewer, "people.posting.with_place", "Posting", label, "Place", place)
}

// topicNames lists the names of topic ids, in the viewer's list style.
func (a *Feature) topicNames(viewer store.User, ids []uint64, topics map[uint64]store.Topic) string {
	var names []string
	for _, id := range ids {
		if t, ok := topics[id]; ok {
			names = append(names, t.Name)
		}
	}
	return strings.Join(names, a.T(viewer, "people.list_sep"))
}

// topicIndex returns every topic by id.
func (a *Feature) topicIndex() (map[uint64]store.Topic, error) {
	ts, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	idx := make(map[uint64]store.Topic, len(ts))
	for _, t := range ts {
		idx[t.ID] = t
	}
	return idx, nil
}

// validPosting reports whether p is a posting value (or empty).
func validPosting(p string) bool {
	switch p {
	case "", store.PostingHQ, store.PostingOverseas, store.PostingOther:
		return true
	}
	return false
}

// parseJoinYear reads a year of joining as typed: "2015", "２０１５" or
// "2015年". Empty gives 0. ok is false for anything else, or a year before
// minJoinYear or after thisYear.
func parseJoinYear(s string, thisYear int) (year int, ok bool) {
	s = strings.TrimSuffix(text.Normalize(s), "年")
	if s == "" {
		return 0, true
	}
	if len(s) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < minJoinYear || y > thisYear {
		return 0, false
	}
	return y, true
}

// yearText is the value a join-year input shows for y.
func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// formText reads a free-text input: trimmed, neutralised, and at most max
// characters. ok is false when it is too long.
func formText(form map[string]string, name string, max int) (string, bool) {
	s := handlers.Clean(form[name])
	return s, handlers.Runes(s) <= max
}
