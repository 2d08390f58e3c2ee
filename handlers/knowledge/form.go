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
	topics, err := handlers.Read(a.Kit, (*store.Tx).Topics)
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

// submitTip stores a submitted tip form (new, or an edit by the author
// or an admin); bad input shows the form again and stores nothing.
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
	form := func(errs map[string]string) (bot.Form, error) {
		f, err := a.tipForm(u, editing.ID, in, errs)
		if err == nil && fromCons {
			f.Value, f.Title = m.Action.Value, a.T(u, "tip.form.title_save", "ID", cid)
		}
		return f, err
	}
	// Every field is checked, so the form shown again names every
	// problem at once (an empty title and body: both).
	errs := map[string]string{}
	bad := func(field, key string, kv ...any) {
		if _, ok := errs[field]; !ok {
			errs[field] = a.T(u, key, kv...)
		}
	}
	title := handlers.OneLine(handlers.Clean(in.title))
	if title == "" || handlers.Runes(title) > maxTitle {
		bad("title", "tip.error.title", "Max", maxTitle)
	}
	body := handlers.Clean(in.body)
	if body == "" {
		bad("body", "tip.error.body")
	} else if err := a.CheckText(body); err != nil {
		be, _ := bot.AsError(err)
		errs["body"] = a.TM(a.Lang(u), be.MsgKey, be.Args)
	}
	var topicID uint64
	if in.topic != "" {
		id, ok := handlers.ParseID(in.topic)
		if ok {
			if _, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) { return tx.Topic(id) }); err != nil {
				ok = false
			}
		}
		if !ok {
			bad("topic", "tip.error.topic")
		}
		topicID = id
	}
	var tags []string
	for _, g := range splitList(in.tags, false) {
		if g = handlers.OneLine(handlers.Clean(g)); g != "" {
			if handlers.Runes(g) > maxTag {
				bad("tags", "tip.error.tag", "Max", maxTag)
			}
			tags = append(tags, g)
		}
	}
	if len(tags) > maxTags {
		bad("tags", "tip.error.tags", "Max", maxTags)
	}
	var links []string
	for _, l := range splitList(in.links, true) {
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if !goodLink(l) {
			bad("links", "tip.error.link", "Link", handlers.Clean(handlers.Excerpt(l, 60)))
		}
		links = append(links, l)
	}
	if len(links) > maxLinks {
		bad("links", "tip.error.links", "Max", maxLinks)
	}
	if len(errs) > 0 {
		f, err := form(errs)
		if err != nil {
			return err
		}
		return bot.OpenForm(ctx, r, f)
	}
	var saved store.Tip
	var asker *store.User // a named asker of the consultation, to ask for consent
	if fromCons {
		asker = a.namedAsker(cid, u)
	}
	err := a.Commit(ctx, func(tx *store.Tx) (err error) {
		if editing.ID == 0 {
			saved, err = tx.CreateTip(store.Tip{Title: title, Body: body, TopicID: topicID, Tags: tags, Links: links, Author: u.ID, Lang: a.Lang(u), ConsultationID: cid})
			if err != nil {
				return err
			}
			if asker != nil {
				if _, err = a.EnqueueTx(tx, nil, a.creditOffer(*asker, u, saved)); err != nil {
					return err
				}
			}
			if fromCons {
				// The asker's words the tip does not hold (the form may
				// have rewritten the question) link them to it.
				if _, err = tx.LearnTipWords(saved.ID, question); err != nil {
					return err
				}
			}
			return tx.AddMonthly(a.Month(tx.Now()), store.StatTipsAdded, 1)
		}
		saved, err = tx.UpdateTip(editing.ID, func(t *store.Tip) error {
			t.Title, t.Body, t.TopicID, t.Tags, t.Links = title, body, topicID, tags, links
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
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", editing.ID)
	}
	if err != nil {
		return fmt.Errorf("save tip: %w", err)
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

// goodLink reports whether l is an http or https URL with a host.
func goodLink(l string) bool {
	p, err := url.Parse(l)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && len(l) <= maxLink
}
