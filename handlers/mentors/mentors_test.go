package mentors

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// validMentorForm is a valid mentor profile submission for topic ids.
func validMentorForm(message string, topics ...uint64) map[string]string {
	ids := make([]string, len(topics))
	for i, id := range topics {
		ids[i] = strconv.FormatUint(id, 10)
	}
	return map[string]string{
		"join_year": "2012", "job_type": "事務（一般職）",
		"career":  "会計担当として本省と在外公館を往復。Teams の導入も担当しました。",
		"posting": "overseas", "posting_place": "在米国大使館",
		"topics": strings.Join(ids, ","), "message": message, "availability": "週末",
	}
}

// register makes user a mentor through the command and the form.
func register(e *testenv.Env, user string, form map[string]string) *bottest.Turn {
	e.T.Helper()
	f := testenv.FormOf(e.T, e.Cmd(user, "/soudan mentor register"))
	if f.ID != "mentor.profile" {
		e.T.Fatalf("form ID = %q, want mentor.profile", f.ID)
	}
	return e.Submit(user, f.ID, form)
}

// mentorCardTitles returns the mentor cards of a turn, by title.
func mentorCardTitles(turn *bottest.Turn) []string {
	var out []string
	for _, r := range turn.Replies {
		if len(r.Buttons) > 0 && r.Buttons[0].ID == "mentor.contact" {
			out = append(out, r.Title)
		}
	}
	return out
}

// withTopics adds topics, one "NAME aliases..." line each.
func withTopics(e *testenv.Env, lines ...string) {
	e.T.Helper()
	for _, l := range lines {
		f := strings.Fields(l)
		e.Topic(f[0], f[1:]...)
	}
}

func TestMentorRegisterShowsCardAndIsFound(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "海外赴任 overseas 在外", "子女教育 education 学校", "IT・Teams it パソコン")
	abroad, school := e.Topic("海外赴任").ID, e.Topic("子女教育").ID

	f := testenv.FormOf(t, e.Cmd("鈴木", "/soudan メンター登録 登録"))
	if got := testenv.InputOf(t, f, "topics"); got.Kind != bot.InputMultiSelect || len(got.Options) != 4 {
		t.Errorf("topics input = %+v, want a multiselect of the 4 topics", got)
	}
	turn := e.Submit("鈴木", "mentor.profile", validMentorForm("子連れ赴任の経験を話せます", abroad, school))
	if len(turn.Replies) != 1 {
		t.Fatalf("replies = %q, want one card", testenv.ReplyTexts(turn))
	}
	card, su := turn.Replies[0], e.Known("鈴木")
	if card.Title != "鈴木" || !strings.Contains(card.Text, "子連れ赴任の経験を話せます") || !strings.HasPrefix(card.Text, e.Kit.TL("ja", "people.mentor.registered")) {
		t.Errorf("card = %q / %q, want title 鈴木 with the registration note and the message", card.Title, card.Text)
	}
	if want := (bot.Button{ID: "mentor.contact", Label: "連絡する", Value: strconv.FormatUint(su.ID, 10), Style: bot.StylePrimary}); len(card.Buttons) != 1 || card.Buttons[0] != want {
		t.Errorf("buttons = %+v, want %+v", card.Buttons, want)
	}
	wantFields := map[string]string{"入職年": "2012年", "勤務地": "海外（在米国大使館）", "相談に乗れるテーマ": "海外赴任、子女教育", "連絡しやすい時間": "週末"}
	for _, fd := range card.Fields {
		if w, ok := wantFields[fd.Label]; ok && fd.Value != w {
			t.Errorf("field %s = %q, want %q", fd.Label, fd.Value, w)
		}
		delete(wantFields, fd.Label)
	}
	if len(wantFields) > 0 {
		t.Errorf("card lacks fields %v", wantFields)
	}

	for _, tc := range []struct{ line, header string }{
		{"/soudan mentors", e.Kit.TL("ja", "people.mentors.all", "Query", "", "Count", 1)},
		{"/soudan mentors 海外赴任", e.Kit.TL("ja", "people.mentors.topic", "Query", "海外赴任", "Count", 1)},
		{"/soudan メンター ＯＶＥＲＳＥＡＳ", e.Kit.TL("ja", "people.mentors.topic", "Query", "海外赴任", "Count", 1)},
		{"/soudan mentors 子連れ　在米国", e.Kit.TL("ja", "people.mentors.words", "Query", "子連れ　在米国", "Count", 1)},
		{"/soudan mentors ｔｅａｍｓ 会計", e.Kit.TL("ja", "people.mentors.words", "Query", "ｔｅａｍｓ 会計", "Count", 1)},
		{"/soudan mentors 学校 海外", e.Kit.TL("ja", "people.mentors.words", "Query", "学校 海外", "Count", 1)},
	} {
		turn := e.Cmd("山田", tc.line)
		if got := mentorCardTitles(turn); len(got) != 1 || got[0] != "鈴木" {
			t.Errorf("%s: cards = %q, want [鈴木]", tc.line, got)
		}
		testenv.WantReply(t, turn, tc.header)
	}
	for _, line := range []string{"/soudan mentors IT・Teams", "/soudan mentors 子連れ 国会"} {
		turn := e.Cmd("山田", line)
		if got := mentorCardTitles(turn); len(got) != 0 {
			t.Errorf("%s: cards = %q, want none", line, got)
		}
		if len(turn.Replies) != 1 || strings.HasPrefix(turn.Replies[0].Text, "⚠️") {
			t.Errorf("%s: replies = %q, want one friendly line", line, testenv.ReplyTexts(turn))
		}
	}
}

