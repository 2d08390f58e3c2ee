package mentors

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	storetext "github.com/soudan/soudan/store/text"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// mentorSearch is what /soudan mentors looks for.
type mentorSearch struct {
	header string // catalog key of the answer's first line
	query  string // as shown back to the user
	words  string // the words every card must match; "" for all
	topic  uint64 // only this topic's mentors, when not 0
}

// listMentors answers /soudan mentors [topic|words] with the cards of the
// available mentors that match, at most maxMentorCards of them.
func (a *Feature) listMentors(ctx context.Context, m *bot.Message, r bot.Responder) error {
	viewer := handlers.UserFrom(ctx)
	q, err := a.parseMentorSearch(m.ArgText)
	if err != nil {
		return err
	}
	found, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Mentor, error) {
		if q.topic != 0 {
			return tx.Mentors().ByTopic(q.topic)
		}
		return tx.Mentors().All()
	})
	if err != nil {
		return fmt.Errorf("list mentors: %w", err)
	}
	cards, err := a.matchMentors(viewer, found, q.words)
	if err != nil {
		return err
	}
	eph := !m.Direct
	if len(cards) == 0 {
		key := "people.mentors.none"
		if q.query == "" {
			key = "people.mentors.none_yet"
		}
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: eph, Text: a.T(viewer, key, "Query", q.query)})
		return err
	}
	replies := []bot.Reply{{Text: a.T(viewer, q.header, "Query", q.query, "Count", len(cards))}}
	for i, c := range cards {
		if i == maxMentorCards {
			replies = append(replies, bot.Reply{Text: a.T(viewer, "people.mentors.more", "Count", len(cards)-maxMentorCards)})
			break
		}
		replies = append(replies, c)
	}
	for _, rep := range replies {
		rep.Ephemeral = eph
		if _, err := r.Reply(ctx, rep); err != nil {
			return fmt.Errorf("reply mentors: %w", err)
		}
	}
	return nil
}

// parseMentorSearch reads the arguments of /soudan mentors: nothing for
// every mentor, a topic name or alias for that topic's mentors, else words.
func (a *Feature) parseMentorSearch(arg string) (mentorSearch, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return mentorSearch{header: "people.mentors.all"}, nil
	}
	t, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(arg) })
	if err == nil {
		return mentorSearch{header: "people.mentors.topic", query: handlers.Clean(t.Name), topic: t.ID}, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return mentorSearch{}, fmt.Errorf("find mentors: %w", err)
	}
	return mentorSearch{header: "people.mentors.words", query: handlers.Clean(arg), words: arg}, nil
}

