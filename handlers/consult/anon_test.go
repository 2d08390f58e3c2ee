package consult

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// toChannel is every delivery and reply of turn that people in channel
// other than the asker could see: deliveries to it, and replies that are
// not ephemeral.
func toChannel(turn *bottest.Turn, channel string) []string {
	var out []string
	for _, d := range turn.Sent {
		if d.At.Channel == channel || d.To.Channel == channel {
			out = append(out, d.Reply.Title+d.Reply.Text)
		}
	}
	for _, r := range turn.Replies {
		if !r.Ephemeral {
			out = append(out, r.Title+r.Text)
		}
	}
	return out
}

func TestAnonymousSlashCommandInAChannelPostsNothingThere(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	const asker = "山田花子"
	// A slash command: nobody in #career sees it typed.
	turn := e.OK(inChannel(bottest.Command(asker, "/soudan ask --anon 上司との関係に悩んでいます"), "#career"))
	if got := toChannel(turn, "#career"); len(got) != 0 {
		t.Errorf("the anonymous question appeared in the channel it was typed in: %q", got)
	}
	for _, d := range turn.Sent {
		if d.At.Channel != "dm:佐藤" && d.At.Channel != "dm:"+asker {
			t.Errorf("delivery to %s, want only the mentor's and the asker's DMs", d.At.Channel)
		}
	}
	c := e.Consultation(1)
	if !c.Anonymous || c.Public != nil || c.TopicID != e.Topic("キャリア").ID {
		t.Errorf("consultation anonymous=%v public=%+v topic=%d; want anonymous, no public thread, the channel's topic", c.Anonymous, c.Public, c.TopicID)
	}
	if txt := turn.Text(); !strings.Contains(txt, "このチャンネルには何も投稿していません") {
		t.Errorf("the asker was told %q, want that nothing was posted in the channel", txt)
	}
	if card := testenv.CardTo(t, turn, "佐藤"); strings.Contains(card.Reply.Text+card.Reply.Title, asker) || strings.Contains(testenv.DeliveredText([]bottest.Delivery{card}), "#career") {
		t.Errorf("the mentor's card names the asker or the channel: %+v", card.Reply)
	}
	if len(e.Ad.SentTo(asker)) == 0 {
		t.Errorf("the asker got no DM to follow the question in")
	}

	// The ask form submitted from the channel: the same.
	turn = e.OK(inChannel(bottest.Submit(asker, bot.Address{}, formAsk, "", map[string]string{"question": "評価に不満があります", "anonymous": "true"}), "#career"))
	if got := toChannel(turn, "#career"); len(got) != 0 {
		t.Errorf("the anonymous form's question appeared in the channel: %q", got)
	}
	if c := e.Consultation(2); !c.Anonymous || c.Public != nil {
		t.Errorf("form: anonymous=%v public=%+v", c.Anonymous, c.Public)
	}
}

func TestAnonymousAskTheChannelCanSeeIsRefused(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	e.Mentor("佐藤", "キャリア")
	const asker = "山田花子"
	teams := inChannel(bottest.Command(asker, "/soudan ask --anon 上司との関係"), "#career")
	teams.Address.Platform = bot.PlatformTeams // a typed command: a message everyone there sees
	for _, m := range []*bot.Message{
		bottest.Post(asker, "#career", "@soudan ask --anon 上司との関係に悩んでいます"),
		bottest.Post(asker, "#career", "--anon 上司との関係に悩んでいます"),
		bottest.Post(asker, "#random", "@soudan 匿名 上司との関係に悩んでいます"),
		teams,
	} {
		turn := e.Do(m)
		if txt := turn.Text(); !strings.Contains(txt, "⚠️") || !strings.Contains(txt, "名前付きで見えて") {
			t.Errorf("%q: got %q, want a refusal saying the channel sees the message with the name", m.Text+m.ArgText, txt)
		}
		if got := toChannel(turn, m.Address.Channel); len(got) != 0 || len(turn.Sent) != 0 {
			t.Errorf("%q: sent %v and %q in the channel; want nothing", m.Text+m.ArgText, testenv.Recipients(turn.Sent), got)
		}
	}
	if all, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Consultation, error) { return tx.Consultations().ByState() }); len(all) != 0 {
		t.Errorf("refused anonymous asks created %d consultations", len(all))
	}

	// In a DM the flag works for a plain message too.
	turn := e.OK(bottest.DM(asker, "--anon キャリアの悩みです。上司との関係に悩んでいます"))
	c := e.Consultation(1)
	if !c.Anonymous || strings.Contains(c.Question(), "--anon") {
		t.Errorf("DM with --anon: anonymous=%v question %q", c.Anonymous, c.Question())
	}
	if card := testenv.CardTo(t, turn, "佐藤"); strings.Contains(card.Reply.Title+card.Reply.Text+testenv.DeliveredText([]bottest.Delivery{card}), asker) {
		t.Errorf("mentor's card names the asker: %+v", card.Reply)
	}
	// A post that only looks like a flag further on is an ordinary question.
	e.OK(bottest.Post("伊藤", "#career", "匿名のアンケートはありますか"))
	if c := e.Consultation(2); c.Anonymous || c.State != store.StateOpen {
		t.Errorf("ordinary post: anonymous=%v state %s", c.Anonymous, c.State)
	}
}