func TestMentorFormRejectsBadInputAndSavesNothing(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	career := e.Topic("キャリア").ID
	for _, tc := range []struct {
		name, field string
		form        map[string]string
		want        string
	}{
		{"no message", "message", validMentorForm(" \n ", career), e.Kit.TL("ja", "people.error.required")},
		{"no topic", "topics", validMentorForm("何でもどうぞ"), e.Kit.TL("ja", "people.error.topics")},
		{"unknown topic", "topics", validMentorForm("何でもどうぞ", 999), e.Kit.TL("ja", "people.error.choice")},
		{"long message", "message", validMentorForm(strings.Repeat("あ", 201), career), e.Kit.TL("ja", "people.error.too_long", "Max", 200)},
		{"bad year", "join_year", func() map[string]string { f := validMentorForm("何でも", career); f["join_year"] = "3000"; return f }(),
			e.Kit.TL("ja", "people.error.join_year", "Min", 1950, "Max", 2026)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := testenv.FormOf(t, register(e, "高橋", tc.form))
			if got := f.Errors[tc.field]; got != tc.want {
				t.Errorf("Errors[%s] = %q, want %q (all: %v)", tc.field, got, tc.want, f.Errors)
			}
			uid := e.Known("高橋").ID
			if _, err := storetest.Read(e.St, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) }); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("Mentor after rejected form: err = %v, want ErrNotFound", err)
			}
		})
	}
}

func TestMentorCommandWithoutSubcommand(t *testing.T) {
	e := newPeopleEnv(t)
	if f := testenv.FormOf(t, e.Cmd("高橋", "/soudan メンター登録")); f.ID != "mentor.profile" {
		t.Errorf("form ID = %q, want mentor.profile", f.ID)
	}
	testenv.WantReply(t, e.Cmd("高橋", "/soudan mentor regster"),
		e.Refusal("ja", "error.unknown_subcommand", "Command", "mentor", "Sub", "regster", "Subs", "register, edit, pause, resume"))
}

func TestMentorEditPrefillsAndUpdates(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	career := e.Topic("キャリア").ID
	register(e, "高橋", validMentorForm("キャリアの話をします", career))
	f := testenv.FormOf(t, e.Cmd("高橋", "/soudan mentor 編集"))
	if got := testenv.InputOf(t, f, "message").Value; got != "キャリアの話をします" {
		t.Errorf("edit form message = %q, want the saved one", got)
	}
	if got, want := testenv.InputOf(t, f, "topics").Value, strconv.FormatUint(career, 10); got != want {
		t.Errorf("edit form topics = %q, want %q", got, want)
	}
	form := validMentorForm("異動の話もどうぞ", career)
	turn := e.Submit("高橋", "mentor.profile", form)
	if got := turn.Replies[0].Text; !strings.HasPrefix(got, e.Kit.TL("ja", "people.mentor.updated")) {
		t.Errorf("reply = %q, want the update note", got)
	}
	uid := e.Known("高橋").ID
	mt, err := storetest.Read(e.St, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(uid) })
	if err != nil || mt.Message != "異動の話もどうぞ" {
		t.Errorf("Mentor = %+v, %v; want message updated", mt, err)
	}
}

func TestMentorPauseHidesAndResumeShows(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	register(e, "高橋", validMentorForm("キャリアの話をします", e.Topic("キャリア").ID))

	testenv.WantReply(t, e.Cmd("高橋", "/soudan mentor resume"), e.Kit.TL("ja", "people.mentor.already_taking"))
	testenv.WantReply(t, e.Cmd("高橋", "/soudan mentor pause"), e.Kit.TL("ja", "people.mentor.paused"))
	testenv.WantReply(t, e.Cmd("高橋", "/soudan mentor pause"), e.Kit.TL("ja", "people.mentor.already_paused"))
	for _, line := range []string{"/soudan mentors", "/soudan mentors career", "/soudan mentors キャリアの話"} {
		if got := mentorCardTitles(e.Cmd("山田", line)); len(got) != 0 {
			t.Errorf("%s while paused: cards = %q, want none", line, got)
		}
	}
	id := strconv.FormatUint(e.Known("高橋").ID, 10)
	testenv.WantReply(t, e.Press("山田", "mentor.contact", id), e.Refusal("ja", "people.contact.unavailable", "Name", "高橋"))

	testenv.WantReply(t, e.Cmd("高橋", "/soudan mentor 再開"), e.Kit.TL("ja", "people.mentor.resumed"))
	if got := mentorCardTitles(e.Cmd("山田", "/soudan mentors career")); len(got) != 1 {
		t.Errorf("after resume: cards = %q, want [高橋]", got)
	}
}