// matchMentors returns the cards of the available mentors among ms that
// match the query, best first (all of them, in order, when it is empty).
// The words are searched as tips are (store.Tx.RankDocs: synonyms,
// variants, inflected forms, width and case) over each mentor's name, job
// type, career, message, posting and topics, and every word must be found;
// a query of stop words alone ("IT") is matched as written.
func (a *Feature) matchMentors(viewer store.User, ms []store.Mentor, words string) ([]bot.Reply, error) {
	topics, err := a.topicIndex()
	if err != nil {
		return nil, err
	}
	now := a.Now()
	type candidate struct {
		mu store.User
		mt store.Mentor
	}
	var cands []candidate
	var docs []store.Doc
	for _, mt := range ms {
		if !mt.Available(now) {
			continue
		}
		mu, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(mt.UserID) })
		if errors.Is(err, store.ErrNotFound) {
			a.Log.Warn("mentor without user", "user_id", mt.UserID)
			continue
		} else if err != nil {
			return nil, fmt.Errorf("mentor user: %w", err)
		}
		docs = append(docs, store.Doc{ID: uint64(len(cands)), Fields: a.mentorFields(mu, mt, topics)})
		cands = append(cands, candidate{mu, mt})
	}
	order := make([]uint64, 0, len(cands))
	switch {
	case words == "":
		for i := range cands {
			order = append(order, uint64(i))
		}
	case len(store.TipQueryWords(words)) == 0:
		for i, d := range docs {
			if storetext.MatchAll(words, d.Fields...) {
				order = append(order, uint64(i))
			}
		}
	default:
		err := a.View(func(tx *store.Tx) error {
			for _, h := range tx.RankDocs(docs, words) {
				order = append(order, h.ID)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find mentors: %w", err)
		}
	}
	cards := make([]bot.Reply, 0, len(order))
	for _, i := range order {
		cards = append(cards, a.mentorCard(viewer, cands[i].mu, cands[i].mt, topics))
	}
	return cards, nil
}

// mentorFields are the texts a search looks at in a mentor's profile: the
// name, job type, career, message, posting (in every language), posting
// place and topics with their aliases.
func (a *Feature) mentorFields(mu store.User, mt store.Mentor, topics map[uint64]store.Topic) []string {
	parts := []string{mu.Name, mt.JobType, mt.Career, mt.Message, mt.PostingPlace}
	for _, lang := range handlers.Languages() {
		parts = append(parts, a.TL(lang, postingKey(mt.Posting)))
	}
	for _, id := range mt.Topics {
		if t, ok := topics[id]; ok {
			parts = append(parts, t.Name)
			parts = append(parts, t.Aliases...)
		}
	}
	return parts
}

// mentorCard shows mentor mt (user mu) as viewer sees it: name, profile
// fields, the one-line message and a contact button.
func (a *Feature) mentorCard(viewer, mu store.User, mt store.Mentor, topics map[uint64]store.Topic) bot.Reply {
	var fs []bot.Field
	add := func(key, v string) {
		if v = handlers.Clean(v); v != "" {
			fs = append(fs, bot.Field{Label: a.T(viewer, key), Value: v})
		}
	}
	if mt.JoinYear != 0 {
		add("people.field.join_year", a.T(viewer, "people.year", "Year", mt.JoinYear))
	}
	add("people.field.job_type", mt.JobType)
	add("people.field.posting", a.postingText(viewer, mt.Posting, mt.PostingPlace))
	add("people.field.topics", a.topicNames(viewer, mt.Topics, topics))
	add("people.field.career", mt.Career)
	add("people.field.availability", mt.Availability)
	return bot.Reply{
		Title:  handlers.Clean(mu.Name),
		Text:   handlers.Clean(mt.Message),
		Fields: fs,
		Buttons: []bot.Button{{
			ID:    actionContact,
			Label: a.T(viewer, "people.mentor.contact"),
			Value: strconv.FormatUint(mu.ID, 10),
			Style: bot.StylePrimary,
		}},
	}
}

// contactMentor answers the contact button, to the presser only, with how
// to reach the mentor directly. It tells the mentor nothing.
func (a *Feature) contactMentor(ctx context.Context, m *bot.Message, r bot.Responder) error {
	viewer := handlers.UserFrom(ctx)
	id, err := strconv.ParseUint(m.Action.Value, 10, 64)
	if err != nil {
		return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
	}
	var mt store.Mentor
	var mu store.User
	err = a.View(func(tx *store.Tx) (err error) {
		if mt, err = tx.Mentors().ByUser(id); err != nil {
			return err
		}
		mu, err = tx.Users().ByID(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeUnhandled, "error.stale_action")
	} else if err != nil {
		return fmt.Errorf("contact mentor: %w", err)
	}
	name := handlers.Clean(mu.Name)
	if !mt.Available(a.Now()) {
		return bot.Errorf(bot.CodeUnavailable, "people.contact.unavailable", "Name", name)
	}
	who := name
	if mu.Platform == m.Address.Platform && mu.Workspace == m.Address.Workspace {
		who = bot.Mention(mu.PlatformID)
	}
	rep := bot.Reply{Ephemeral: true, Text: a.T(viewer, "people.contact.direct", "Name", who)}
	if l, ok := a.Linker(mu.Platform); ok {
		link, err := l.UserLink(ctx, mu.PlatformID)
		switch {
		case err != nil:
			a.Log.Warn("user link", "user_id", mu.ID, "err", err)
		case strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "http://"):
			rep.Text = a.T(viewer, "people.contact.button", "Name", who)
			rep.Buttons = []bot.Button{{Label: a.T(viewer, "people.contact.open"), URL: link}}
		case link != "":
			rep.Text = a.T(viewer, "people.contact.link", "Name", who, "Link", link)
		}
	}
	_, err = r.Reply(ctx, rep)
	return err
}

// mentorDefault answers /soudan mentor without a subcommand, as the
// alias メンター登録 reads: it opens the registration form. An unknown
// subcommand is refused as the router would.
func (a *Feature) mentorDefault(ctx context.Context, m *bot.Message, r bot.Responder) error {
	if len(m.Args) > 0 {
		return bot.Errorf(bot.CodeUnknownCommand, "error.unknown_subcommand", "Command", "mentor", "Sub", handlers.Clean(m.Args[0]), "Subs", "register, edit, pause, resume")
	}
	return a.openMentorRegister(ctx, m, r)
}

// openMentorRegister opens the mentor profile form: filled in from the
// existing mentor profile if there is one, else from the user's profile.
func (a *Feature) openMentorRegister(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	mt, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(u.ID) })
	if errors.Is(err, store.ErrNotFound) {
		mt = store.Mentor{UserID: u.ID, JoinYear: u.JoinYear, JobType: u.JobType, Posting: u.Posting}
	} else if err != nil {
		return fmt.Errorf("open mentor form: %w", err)
	}
	return a.showMentorForm(ctx, r, u, mt, nil, nil)
}

