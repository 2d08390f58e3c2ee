package consult

import (
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// TestOnlyEventsThatDidSomethingAreRemembered: chatter in a channel the
// bot sits in costs no write and leaves no row; a question, and a command,
// are remembered so that the platform's retries change nothing.
func TestOnlyEventsThatDidSomethingAreRemembered(t *testing.T) {
	t.Parallel()
	e := newConsultEnv(t, 3)
	e.Mentor("佐藤", "キャリア")
	chatter := bottest.Post("田中", "#random", "お昼どうする？")
	question := bottest.DM("田中", "キャリアの相談です")
	command := bottest.Command("田中", "/soudan mine")
	e.Do(chatter)
	e.OK(question)
	e.OK(command)
	for _, tc := range []struct {
		name string
		id   string
		want bool
	}{{"chatter in #random", chatter.ID, false}, {"a question", question.ID, true}, {"a command", command.ID, true}} {
		done := storetest.View(t, e.St, func(tx *store.Tx) (bool, error) { return tx.Events().Done(tc.id) })
		_, seen, _ := storetest.Read2(e.St, func(tx *store.Tx) (string, bool, error) { return tx.Events().Seen(tc.id) })
		if done != tc.want || (!tc.want && seen) {
			t.Errorf("%s: done %v seen %v, want remembered %v", tc.name, done, seen, tc.want)
		}
	}
	// The redelivered question still changes nothing.
	again := *question
	if turn := e.Do(&again); len(turn.Sent)+len(turn.Replies) != 0 {
		t.Errorf("redelivered question sent %d and replied %d", len(turn.Sent), len(turn.Replies))
	}
}
