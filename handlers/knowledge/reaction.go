package knowledge

import (
	"context"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// reactionBooks is the reaction that proposes a message as a tip (📚,
// Slack's :books:).
const reactionBooks = "books"

// booksReaction proposes the reacted message, with the thread it is in,
// as a tip to the person who reacted: the tip form, prefilled (the
// message's first line as the title, the people's posts of the thread as
// the body, the channel's topic), shown to them alone and editable before
// saving. The thread is read through the adapter's bot.ThreadReader when
// it has one; else the message alone, when the platform sent its text.
func (a *Feature) booksReaction(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var posts []bot.Posted
	if tr, ok := bot.SenderFor(a.Send, m.Address.Platform).(bot.ThreadReader); ok && m.Action.Value != "" {
		read, err := tr.ReadThread(ctx, m.Address, m.Action.Value)
		if err != nil {
			a.Log.Warn("read the thread of a 📚 reaction", "platform", m.Address.Platform, "err", err)
		}
		posts = read
	}
	if len(posts) == 0 && strings.TrimSpace(m.Text) != "" {
		posts = []bot.Posted{{ID: m.Action.Value, Text: m.Text}}
	}
	var title string
	var parts []string
	for _, p := range posts {
		text := strings.TrimSpace(p.Text)
		if p.Bot || text == "" {
			continue
		}
		if p.ID == m.Action.Value || title == "" {
			title = firstLine(text)
		}
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Text: a.T(u, "tip.books.unreadable"), Ephemeral: true})
		return err
	}
	in := tipInput{title: handlers.Excerpt(title, 60), body: clip(strings.Join(parts, "\n\n"), a.Config.MaxText)}
	at := m.Address
	if tp, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(at.Platform, at.Workspace, at.Channel)
	}); err == nil {
		in.topic = idText(tp.ID)
	}
	f, err := a.tipForm(u, 0, in, nil)
	if err != nil {
		return err
	}
	f.Title = a.T(u, "tip.form.title_books")
	f.Intro = a.T(u, "tip.books.intro")
	return bot.OpenForm(ctx, r, f)
}

// firstLine is s's first non-empty line.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