// openMentorEdit opens the mentor profile form of a registered mentor.
func (a *Feature) openMentorEdit(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	mt, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(u.ID) })
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "people.mentor.not_registered")
	} else if err != nil {
		return fmt.Errorf("open mentor form: %w", err)
	}
	return a.showMentorForm(ctx, r, u, mt, nil, nil)
}

// showMentorForm opens the mentor profile form filled in from mt, or,
// when raw is not nil, shows a rejected submission again with errs.
func (a *Feature) showMentorForm(ctx context.Context, r bot.Responder, u store.User, mt store.Mentor, raw, errs map[string]string) error {
	ts, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	if err != nil {
		return fmt.Errorf("mentor form topics: %w", err)
	}
	opts := make([]bot.Option, len(ts))
	for i, t := range ts {
		opts[i] = bot.Option{Value: strconv.FormatUint(t.ID, 10), Label: t.Name}
	}
	ids := make([]string, len(mt.Topics))
	for i, id := range mt.Topics {
		ids[i] = strconv.FormatUint(id, 10)
	}
	year, topics := yearText(mt.JoinYear), strings.Join(ids, ",")
	if raw != nil {
		year, topics = raw["join_year"], raw["topics"]
	}
	f := bot.Form{
		ID:     formMentor,
		Title:  a.T(u, "people.mentor.form.title"),
		Submit: a.T(u, "people.form.save"),
		Intro:  a.T(u, "people.mentor.form.intro"),
		Errors: errs,
		Inputs: []bot.Input{
			{Name: "join_year", Label: a.T(u, "people.field.join_year"), Kind: bot.InputText, Value: year, Placeholder: "2015", Hint: a.T(u, "people.field.join_year.hint"), MaxLen: 5},
			{Name: "job_type", Label: a.T(u, "people.field.job_type"), Kind: bot.InputText, Value: mt.JobType, Placeholder: a.T(u, "people.field.job_type.placeholder"), MaxLen: maxShortText},
			{Name: "career", Label: a.T(u, "people.field.career"), Kind: bot.InputTextarea, Value: mt.Career, Hint: a.T(u, "people.field.career.hint"), MaxLen: maxCareer},
			{Name: "posting", Label: a.T(u, "people.field.posting"), Kind: bot.InputRadio, Value: mt.Posting, Options: a.postingOptions(u)},
			{Name: "posting_place", Label: a.T(u, "people.field.posting_place"), Kind: bot.InputText, Value: mt.PostingPlace, Placeholder: a.T(u, "people.field.posting_place.placeholder"), MaxLen: maxShortText},
			{Name: "topics", Label: a.T(u, "people.field.topics"), Kind: bot.InputMultiSelect, Value: topics, Options: opts, Required: true},
			{Name: "message", Label: a.T(u, "people.field.message"), Kind: bot.InputText, Value: mt.Message, Placeholder: a.T(u, "people.field.message.placeholder"), Required: true, MaxLen: maxMentorLine},
			{Name: "availability", Label: a.T(u, "people.field.availability"), Kind: bot.InputText, Value: mt.Availability, Placeholder: a.T(u, "people.field.availability.placeholder"), MaxLen: maxShortText},
		},
	}
	return bot.OpenForm(ctx, r, f)
}

