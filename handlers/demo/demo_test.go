package demo

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestSeedDemoIsIdempotent(t *testing.T) {
	st := storetest.MustOpen(t)
	for _, tp := range []store.Topic{{Name: "その他", Default: true}, {Name: "キャリア", Aliases: []string{"進路"}}} {
		if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(tp) }); err != nil {
			t.Fatal(err)
		}
	}
	// Someone the bot already knows.
	if _, _, err := storetest.Write2(st, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: bot.PlatformConsole, Workspace: "console", PlatformID: "山田"}, "山田", "ja")
	}); err != nil {
		t.Fatal(err)
	}
	count := func() (topics, users, mentors int) {
		ts, err := storetest.Read(st, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
		if err != nil {
			t.Fatal(err)
		}
		us := storetest.View(t, st, func(tx *store.Tx) ([]store.User, error) { return tx.Users().All() })
		ms := storetest.View(t, st, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().All() })
		return len(ts), len(us), len(ms)
	}
	if err := Seed(context.Background(), st); err != nil {
		t.Fatalf("SeedDemo: %v", err)
	}
	t1, u1, m1 := count()
	if t1 != 2+len(demoTopics)-1 || u1 != 1+len(demoMentors) || m1 != len(demoMentors) {
		t.Errorf("after seeding: %d topics, %d users, %d mentors; want %d, %d, %d", t1, u1, m1, 2+len(demoTopics)-1, 1+len(demoMentors), len(demoMentors))
	}
	if tp, _ := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("キャリア") }); tp.Demo || len(tp.Aliases) != 1 {
		t.Errorf("existing topic = %+v, want it left alone", tp)
	}
	if tp, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().ByChannel(bot.PlatformConsole, "console", "#overseas")
	}); err != nil || tp.Name != "海外赴任" || !tp.Demo {
		t.Errorf("#overseas maps to %+v, %v; want the demo topic 海外赴任", tp, err)
	}
	sato := storetest.View(t, st, func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: bot.PlatformConsole, Workspace: "console", PlatformID: "佐藤（デモ）"})
	})
	if mt, err := storetest.Read(st, func(tx *store.Tx) (store.Mentor, error) { return tx.Mentors().ByUser(sato.ID) }); err != nil || !mt.Demo || len(mt.Topics) == 0 || mt.Message == "" {
		t.Errorf("demo mentor = %+v, %v; want a demo profile with topics", mt, err)
	}

	if err := Seed(context.Background(), st); err != nil {
		t.Fatalf("second SeedDemo: %v", err)
	}
	if t2, u2, m2 := count(); t2 != t1 || u2 != u1 || m2 != m1 {
		t.Errorf("second run: %d topics, %d users, %d mentors; want %d, %d, %d", t2, u2, m2, t1, u1, m1)
	}

}

// TestSeedDemoUpdatesAnOlderDemoFile: a demo file seeded by an older
// version gets the demo topics' new aliases (VPN for IT・Teams, so the
// README's first question routes), and その他 gets its demo mentor.
func TestSeedDemoUpdatesAnOlderDemoFile(t *testing.T) {
	st := storetest.MustOpen(t)
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "その他", Default: true})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := storetest.Write(st, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "IT・Teams", Aliases: []string{"it", "パソコン"}, Demo: true})
	}); err != nil {
		t.Fatal(err)
	}
	if err := Seed(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	if tp, err := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("VPN") }); err != nil || tp.Name != "IT・Teams" {
		t.Errorf("VPN names %+v, %v; want IT・Teams", tp, err)
	}
	def, _ := storetest.Read(st, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Default() })
	if ms, err := storetest.Read(st, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().ByTopic(def.ID) }); err != nil || len(ms) != 1 {
		t.Errorf("mentors of その他: %+v, %v; want one", ms, err)
	}
}

// A data file that holds people of a chat platform is not the demo's: the
// sample topics, mentors and tips must never mix with them.
func TestSeedDemoRefusesAFileWithRealUsers(t *testing.T) {
	st := storetest.MustOpen(t)
	if _, _, err := storetest.Write2(st, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: bot.PlatformSlack, Workspace: "T1", PlatformID: "U123"}, "山田", "ja")
	}); err != nil {
		t.Fatal(err)
	}
	topics, _ := storetest.Read(st, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	err := Seed(context.Background(), st)
	if !errors.Is(err, ErrRealUsers) || !strings.Contains(err.Error(), "slack") {
		t.Fatalf("Seed on a file with a Slack user: %v; want ErrRealUsers naming slack", err)
	}
	after, _ := storetest.Read(st, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	ms, _ := storetest.Read(st, func(tx *store.Tx) ([]store.Mentor, error) { return tx.Mentors().All() })
	var tips []store.Tip
	_ = st.View(func(tx *store.Tx) (err error) { tips, err = tx.Tips(); return err })
	if len(after) != len(topics) || len(ms) != 0 || len(tips) != 0 {
		t.Errorf("a refused seed added %d topics, %d mentors, %d tips", len(after)-len(topics), len(ms), len(tips))
	}

	// Console users only (a forgotten one too): the demo's own kind of file.
	own := storetest.MustOpen(t)
	u, _, err := storetest.Write2(own, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: bot.PlatformConsole, Workspace: "console", PlatformID: "kim"}, "kim", "ja")
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := own.Update(func(tx *store.Tx) error { _, err := tx.ForgetUser(u.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if err := Seed(context.Background(), own); err != nil {
		t.Errorf("Seed on a console file: %v", err)
	}
}
