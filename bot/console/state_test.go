package console_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
)

// memState is a console.State in memory that counts its saves.
type memState struct {
	mu      sync.Mutex
	doc     []byte
	saves   int
	loadErr error
	saveErr error
}

var _ console.State = (*memState)(nil)

func (s *memState) LoadConsole() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.doc...), s.loadErr
}

func (s *memState) SaveConsole(b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saveErr != nil {
		return s.saveErr
	}
	s.doc, s.saves = append([]byte(nil), b...), s.saves+1
	return nil
}

// next returns the message counter of the saved document.
func (s *memState) next(t *testing.T) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var d struct{ Next int }
	if err := json.Unmarshal(s.doc, &d); err != nil {
		t.Fatalf("saved document %q: %v", s.doc, err)
	}
	return d.Next
}

// newStateful returns a console on st reading script, with the default
// user "佐藤", and its output buffer.
func newStateful(st console.State, script string) (*console.Adapter, *strings.Builder) {
	out := &strings.Builder{}
	a := console.New(strings.NewReader(script), out, console.Options{
		DefaultUser: "佐藤",
		Now:         func() time.Time { return now },
		State:       st,
	})
	return a, out
}

// restarter answers "/soudan card-to CHANNEL" with the card there,
// "/soudan form" with answerForm, a press and a submission with a reply in
// the thread, and nothing else.
func restarter(a *console.Adapter) *recorder {
	return &recorder{reply: func(ctx context.Context, m *bot.Message, r bot.Responder) error {
		var err error
		switch {
		case m.Command == "card-to":
			_, err = a.Send(ctx, bot.Address{Channel: m.Args[0]}, card)
		case m.Command == "form":
			err = bot.OpenForm(ctx, r, answerForm)
		case m.Kind == bot.KindAction:
			_, err = r.Reply(ctx, bot.Reply{Text: "pressed " + m.Action.ID + "=" + m.Action.Value, InThread: true})
		case m.Kind == bot.KindFormSubmit:
			_, err = r.Reply(ctx, bot.Reply{Text: "answer=" + m.Form["answer"], InThread: true})
		}
		return err
	}}
}

// session runs script on a new console on st, as a new process would.
func session(t *testing.T, st console.State, script string) (*recorder, string) {
	t.Helper()
	a, out := newStateful(st, script)
	d := restarter(a)
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return d, out.String()
}

func TestStateRestartCarriesOn(t *testing.T) {
	st := &memState{}
	_, out := session(t, st, strings.Join([]string{
		":as 鈴木 en", ":in #career",
		":as 田中", ":in #random",
		":as 佐藤",
		"/soudan card-to #career", // m1 (#12)
		":in #career",
		"question", // m2
		":thread m2",
		"in thread",    // m3
		"/soudan form", // m4, to 佐藤 alone in the thread
	}, "\n")+"\n")
	if !strings.Contains(out, "[→ 佐藤 only, #career › m2] m4\n") {
		t.Fatalf("first session did not print the form as m4:\n%s", out)
	}

	d, out := session(t, st, strings.Join([]string{
		":who",
		"after the restart", // m5
		":submit answer=はい", // m4's form; the reply is m6
		":as 鈴木", ":who",
		":thread 12",
		":press 1", // m1's button; the reply is m7
		":as 田中", ":who",
		"@鈴木 hello", // m8
	}, "\n")+"\n")
	checkOutput(t, out, lines(
		"! ユーザー: 佐藤（ja）、投稿先: #career › m2",
		"[佐藤 → #career › m2] m5",
		"  after the restart",
		"[佐藤 → #career › m2] 📝 回答 (m4)",
		"[→ #career › m2] m6",
		"  answer=はい",
		"! user: 鈴木 (en), posting to: #career",
		"[鈴木 → #career] ▶ [1] 引き受ける (m1)",
		"[→ #career › m1] m7",
		"  pressed consult.take=12",
		"! ユーザー: 田中（ja）、投稿先: #random",
		"[田中 → #random] m8",
		"  @鈴木 hello",
	))
	var kinds []string
	for _, m := range d.messages() {
		kinds = append(kinds, fmt.Sprintf("%v %s›%s %s=%s %q", m.Kind, m.Address.Channel, m.Address.Thread, m.Action.ID, m.Action.Value, m.Mentions))
	}
	want := []string{
		`post #career›m2 = []`,
		`form #career›m2 consult.answer=12 []`,
		`action #career› consult.take=12 []`,
		`post #random› = ["鈴木"]`,
	}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("dispatched after the restart:\n got %q\nwant %q", kinds, want)
	}
	if got := st.next(t); got != 8 {
		t.Errorf("saved next = %d, want 8", got)
	}
}

// TestStateThreadAnchorAfterRestart checks ":thread 12" from the channel
// the card was sent to, as a mentor would answer after a restart.
func TestStateThreadAnchorAfterRestart(t *testing.T) {
	st := &memState{}
	session(t, st, "/soudan card-to #career\n")
	d, out := session(t, st, ":in #career\n:thread 12\nanswer\n:thread m1\nagain\n")
	msgs := d.messages()
	if len(msgs) != 2 || msgs[0].Address.Thread != "m1" || msgs[1].Address.Thread != "m1" {
		t.Errorf("posts went to %+v, want both in the thread m1\n%s", msgs, out)
	}
	if !strings.Contains(out, "[佐藤 → #career › m1] m2\n") {
		t.Errorf("the answer is not m2 in the thread m1:\n%s", out)
	}
}