// submitMentor validates the mentor profile form and saves it, answering
// with the card others will see. A rejected form is shown again with its
// errors and nothing is saved.
func (a *Feature) submitMentor(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	topics, err := a.topicIndex()
	if err != nil {
		return err
	}
	in, errs := a.readMentor(u, m.Form, topics)
	if len(errs) > 0 {
		return a.showMentorForm(ctx, r, u, in, m.Form, errs)
	}
	apply := func(mt *store.Mentor) error {
		mt.JoinYear, mt.JobType, mt.Career = in.JoinYear, in.JobType, in.Career
		mt.Posting, mt.PostingPlace, mt.Topics = in.Posting, in.PostingPlace, in.Topics
		mt.Message, mt.Availability = in.Message, in.Availability
		return nil
	}
	// One transaction, with the event's done mark: an update, or the
	// first profile (Commit may run it again: it sets mt and created anew).
	var mt store.Mentor
	var created bool
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		mt, err = tx.Mentors().Update(u.ID, apply)
		if created = errors.Is(err, store.ErrNotFound); created {
			mt = store.Mentor{UserID: u.ID}
			_ = apply(&mt)
			mt, err = tx.Mentors().Put(mt)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("save mentor profile: %w", err)
	}
	key := "people.mentor.updated"
	if created {
		key = "people.mentor.registered"
	}
	card := a.mentorCard(u, u, mt, topics)
	card.Text = a.T(u, key) + "\n\n" + card.Text
	card.Ephemeral = !m.Direct
	_, err = r.Reply(ctx, card)
	return err
}

// readMentor reads a mentor profile submission, returning localized
// errors per input for anything it cannot accept.
func (a *Feature) readMentor(u store.User, form map[string]string, topics map[uint64]store.Topic) (store.Mentor, map[string]string) {
	errs := map[string]string{}
	mt := store.Mentor{UserID: u.ID}
	tooLong := func(name string, max int) string {
		s, ok := formText(form, name, max)
		if !ok {
			errs[name] = a.T(u, "people.error.too_long", "Max", max)
		}
		return s
	}
	mt.JobType = tooLong("job_type", maxShortText)
	mt.Career = tooLong("career", maxCareer)
	mt.PostingPlace = tooLong("posting_place", maxShortText)
	mt.Availability = tooLong("availability", maxShortText)
	mt.Message = handlers.OneLine(tooLong("message", maxMentorLine))
	if mt.Message == "" {
		errs["message"] = a.T(u, "people.error.required")
	}
	thisYear := a.Now().In(a.Config.Location).Year()
	var ok bool
	if mt.JoinYear, ok = parseJoinYear(form["join_year"], thisYear); !ok {
		errs["join_year"] = a.T(u, "people.error.join_year", "Min", minJoinYear, "Max", thisYear)
	}
	if mt.Posting = form["posting"]; !validPosting(mt.Posting) {
		errs["posting"] = a.T(u, "people.error.choice")
	}
	for _, s := range strings.Split(form["topics"], ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := strconv.ParseUint(s, 10, 64)
		if _, known := topics[id]; err != nil || !known {
			errs["topics"] = a.T(u, "people.error.choice")
			continue
		}
		if !slices.Contains(mt.Topics, id) {
			mt.Topics = append(mt.Topics, id)
		}
	}
	if len(mt.Topics) == 0 && errs["topics"] == "" {
		errs["topics"] = a.T(u, "people.error.topics")
	}
	return mt, errs
}

// pauseMentor stops new consultations reaching the mentor.
func (a *Feature) pauseMentor(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.setPaused(ctx, m, r, true)
}

// resumeMentor lets consultations reach the mentor again.
func (a *Feature) resumeMentor(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.setPaused(ctx, m, r, false)
}

// setPaused sets the sender's mentor profile paused or not.
func (a *Feature) setPaused(ctx context.Context, m *bot.Message, r bot.Responder, paused bool) error {
	u := handlers.UserFrom(ctx)
	was := false
	err := a.Commit(ctx, func(tx *store.Tx) error {
		_, err := tx.Mentors().Update(u.ID, func(mt *store.Mentor) error {
			was, mt.Paused = mt.Paused, paused
			return nil
		})
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "people.mentor.not_registered")
	} else if err != nil {
		return fmt.Errorf("pause mentor: %w", err)
	}
	key := "people.mentor.resumed"
	switch {
	case paused && was:
		key = "people.mentor.already_paused"
	case paused:
		key = "people.mentor.paused"
	case !was:
		key = "people.mentor.already_taking"
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, key)})
	return err
}
