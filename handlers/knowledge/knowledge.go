// Package knowledge is soudan's know-how: tips (a title, a body, a topic,
// tags and links) that members add, edit, list, search and mark helpful.
// The search is the store's index (store.SearchTips), on the text
// package.
package knowledge

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Form and actions of tips.
const (
	formTip       = "tip.form"
	actionHelpful = "tip.helpful"
	auditTipEdit  = "tip.edit"
	auditTipDel   = "tip.delete"
)

// Limits of the tip commands.
const (
	defaultHits = 5
	maxHits     = 20
	maxList     = 50
	maxTitle    = 200
	maxTags     = 20
	maxLinks    = 20
	maxTag      = 50
	maxLink     = 500
)

// Feature is tips: add, show, edit, delete, list, links, search,
// helpful, and saving a resolved consultation as a tip.
type Feature struct {
	*handlers.Kit
	// Consultations, when set, lets helpers and admins save a resolved
	// consultation as a tip; cmd sets it to the consultation feature.
	Consultations Consultations
	opt           Options
}

// New returns the knowledge feature.
func New(k *handlers.Kit) *Feature { return &Feature{Kit: k} }

// Register adds /soudan tip with its subcommands, the tip form and the
// helpful button.
func (a *Feature) Register(rt *bot.Router) {
	a.DescribeAudit(auditTipEdit, "tip.audit.edit")
	a.DescribeAudit(auditTipDel, "tip.audit.delete")
	a.DescribeAudit(auditTipUnlearn, "tip.audit.unlearn")
	a.DescribeAudit(auditTipTranslate, "tip.audit.translate")
	a.DescribeAudit(auditTipUntranslate, "tip.audit.untranslate")
	rt.Command(bot.Command{
		Name: "tip", Aliases: []string{"ヒント", "ナレッジ", "検索"}, UsageKey: "usage.tip",
		Handler: a.searchTips, // "/soudan tip WORDS" searches
		Sub: []bot.Command{
			{Name: "add", Aliases: []string{"追加", "登録"}, UsageKey: "usage.tip.add", Handler: a.addTip},
			{Name: "show", Aliases: []string{"表示", "見る"}, UsageKey: "usage.tip.show", Handler: a.showTip},
			{Name: "edit", Aliases: []string{"編集"}, UsageKey: "usage.tip.edit", Handler: a.editTip},
			{Name: "delete", Aliases: []string{"削除"}, UsageKey: "usage.tip.delete", Handler: a.deleteTip},
			{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.tip.list", Handler: a.listTips},
			{Name: "save", Aliases: []string{"保存"}, UsageKey: "usage.tip.save", Handler: a.saveCommand},
			{Name: "links", Aliases: []string{"リンク", "リンク集"}, UsageKey: "usage.tip.links", Handler: a.listLinks},
			{Name: "search", Aliases: []string{"検索", "探す"}, UsageKey: "usage.tip.search", Handler: a.searchTips},
			a.unlearnCommand(),
			a.translateCommand(),
			a.untranslateCommand(),
		},
	})
	rt.Form(formTip, a.submitTip)
	rt.Action(actionHelpful, a.helpful)
	rt.Action(handlers.ActionSaveKnowledge, a.saveAction)
	rt.Reaction(reactionBooks, a.booksReaction)
	rt.Action(actionCredit, a.credit)
	a.registerSynonyms(rt)
}

// tipArg reads the tip id of "tip show ID" and the like, and loads it.
func (a *Feature) tipArg(u store.User, m *bot.Message, usageKey string) (store.Tip, error) {
	if len(m.Args) != 1 {
		return store.Tip{}, a.UsageError(u, usageKey)
	}
	return a.loadTip(m.Args[0])
}

// loadTip loads the tip named by s ("12" or "#12").
func (a *Feature) loadTip(s string) (store.Tip, error) {
	id, ok := handlers.ParseID(s)
	if !ok {
		return store.Tip{}, bot.Errorf(bot.CodeInvalid, "tip.error.bad_id", "ID", handlers.Clean(s))
	}
	var t store.Tip
	err := a.View(func(tx *store.Tx) (err error) {
		t, err = tx.Tip(id)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return store.Tip{}, bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", id)
	}
	if err != nil {
		return store.Tip{}, fmt.Errorf("load tip %d: %w", id, err)
	}
	return t, nil
}

// mayChange refuses u's change of t unless u wrote it or is an admin.
func mayChange(u store.User, t store.Tip) error {
	if u.ID == t.Author || u.HasRole(store.RoleAdmin) {
		return nil
	}
	return bot.Errorf(bot.CodeForbidden, "tip.error.not_author", "ID", t.ID)
}

// showTip answers /soudan tip show ID with the tip and its helpful button.
func (a *Feature) showTip(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	t, err := a.tipArg(u, m, "usage.tip.show")
	if err != nil {
		return err
	}
	_, err = r.Reply(ctx, a.tipReply(u, t))
	return err
}

// tipReply renders a tip for u.
func (a *Feature) tipReply(u store.User, t store.Tip) bot.Reply {
	var topic, author, asker string
	_ = a.View(func(tx *store.Tx) error {
		if t.CreditTo != 0 {
			if au, err := tx.Users().ByID(t.CreditTo); err == nil {
				asker = au.Name
			}
		}
		if t.TopicID != 0 {
			if tp, err := tx.Topics().ByID(t.TopicID); err == nil {
				topic = tp.Name
			}
		}
		if au, err := tx.Users().ByID(t.Author); err == nil {
			author = au.Name
		}
		return nil
	})
	fields := []bot.Field{}
	if topic != "" {
		fields = append(fields, bot.Field{Label: a.T(u, "tip.field.topic"), Value: handlers.Clean(topic)})
	}
	if len(t.Tags) > 0 {
		fields = append(fields, bot.Field{Label: a.T(u, "tip.field.tags"), Value: handlers.Clean(strings.Join(t.Tags, ", "))})
	}
	if len(t.Links) > 0 {
		fields = append(fields, bot.Field{Label: a.T(u, "tip.field.links"), Value: handlers.Clean(strings.Join(t.Links, "\n"))})
	}
	if author != "" {
		fields = append(fields, bot.Field{Label: a.T(u, "tip.field.author"), Value: handlers.Clean(author)})
	}
	if t.ConsultationID != 0 {
		fields = append(fields, bot.Field{Label: a.T(u, "tip.field.consultation"), Value: "#" + idText(t.ConsultationID)})
	}
	if asker != "" {
		fields = append(fields, bot.Field{Label: a.T(u, "tip.field.asker"), Value: handlers.Clean(asker)})
	}
	fields = append(fields, bot.Field{Label: a.T(u, "tip.field.helpful"), Value: strconv.Itoa(t.Helpful)})
	if f, ok := a.translationsField(u, t); ok {
		fields = append(fields, f)
	}
	if f, ok := a.learnedField(u, t.ID); ok {
		fields = append(fields, f)
	}
	return bot.Reply{
		Title:  a.T(u, "tip.title", "ID", t.ID, "Title", handlers.Clean(t.Title)),
		Text:   handlers.Clean(t.Body),
		Fields: fields,
		Buttons: []bot.Button{
			{ID: actionHelpful, Label: a.T(u, "tip.button.helpful"), Value: strconv.FormatUint(t.ID, 10), Style: bot.StylePrimary},
		},
		Anchor: "tip:" + strconv.FormatUint(t.ID, 10),
	}
}

// helpful counts the presser's helpful vote, once per user.
func (a *Feature) helpful(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	t, err := a.loadTip(m.Action.Value)
	if err != nil {
		return err
	}
	var voted store.Tip
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		voted, err = tx.MarkTipHelpful(t.ID, u.ID)
		return err
	})
	if errors.Is(err, store.ErrAlreadyVoted) {
		return bot.Errorf(bot.CodeConflict, "tip.error.voted", "ID", t.ID)
	}
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", t.ID)
	}
	if err != nil {
		return fmt.Errorf("helpful vote: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.helpful.thanks", "ID", t.ID, "Count", voted.Helpful), Ephemeral: true})
	return err
}