// TestStateSavesEachChange checks that every printed message and every
// successful ":as", ":in", ":dm" or ":thread" is saved at once: a process
// killed after any line loses nothing.
func TestStateSavesEachChange(t *testing.T) {
	st := &memState{}
	steps := []struct {
		line  string
		saves int
	}{
		{"hello", 1},
		{":as 鈴木", 2},
		{":in #career", 3},
		{":thread m99", 3}, // not found: nothing changes
		{":as", 3},         // a usage error
		{"question", 4},
		{":thread m2", 5},
		{":dm", 6},
		{":who", 6},
		{"/soudan nothing", 6},
		{":# comment", 6},
	}
	// Each line is a session of its own, as if the process were killed
	// after it.
	for _, s := range steps {
		a, _ := newStateful(st, s.line+"\n")
		if err := a.Run(t.Context(), &recorder{}); err != nil {
			t.Fatal(err)
		}
		if st.saves != s.saves {
			t.Errorf("after %q: %d saves, want %d", s.line, st.saves, s.saves)
		}
	}
}

func TestStateIDsNeverRepeat(t *testing.T) {
	st := &memState{}
	seen := map[string]bool{}
	for range 3 {
		session(t, st, "/soudan card-to #career\n:in #career\npost\n")
		a, _ := newStateful(st, "")
		got, err := a.Send(t.Context(), bot.Address{Channel: "#career"}, bot.Reply{Text: "sent"})
		if err != nil {
			t.Fatal(err)
		}
		if seen[got.Thread] {
			t.Errorf("message id %s printed twice", got.Thread)
		}
		seen[got.Thread] = true
	}
	if want := map[string]bool{"m3": true, "m6": true, "m9": true}; !reflect.DeepEqual(seen, want) {
		t.Errorf("ids sent after each restart: got %v, want %v", seen, want)
	}
}

// TestStateKeepsNewest checks that the newest 500 messages are kept, and
// that ids go on from the count of all messages.
func TestStateKeepsNewest(t *testing.T) {
	st := &memState{}
	session(t, st, strings.Repeat("x\n", 510))
	_, out := session(t, st, ":thread m10\n:thread m11\nnext\n")
	want := lines(
		"! スレッドが見つかりません: m10（m12 のようなメッセージ番号か、#12 のような番号で指定してください）",
		"[佐藤 → DM › m11] m511",
		"  next",
	)
	checkOutput(t, out, want)
}

func TestStateReset(t *testing.T) {
	nowID := fmt.Sprintf("m%d", now.Unix()+1)
	tests := []struct {
		name, doc string
		loadErr   error
		reason    string
		first     string
	}{
		{"not JSON", "{m5", nil, "decode: ", nowID},
		{"unknown version", `{"version":99,"next":30,"users":"?"}`, nil, "unknown version 99", "m31"},
		{"no version", `{"next":30}`, nil, "unknown version 0", "m31"},
		{"wrong shape", `{"version":1,"next":30,"users":"?"}`, nil, "decode: ", "m31"},
		{"id beyond next", `{"version":1,"next":3,"history":[{"id":"m4","channel":"#career"}]}`, nil, `"m4"`, "m4"},
		{"ids out of order", `{"version":1,"next":9,"history":[{"id":"m4","channel":"#c"},{"id":"m3","channel":"#c"}]}`, nil, `"m3"`, "m10"},
		{"user without locale", `{"version":1,"next":2,"users":[{"name":"佐藤","channel":"#c"}]}`, nil, `"佐藤"`, "m3"},
		{"another user's DM", `{"version":1,"next":2,"users":[{"name":"佐藤","locale":"ja","channel":"dm:鈴木"}]}`, nil, `"鈴木"`, "m3"},
		{"load error", "", errors.New("disk on fire"), "disk on fire", nowID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &memState{doc: []byte(tt.doc), loadErr: tt.loadErr}
			d, out := session(t, st, ":press 1\n:who\nhello\n")
			first, rest, _ := strings.Cut(out, "\n")
			if !strings.HasPrefix(first, "! 保存されたコンソールの履歴を読み込めないため、履歴をリセットしました（") || !strings.Contains(first, tt.reason) {
				t.Errorf("first line %q, want the reset notice with %q", first, tt.reason)
			}
			want := lines(
				"! 押せるボタンがありません",
				"! ユーザー: 佐藤（ja）、投稿先: DM",
				"[佐藤 → DM] "+tt.first,
				"  hello",
			)
			checkOutput(t, rest, want)
			if n := len(d.messages()); n != 1 {
				t.Errorf("dispatched %d messages, want the post alone", n)
			}
			st.loadErr = nil
			if _, again := session(t, st, ""); again != "" {
				t.Errorf("the next start printed %q, want nothing: the fresh state was saved", again)
			}
		})
	}
}

func TestStateSaveFailure(t *testing.T) {
	st := &memState{saveErr: errors.New("disk full")}
	_, out := session(t, st, "one\ntwo\n:as bob en\n")
	if n := strings.Count(out, "! コンソールの履歴を保存できません（disk full）\n"); n != 1 {
		t.Errorf("the save failure was told %d times, want once:\n%s", n, out)
	}
	st.saveErr = nil
	_, out = session(t, st, "three\n")
	if !strings.Contains(out, "] m1\n") {
		t.Errorf("nothing was saved, so the next start numbers from m1:\n%s", out)
	}
}

// TestStateConcurrentSends checks, under -race, that saves from many
// goroutines keep the newest counter: the last save wins only if it is
// the newest.
func TestStateConcurrentSends(t *testing.T) {
	st := &memState{}
	a, _ := newStateful(st, "")
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := a.Send(context.Background(), bot.Address{Channel: "#career"}, card); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if got := st.next(t); got != 20 {
		t.Errorf("saved next = %d after 20 concurrent sends, want 20", got)
	}
}
