package consult

import (
	"strconv"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
)

// inChannel moves m, built for a DM, into channel: a slash command typed
// there (which only its user sees).
func inChannel(m *bot.Message, channel string) *bot.Message {
	m.Address = bot.Address{Platform: bottest.Platform, Workspace: bottest.Workspace, Channel: channel}
	m.Direct = false
	return m
}

func TestAskCommandInMappedChannelTakesTheChannelsTopic(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.MapChannel("#career", "キャリア")
	career := e.Mentor("佐藤", "キャリア")
	e.Mentor("江藤", "その他")
	// The same words posted in #career are routed to キャリア; typed as a
	// command there they must be too.
	turn := e.OK(inChannel(bottest.Command("田中", "/soudan ask 来年の異動の希望はどう出せばいいですか"), "#career"))
	if c := e.Consultation(1); c.TopicID != e.Topic("キャリア").ID {
		t.Errorf("topic = %d, want キャリア (%d), the channel's topic", c.TopicID, e.Topic("キャリア").ID)
	}
	if got := testenv.Recipients(turn.Sent); len(got) != 1 || got[0] != "dm:"+career.Name {
		t.Errorf("cards went to %v, want the キャリア mentor alone", got)
	}
	// A topic named in the command wins over the channel's.
	e.OK(inChannel(bottest.Command("田中", "/soudan ask IT 画面が映りません"), "#career"))
	if c := e.Consultation(2); c.TopicID != e.Topic("IT").ID {
		t.Errorf("named topic: topic = %d, want IT (%d)", c.TopicID, e.Topic("IT").ID)
	}
	// The form opened there starts on the channel's topic.
	turn = e.OK(inChannel(bottest.Command("田中", "/soudan ask"), "#career"))
	f := testenv.FormOf(t, turn)
	if in := testenv.InputOf(t, f, "topic"); in.Value != strconv.FormatUint(e.Topic("キャリア").ID, 10) {
		t.Errorf("form topic = %q, want the channel's topic キャリア", in.Value)
	}
	// In an unmapped channel the words decide, as before.
	e.OK(inChannel(bottest.Command("田中", "/soudan ask パソコンが重い"), "#random"))
	if c := e.Consultation(3); c.TopicID != e.Topic("IT").ID {
		t.Errorf("unmapped channel: topic = %d, want IT by its alias", c.TopicID)
	}
}