// deleteTip answers /soudan tip delete ID: the author or an admin.
func (a *Feature) deleteTip(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	t, err := a.tipArg(u, m, "usage.tip.delete")
	if err != nil {
		return err
	}
	if err := mayChange(u, t); err != nil {
		return err
	}
	err = a.Commit(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteTip(t.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditTipDel, fmt.Sprintf("#%d %s", t.ID, t.Title))
	})
	if errors.Is(err, store.ErrNotFound) {
		return bot.Errorf(bot.CodeNotFound, "tip.error.not_found", "ID", t.ID)
	}
	if err != nil {
		return fmt.Errorf("delete tip: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.deleted", "ID", t.ID, "Title", handlers.Clean(t.Title))})
	return err
}

// listTips answers /soudan tip list [topic]: the newest tips first.
func (a *Feature) listTips(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	name := strings.TrimSpace(m.ArgText)
	var tips []store.Tip
	topics := map[uint64]string{}
	err := a.View(func(tx *store.Tx) error {
		ts, err := tx.Topics().All()
		if err != nil {
			return err
		}
		for _, tp := range ts {
			topics[tp.ID] = tp.Name
		}
		if name == "" {
			tips, err = tx.Tips()
			return err
		}
		tp, err := tx.Topics().ByName(name)
		if errors.Is(err, store.ErrNotFound) {
			return bot.Errorf(bot.CodeNotFound, "tip.error.no_topic", "Name", handlers.Clean(name))
		}
		if err != nil {
			return err
		}
		tips, err = tx.TipsByTopic(tp.ID)
		return err
	})
	if err != nil {
		if _, ok := bot.AsError(err); ok {
			return err
		}
		return fmt.Errorf("list tips: %w", err)
	}
	if len(tips) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.list.empty")})
		return err
	}
	lines := []string{a.T(u, "tip.list.title", "Count", len(tips))}
	for i := len(tips) - 1; i >= 0 && len(lines) <= maxList; i-- {
		lines = append(lines, a.tipLine(u, tips[i], topics[tips[i].TopicID]))
	}
	if len(tips) > maxList {
		lines = append(lines, a.T(u, "tip.list.more", "Count", len(tips)-maxList))
	}
	_, err = r.Reply(ctx, bot.Reply{Text: strings.Join(lines, "\n")})
	return err
}

// tipLine is one tip in a list: its id, full title and topic.
func (a *Feature) tipLine(u store.User, t store.Tip, topic string) string {
	if topic == "" {
		topic = a.T(u, "tip.no_topic")
	}
	return a.T(u, "tip.line", "ID", t.ID, "Title", handlers.Clean(t.Title), "Topic", handlers.Clean(topic))
}
