package store

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// TestFoldTopicNamesMigration opens a file written before topics were
// keyed by text.Fold, holding what that allowed: "IT・Teams" and
// "it teams" as two topics, an alias that is another topic's name, and
// two topics with aliases that now fold alike. The upgrade merges the two
// topics into the older one, with everything that refers to them, drops
// the aliases that would route to two topics, and says so in the audit
// log.
func TestFoldTopicNamesMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "soudan.db")
	old, err := open(path, Options{}, migrations[:19])
	if err != nil {
		t.Fatal(err)
	}
	type ids struct{ it, itTeams, hr, career, asker, m1, m2, m3, c1, c2, c3, tip1, tip2 uint64 }
	var id ids
	var c3Updated time.Time
	err = old.Update(func(tx *Tx) error {
		// Topics as schema 19 wrote them: records, and their names keyed
		// by text.Normalize, which keeps "・" and spaces.
		put := func(tp Topic) uint64 {
			n, err := tx.bucket(bktTopics).NextSequence()
			if err != nil {
				t.Fatal(err)
			}
			tp.ID, tp.CreatedAt = n, tx.Now()
			if err := putJSON(tx.bucket(bktTopics), itob(n), tp); err != nil {
				t.Fatal(err)
			}
			for _, w := range normalizedWords(tp) {
				if err := tx.bucket(bktTopicsByName).Put(indexKey(w, n), []byte{}); err != nil {
					t.Fatal(err)
				}
			}
			for _, ch := range tp.Channels {
				if err := tx.bucket(bktTopicsByChan).Put(indexKey(channelKey(ch.Platform, ch.Workspace, ch.Channel), n), []byte{}); err != nil {
					t.Fatal(err)
				}
			}
			return n
		}
		ch := func(c string) ChannelRef { return ChannelRef{Platform: "slack", Workspace: "T1", Channel: c} }
		id.it = put(Topic{Name: "IT・Teams", Aliases: []string{"システム"}, Channels: []ChannelRef{ch("C1")}, RemindAfterHours: 4})
		id.itTeams = put(Topic{Name: "it teams", Aliases: []string{"helpdesk", "IT Teams"}, Channels: []ChannelRef{ch("C2")}, Default: true, RemindAfterHours: 8})
		id.hr = put(Topic{Name: "人事", Aliases: []string{"it-teams", "HR"}})
		id.career = put(Topic{Name: "キャリア", Aliases: []string{"シス・テム", "ｈｒ", "career"}})

		user := func(pid string) uint64 {
			u, _, err := tx.Users().Ensure(UserKey{Platform: "slack", Workspace: "T1", PlatformID: pid}, pid, "ja")
			if err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		id.asker, id.m1, id.m2, id.m3 = user("U0"), user("U1"), user("U2"), user("U3")
		for _, m := range []Mentor{{UserID: id.m1, Topics: []uint64{id.it}}, {UserID: id.m2, Topics: []uint64{id.itTeams, id.hr}}, {UserID: id.m3, Topics: []uint64{id.it, id.itTeams}}} {
			if _, err := tx.Mentors().Put(m); err != nil {
				t.Fatal(err)
			}
		}
		consult := func(topic uint64, state State) uint64 {
			c, _, err := tx.Consultations().Create(Consultation{TopicID: topic, AskerID: id.asker, State: state,
				Messages: []ConsultMessage{{Kind: MsgQuestion, AuthorID: id.asker, Text: "Teams の会議に入れません"}}})
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		id.c1, id.c2, id.c3 = consult(id.it, StateOpen), consult(id.itTeams, StateOpen), consult(id.itTeams, StateClosed)
		tip := func(topic uint64, title string) uint64 {
			tp, err := tx.CreateTip(Tip{Title: title, Body: "サインインし直してください。", TopicID: topic, Author: id.m1})
			if err != nil {
				t.Fatal(err)
			}
			return tp.ID
		}
		id.tip1, id.tip2 = tip(id.it, "Teams に入れないとき"), tip(id.itTeams, "会議の録画を探す")
		return putJSON(tx.bucket(bktPurged), []byte("2025-01"), PurgedMonth{Month: "2025-01", Consultations: 4, ByTopic: map[uint64]int{id.it: 1, id.itTeams: 3}})
	})
	if err != nil {
		t.Fatal(err)
	}
	c3Updated = testView(t, old, func(tx *Tx) (time.Time, error) {
		c, err := tx.Consultations().ByID(id.c3)
		return c.UpdatedAt, err
	})
	// The old keys do not answer the new lookup: the upgrade has work to do.
	if _, err := testRead(old, func(tx *Tx) (Topic, error) { return tx.Topics().ByName("IT・Teams") }); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before the upgrade, ByName(IT・Teams) = %v; want ErrNotFound, or the file is not written the old way", err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(); err != nil || v != len(migrations) {
		t.Fatalf("schema version = %d, %v; want %d", v, err, len(migrations))
	}
	err = s.View(func(tx *Tx) error {
		// One topic for every spelling, the older one.
		for _, name := range []string{"IT・Teams", "it teams", "ＩＴ／Ｔｅａｍｓ", "helpdesk", "システム", "it-teams"} {
			if tp, err := tx.Topics().ByName(name); err != nil || tp.ID != id.it {
				t.Errorf("ByName(%q) = #%d, %v; want topic #%d", name, tp.ID, err, id.it)
			}
		}
		if _, err := tx.Topics().ByID(id.itTeams); !errors.Is(err, ErrNotFound) {
			t.Errorf("the merged topic #%d: %v, want ErrNotFound", id.itTeams, err)
		}
		it, err := tx.Topics().ByID(id.it)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"システム", "helpdesk"}; !slices.Equal(it.Aliases, want) {
			t.Errorf("aliases = %q, want %q (the merged name means the same as the name)", it.Aliases, want)
		}
		if len(it.Channels) != 2 || !it.Default || it.RemindAfterHours != 4 {
			t.Errorf("merged topic = %+v; want both channels, the default mark, and its own reminder setting", it)
		}
		if tp, err := tx.Topics().ByChannel("slack", "T1", "C2"); err != nil || tp.ID != id.it {
			t.Errorf("ByChannel(C2) = #%d, %v; want #%d", tp.ID, err, id.it)
		}
		if tp, err := tx.Topics().Default(); err != nil || tp.ID != id.it {
			t.Errorf("Default = #%d, %v; want #%d", tp.ID, err, id.it)
		}
		// A name beats an alias, an older alias a newer one.
		hr, _ := tx.Topics().ByID(id.hr)
		career, _ := tx.Topics().ByID(id.career)
		if want := []string{"HR"}; !slices.Equal(hr.Aliases, want) {
			t.Errorf("人事's aliases = %q, want %q (it-teams names IT・Teams)", hr.Aliases, want)
		}
		if want := []string{"career"}; !slices.Equal(career.Aliases, want) {
			t.Errorf("キャリア's aliases = %q, want %q (シス・テム and ｈｒ are older topics' words)", career.Aliases, want)
		}
		if tp, err := tx.Topics().ByName("hr"); err != nil || tp.ID != id.hr {
			t.Errorf("ByName(hr) = #%d, %v; want 人事 #%d", tp.ID, err, id.hr)
		}
		// What referred to the merged topic refers to the older one.
		for _, cid := range []uint64{id.c1, id.c2, id.c3} {
			c, err := tx.Consultations().ByID(cid)
			if err != nil || c.TopicID != id.it {
				t.Errorf("consultation %d: topic %d, %v; want %d", cid, c.TopicID, err, id.it)
			}
			if cid == id.c3 && !c.UpdatedAt.Equal(c3Updated) {
				t.Errorf("closed consultation's UpdatedAt = %v, want %v kept", c.UpdatedAt, c3Updated)
			}
		}
		want := map[uint64][]uint64{id.m1: {id.it}, id.m2: {id.it, id.hr}, id.m3: {id.it}}
		for uid, topics := range want {
			m, err := tx.Mentors().ByUser(uid)
			if err != nil || !slices.Equal(m.Topics, topics) {
				t.Errorf("mentor %d topics = %v, %v; want %v", uid, m.Topics, err, topics)
			}
		}
		if ms, err := tx.Mentors().ByTopic(id.it); err != nil || len(ms) != 3 {
			t.Errorf("MentorsByTopic(#%d) = %d, %v; want 3", id.it, len(ms), err)
		}
		if ms, err := tx.Mentors().ByTopic(id.itTeams); err != nil || len(ms) != 0 {
			t.Errorf("MentorsByTopic(merged) = %d, %v; want none", len(ms), err)
		}
		if tips, err := tx.TipsByTopic(id.it); err != nil || len(tips) != 2 {
			t.Errorf("TipsByTopic(#%d) = %d tips, %v; want 2", id.it, len(tips), err)
		}
		ps, err := tx.PurgedCounts()
		if err != nil || len(ps) != 1 || ps[0].ByTopic[id.it] != 4 || len(ps[0].ByTopic) != 1 {
			t.Errorf("purged counts = %+v, %v; want all 4 under #%d", ps, err, id.it)
		}
		// The audit log says what the upgrade did.
		log, err := tx.AuditLog(0)
		if err != nil {
			t.Fatal(err)
		}
		var notes []string
		for _, e := range log {
			if e.Action == AuditUpgrade && e.UserID == 0 {
				notes = append(notes, e.Detail)
			}
		}
		for _, want := range []string{
			`topic "it teams" (#2) merged into "IT・Teams" (#1), whose name now means the same: 2 consultations, 1 tips, 2 mentors, 1 channels and its aliases moved`,
			`alias "it-teams" dropped from topic "人事" (#3): it names topic "IT・Teams" (#1)`,
			`alias "シス・テム" dropped from topic "キャリア" (#4): it names topic "IT・Teams" (#1)`,
			`alias "ｈｒ" dropped from topic "キャリア" (#4): it names topic "人事" (#3)`,
		} {
			if !slices.Contains(notes, want) {
				t.Errorf("audit log lacks %q; has:\n%s", want, strings.Join(notes, "\n"))
			}
		}
		if len(notes) != 4 {
			t.Errorf("audit log has %d upgrade entries, want 4:\n%s", len(notes), strings.Join(notes, "\n"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The index is whole: every key of every topic, and nothing else.
	err = s.kv.View(func(tx kv.Tx) error {
		n := 0
		err := tx.Bucket(bktTopicsByName).ForEach(func(_, _ []byte) error { n++; return nil })
		// IT・Teams: itteams, システム, helpdesk; 人事: 人事, hr; キャリア: キャリア, career
		if err == nil && n != 7 {
			t.Errorf("topics.by_name has %d keys, want 7", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