func TestMentorCommandsRefuseNonMentors(t *testing.T) {
	e := newPeopleEnv(t)
	for _, line := range []string{"/soudan mentor pause", "/soudan mentor resume", "/soudan mentor edit"} {
		testenv.WantReply(t, e.Cmd("山田", line), e.Refusal("ja", "people.mentor.not_registered"))
	}
	if ms, err := storetest.Read(e.St, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().All() }); err != nil || len(ms) != 0 {
		t.Errorf("Mentors = %v, %v; want none", ms, err)
	}
}

func TestMentorsListShowsTenThenCount(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	career := e.Topic("キャリア").ID
	for i := range 12 {
		register(e, fmt.Sprintf("m%02d", i), validMentorForm("キャリアの話をします", career))
	}
	turn := e.Cmd("山田", "/soudan mentors career")
	if got := mentorCardTitles(turn); len(got) != 10 || got[0] != "m00" {
		t.Errorf("cards = %q, want the first 10", got)
	}
	testenv.WantReply(t, turn, e.Kit.TL("ja", "people.mentors.more", "Count", 2))
}

func TestContactTellsOnlyThePresser(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	register(e, "高橋", validMentorForm("キャリアの話をします", e.Topic("キャリア").ID))
	id := strconv.FormatUint(e.Known("高橋").ID, 10)

	turn := e.Press("山田", "mentor.contact", id)
	if len(turn.Replies) != 1 {
		t.Fatalf("replies = %q, want one", testenv.ReplyTexts(turn))
	}
	r := turn.Replies[0]
	if !r.Ephemeral || !strings.Contains(r.Text, bot.Mention("高橋")) || strings.Contains(r.Text, "山田") {
		t.Errorf("reply = %+v, want an ephemeral line naming only the mentor", r)
	}
	if len(turn.Sent) != 0 {
		t.Errorf("sent %d messages, want none (the mentor learns nothing of the asker)", len(turn.Sent))
	}
	for _, v := range []string{"abc", "999"} {
		testenv.WantReply(t, e.Press("山田", "mentor.contact", v), e.Refusal("ja", "error.stale_action"))
	}
}

func TestMentorsInEnglish(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	register(e, "高橋", validMentorForm("キャリアの話をします", e.Topic("キャリア").ID))
	turn := e.CmdEN("Smith", "/soudan mentors career")
	testenv.WantReply(t, turn, `Mentors who can help with "キャリア": 1`)
	for _, r := range turn.Replies {
		if r.Title == "高橋" && (r.Buttons[0].Label != "Contact" || r.Fields[0].Label != "Year joined") {
			t.Errorf("card = %+v, want English labels", r)
		}
	}
	testenv.WantReply(t, e.CmdEN("Smith", "/soudan mentors unknownword"), `No mentor matches "unknownword". Try other words, or post your question with `+"`/soudan ask`.")
}

func TestMentorCardNeutralisesMassMentions(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "キャリア career")
	form := validMentorForm("相談は @channel ではなく個別にどうぞ", e.Topic("キャリア").ID)
	form["career"] = "<!here> 経歴"
	register(e, "高橋", form)
	turn := e.Cmd("山田", "/soudan mentors")
	for _, r := range turn.Replies {
		text := r.Text
		for _, f := range r.Fields {
			text += f.Value
		}
		if strings.Contains(text, "@channel") || strings.Contains(text, "<!here>") {
			t.Errorf("reply %q relays a mass mention", text)
		}
	}
	if got := mentorCardTitles(turn); len(got) != 1 {
		t.Errorf("cards = %q, want [高橋]", got)
	}
}

// TestMentorRegistrationIsOneCommit: a first mentor profile is saved with
// its event's done mark in one transaction (it was two commits, the
// profile and then the done mark, so a crash between them handled the
// event again).
func TestMentorRegistrationIsOneCommit(t *testing.T) {
	e := newPeopleEnv(t)
	withTopics(e, "海外赴任 overseas 在外")
	abroad := e.Topic("海外赴任").ID
	testenv.FormOf(t, e.Cmd("鈴木", "/soudan メンター登録 登録")) // 鈴木 is met: their record is written once
	before := e.St.Commits()
	turn := e.Submit("鈴木", "mentor.profile", validMentorForm("赴任の準備を話せます", abroad))
	if len(turn.Replies) != 1 || !strings.HasPrefix(turn.Replies[0].Text, e.Kit.TL("ja", "people.mentor.registered")) {
		t.Fatalf("replies = %q, want the registration card", testenv.ReplyTexts(turn))
	}
	if n := e.St.Commits() - before; n != 1 {
		t.Errorf("registering made %d commits, want 1 (the profile with the event's done mark)", n)
	}
}
