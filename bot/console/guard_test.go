package console_test

import (
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/bot/console"
)

// guarded runs script through a console with StopAfterFailedAs and
// AnnounceResumed set, as cmd/soudan runs it, on the state st.
func guarded(t *testing.T, st console.State, script string) (*recorder, string) {
	t.Helper()
	out := &strings.Builder{}
	a := console.New(strings.NewReader(script), out, console.Options{
		DefaultUser:       "佐藤",
		Now:               func() time.Time { return now },
		State:             st,
		StopAfterFailedAs: true,
		AnnounceResumed:   true,
	})
	d := restarter(a)
	if err := a.Run(t.Context(), d); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return d, out.String()
}

func TestFailedAsStopsTheLinesAfterIt(t *testing.T) {
	d, out := guarded(t, &memState{}, strings.Join([]string{
		"/soudan card-to #career", // m1, with buttons
		":as <!channel>",
		"for <!channel>",
		"/soudan mine",
		":in #career",
		":press 1",
		":who",
		":as " + strings.Repeat("x", 51),
		"still refused",
		":as 鈴木",
		"as 鈴木", // m2
	}, "\n")+"\n")
	refused := "! 直前の :as が失敗したため、この行は送信しませんでした（佐藤 としては送りません）。:as NAME で切り替えてください"
	checkOutput(t, out, lines(
		"[佐藤 → DM] /soudan card-to #career",
		"[→ #career] m1 (#12)",
		"  ■ 相談 #12",
		"  [1] 引き受ける  [2] 回答する  [3] 開く <https://example.com/12>",
		"! その名前は使えません: <!channel>",
		refused,
		refused,
		refused,
		refused,
		"! ユーザー: 佐藤（ja）、投稿先: DM",
		"! 名前は 50 文字までにしてください（51 文字あります）",
		refused,
		"[鈴木 → DM] m2",
		"  as 鈴木",
	))
	for _, m := range d.messages() {
		if m.User.ID == "佐藤" && m.Command != "card-to" {
			t.Errorf("dispatched %+v as 佐藤 after the failed :as", m)
		}
	}
	if n := len(d.messages()); n != 2 {
		t.Errorf("dispatched %d messages, want the card command and 鈴木's post", n)
	}
}

func TestFailedAsEnglish(t *testing.T) {
	_, out := guarded(t, &memState{}, ":as bob en\n:as\nhello\n")
	checkOutput(t, out, lines(
		"! usage: :as NAME [ja|en]",
		"! not sent: the last :as failed, and this line is not sent as bob; switch with :as NAME",
	))
}

func TestRestoredPlaceIsAnnounced(t *testing.T) {
	st := &memState{}
	guarded(t, st, strings.Join([]string{
		"/soudan card-to #career", // m1 (#12)
		":as 鈴木 en", ":in #career", ":thread 12",
		":as 田中", ":in #random",
		":as 山田", ":in #random", ":dm",
		":as 佐藤", ":in #career", "question", ":thread m2",
	}, "\n")+"\n")
	d, out := guarded(t, st, strings.Join([]string{
		"in the thread", // m3
		":as 鈴木",
		":as 田中", ":dm",
		":as 山田",
		":as 田中",
		":as 佐藤",
	}, "\n")+"\n")
	checkOutput(t, out, lines(
		"! 前回の続き: 佐藤 として #career › m2 に投稿します（DM に戻るには :dm）",
		"[佐藤 → #career › m2] m3",
		"  in the thread",
		"! resumed: you are 鈴木, posting to #career › m1 (#12) as when you left (:dm for your DM)",
		"! 前回の続き: 田中 として #random に投稿します（DM に戻るには :dm）",
	))
	if m := only(t, d); m.Address.Thread != "m2" {
		t.Errorf("posted at %+v, want the thread m2", m.Address)
	}
	// Without AnnounceResumed, nothing is said (the default).
	_, quiet := session(t, st, ":as 鈴木\n")
	if quiet != "" {
		t.Errorf("without AnnounceResumed: printed %q", quiet)
	}
}
