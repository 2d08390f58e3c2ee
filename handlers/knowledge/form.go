package knowledge

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// tipInput is what the tip form holds.
type tipInput struct {
	title, body, topic, tags, links string
}

// inputOf is the form's view of a stored tip.
func inputOf(t store.Tip) tipInput {
	in := tipInput{title: t.Title, body: t.Body, tags: strings.Join(t.Tags, ", "), links: strings.Join(t.Links, "\n")}
	if t.TopicID != 0 {
		in.topic = strconv.FormatUint(t.TopicID, 10)
	}
	return in
}

// addTip answers /soudan tip add [title] with the tip form.
func (a *Feature) addTip(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	f, err := a.tipForm(u, 0, tipInput{title: handlers.Excerpt(strings.TrimSpace(m.ArgText), maxTitle)}, nil)
	if err != nil {
		return err
	}
	return bot.OpenForm(ctx, r, f)
}

// editTip answers /soudan tip edit ID with the form prefilled: the author
// or an admin.
func (a *Feature) editTip(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	t, err := a.tipArg(u, m, "usage.tip.edit")
	if err != nil {
		return err
	}
	if err := mayChange(u, t); err != nil {
		return err
	}
	f, err := a.tipForm(u, t.ID, inputOf(t), nil)
	if err != nil {
		return err
	}
	return bot.OpenForm(ctx, r, f)
}

// tipForm is the form to add a tip (id 0) or edit tip id.
func (a *Feature) tipForm(u store.User, id uint64, in tipInput, errs map[string]string) (bot.Form, error) {
	topics, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	if err != nil {
		return bot.Form{}, fmt.Errorf("tip form: %w", err)
	}
	opts := []bot.Option{{Value: "", Label: a.T(u, "tip.no_topic")}}
	for _, t := range topics {
		opts = append(opts, bot.Option{Value: strconv.FormatUint(t.ID, 10), Label: handlers.Clean(t.Name)})
	}
	title, value := a.T(u, "tip.form.title_add"), ""
	if id != 0 {
		title, value = a.T(u, "tip.form.title_edit", "ID", id), strconv.FormatUint(id, 10)
	}
	return bot.Form{
		ID: formTip, Value: value, Title: title, Submit: a.T(u, "tip.form.submit"),
		Inputs: []bot.Input{
			{Name: "title", Label: a.T(u, "tip.form.title"), Kind: bot.InputText, Required: true, MaxLen: maxTitle, Value: in.title},
			{Name: "body", Label: a.T(u, "tip.form.body"), Kind: bot.InputTextarea, Required: true, MaxLen: a.Config.MaxText, Value: in.body},
			{Name: "topic", Label: a.T(u, "tip.form.topic"), Kind: bot.InputSelect, Options: opts, Value: in.topic},
			{Name: "tags", Label: a.T(u, "tip.form.tags"), Kind: bot.InputText, Hint: a.T(u, "tip.form.tags_hint"), MaxLen: 500, Value: in.tags},
			{Name: "links", Label: a.T(u, "tip.form.links"), Kind: bot.InputTextarea, Hint: a.T(u, "tip.form.links_hint"), MaxLen: 4000, Value: in.links},
		},
		Errors: errs,
	}, nil
}

// splitList cuts a list typed with commas, 、, new lines or spaces.
func splitList(s string, spaces bool) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '、' || r == '，' || r == '\n' || r == '\r' || (spaces && (r == ' ' || r == '　' || r == '\t'))
	})
}

// submitTip saves the tip form: a new tip, an edit of one the sender may
// change, or a consultation saved as knowledge. A rejected form is shown
// again with every problem and nothing is saved.
func (a *Feature) submitTip(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	in := tipInput{title: m.Form["title"], body: m.Form["body"], topic: strings.TrimSpace(m.Form["topic"]), tags: m.Form["tags"], links: m.Form["links"]}
	var editing store.Tip
	cid, fromCons := savedFrom(m.Action.Value)
	var question string // of the consultation saved, which the tip learns
	if fromCons {
		// Still theirs to save: the form may be submitted long after.
		var err error
		if _, question, _, _, err = a.draft(u, idText(cid)); err != nil {
			return err
		}
	} else if v := m.Action.Value; v != "" {
		t, err := a.loadTip(v)
		if err != nil {
			return err
		}
		if err := mayChange(u, t); err != nil {
			return err
		}
		editing = t
	}
	hasTopic := func(id uint64) bool {
		_, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(id) })
		return err == nil
	}
	tip, errs := a.readTip(u, in, hasTopic)
	if len(errs) > 0 {
		f, err := a.tipForm(u, editing.ID, in, errs)
		if err != nil {
			return err
		}
		if fromCons {
			f.Value, f.Title = m.Action.Value, a.T(u, "tip.form.title_save", "ID", cid)
		}
		return bot.OpenForm(ctx, r, f)
	}
	tip.Author, tip.Lang, tip.ConsultationID = u.ID, a.Lang(u), cid
	saved, err := a.saveTip(ctx, u, editing, tip, question)
	if err != nil {
		return err
	}
	key := "tip.added"
	if editing.ID != 0 {
		key = "tip.updated"
	}
	reply := a.tipReply(u, saved)
	reply.Text = a.T(u, key, "ID", saved.ID) + "\n\n" + reply.Text
	_, err = r.Reply(ctx, reply)
	return err
}

// readTip reads the tip form's fields in: the tip they make (title, body,
// topic, tags, links), or a localized error per field for everything it
// cannot accept, every field checked so the form shown again names every
// problem at once (an empty title and body: both). hasTopic says whether
// a topic id exists.
func (a *Feature) readTip(u store.User, in tipInput, hasTopic func(uint64) bool) (store.Tip, map[string]string) {
	errs := map[string]string{}
	bad := func(field, key string, kv ...any) {
		if _, ok := errs[field]; !ok {
			errs[field] = a.T(u, key, kv...)
		}
	}
	var t store.Tip
	t.Title = handlers.OneLine(handlers.Clean(in.title))
	if t.Title == "" || handlers.Runes(t.Title) > maxTitle {
		bad("title", "tip.error.title", "Max", maxTitle)
	}
	t.Body = handlers.Clean(in.body)
	if t.Body == "" {
		bad("body", "tip.error.body")
	} else if err := a.CheckText(t.Body); err != nil {
		be, _ := bot.AsError(err)
		errs["body"] = a.TM(a.Lang(u), be.MsgKey, be.Args)
	}
	if in.topic != "" {
		id, ok := handlers.ParseID(in.topic)
		if !ok || !hasTopic(id) {
			bad("topic", "tip.error.topic")
		}
		t.TopicID = id
	}
	for _, g := range splitList(in.tags, false) {
		if g = handlers.OneLine(handlers.Clean(g)); g != "" {
			if handlers.Runes(g) > maxTag {
				bad("tags", "tip.error.tag", "Max", maxTag)
			}
			t.Tags = append(t.Tags, g)
		}
	}
	if len(t.Tags) > maxTags {
		bad("tags", "tip.error.tags", "Max", maxTags)
	}
	for _, l := range splitList(in.links, true) {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !goodLink(l) {
			bad("links", "tip.error.link", "Link", handlers.Clean(handlers.Excerpt(l, 60)))
		}
		t.Links = append(t.Links, l)
	}
	if len(t.Links) > maxLinks {
		bad("links", "tip.error.links", "Max", maxLinks)
	}
	return t, errs
}

// saveTip stores tip as new, or as the new content of editing, in the
// event's one transaction: a new tip from a consultation also learns the
// asker's question and offers a named asker the credit; an edit by anyone
// but the author is audited.
func (a *Feature) saveTip(ctx context.Context, u store.User, editing, tip store.Tip, question string) (store.Tip, error) {
	var asker *store.User // a named asker of the consultation, to ask for consent
	if tip.ConsultationID != 0 && editing.ID == 0 {
		asker = a.namedAsker(tip.ConsultationID, u)
	}
	var saved store.Tip
	err := a.Commit(ctx, func(tx *store.Tx) (err error) {
		if editing.ID == 0 {
			if saved, err = tx.CreateTip(tip); err != nil {
				return err
			}
			if asker != nil {
				if _, err = a.EnqueueTx(tx, nil, a.creditOffer(*asker, u, saved)); err != nil {
					return err
				}
			}
			if tip.ConsultationID != 0 {
				// The asker's words the tip does not hold (the form may
				// have rewritten the question) link them to it.
				if _, err = tx.LearnTipWords(saved.ID, question); err != nil {
					return err
				}
			}
			return tx.AddMonthly(a.Month(tx.Now()), store.StatTipsAdded, 1)
		}
		saved, err = tx.UpdateTip(editing.ID, func(t *store.Tip) error {
			t.Title, t.Body, t.TopicID, t.Tags, t.Links = tip.Title, tip.Body, tip.TopicID, tip.Tags, tip.Links
			return nil
		})
		if err != nil {
			return err
		}
		if u.ID != editing.Author {
			return handlers.AuditTx(tx, u, auditTipEdit, fmt.Sprintf("#%d %s", saved.ID, saved.Title))
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Tip{}, bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", editing.ID)
	}
	if err != nil {
		return store.Tip{}, fmt.Errorf("save tip: %w", err)
	}
	return saved, nil
}

// goodLink reports whether l is an http or https URL with a host.
func goodLink(l string) bool {
	p, err := url.Parse(l)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && len(l) <= maxLink
}
