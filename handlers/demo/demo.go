// Package demo seeds clearly marked sample topics and mentors for trying
// soudan in the console (soudan -demo).
package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// demoWorkspace is the console workspace the demo data lives in.
const demoWorkspace = "console"

// demoTopic is a sample topic, with the console channel mapped to it.
type demoTopic struct {
	name    string
	aliases []string
	channel string
}

// demoTopics are the sample consultation themes, from the programmes the
// bot is modelled on.
var demoTopics = []demoTopic{
	{"キャリア", []string{"career", "キャリアパス"}, "#career"},
	{"ワークライフバランス", []string{"wlb", "育児", "子育て"}, ""},
	{"海外赴任", []string{"overseas", "在外", "赴任"}, "#overseas"},
	{"子女教育", []string{"education", "学校"}, ""},
	{"IT・Teams", []string{"it", "パソコン", "VPN", "Teams"}, "#it"},
	{"国会業務", []string{"国会"}, ""},
	{"引継ぎ", []string{"handover", "異動"}, ""},
}

// defaultTopic names the default topic (その他 unless configured) among a
// demo mentor's topics, so that a question no topic matches reaches
// someone.
const defaultTopic = ""

// demoMentor is a sample mentor. Names carry （デモ） so nobody mistakes
// them for colleagues, and have no spaces so the console's ":as NAME"
// works.
type demoMentor struct {
	name, department      string
	joinYear              int
	jobType, career       string
	posting, place        string
	topics                []string
	message, availability string
}

// demoMentors are the sample mentors, one or two per topic.
var demoMentors = []demoMentor{
	{"佐藤（デモ）", "人事課", 2008, "事務（総合職）",
		"本省で法令担当、人事課、在英国大使館（3年）を経て現職。異動のたびに未経験の仕事でしたが、何とかなってきました。",
		store.PostingHQ, "人事課", []string{"キャリア", "引継ぎ", defaultTopic}, "初めての部署への異動や、キャリアの悩み、どこに聞けばよいか分からないことも気軽にどうぞ。", "平日 12:00〜13:00"},
	{"鈴木（デモ）", "在米国大使館", 2012, "事務（一般職）",
		"会計担当として本省と在外公館を往復。子ども2人を連れて米国に赴任中です。",
		store.PostingOverseas, "在米国大使館", []string{"海外赴任", "子女教育", "ワークライフバランス"}, "子連れ赴任、現地校・日本人学校選びの経験を話せます。", "日本時間の朝"},
	{"高橋（デモ）", "総務課", 2019, "技術（情報）",
		"システム部門で Teams と業務端末、在宅勤務用の VPN の導入を担当。庁内ヘルプデスクの立ち上げも経験しました。",
		store.PostingHQ, "情報システム室", []string{"IT・Teams"}, "Teams やパソコンの「ちょっとした困りごと」を何でも聞いてください。", "平日いつでも"},
	{"田中（デモ）", "政策課", 2005, "事務（総合職）",
		"国会担当を通算4年。答弁作成、質問取り、法案審議の裏方を一通り経験しています。",
		store.PostingHQ, "政策課", []string{"国会業務", "キャリア"}, "国会業務の段取りや、繁忙期の乗り切り方をお伝えします。", "国会閉会中はいつでも"},
	{"伊藤（デモ）", "在タイ大使館", 2021, "専門職（語学）",
		"タイ語専門職。在タイ大使館で2回目の勤務。単身赴任と育児休業の両方を経験しました。",
		store.PostingOverseas, "在タイ大使館", []string{"海外赴任", "ワークライフバランス"}, "単身赴任、育休からの復帰、現地採用スタッフとの仕事について。", "週末"},
	{"渡辺（デモ）", "地方支分局", 2010, "事務（一般職）",
		"地方の出先機関と本省を3回ずつ異動。ひとり担当の業務を引き継いだ経験が多いです。",
		store.PostingOther, "東北支局", []string{"引継ぎ", "キャリア"}, "ひとり担当の引継ぎ、地方勤務と家庭の両立の話ができます。", "平日夕方"},
}

// Seeder seeds the demo data into a store.
type Seeder struct {
	Data handlers.Transactions
}

// Seed is Seeder{st}.SeedDemo(ctx).
func Seed(ctx context.Context, st handlers.Transactions) error {
	return (&Seeder{Data: st}).SeedDemo(ctx)
}

// SeedDemo adds clearly marked sample data on the console platform:
// topics with channels, mentors with profiles, and tips they wrote. It is idempotent: what
// already exists (a topic of that name, a mapped channel, a user with a
// mentor profile) is left alone.
//
// It is one transaction: a file gets all of the demo data or none.
func (a *Seeder) SeedDemo(ctx context.Context) error {
	return a.Data.Update(func(tx *store.Tx) error {
		if err := checkFile(tx); err != nil {
			return err
		}
		for _, dt := range demoTopics {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := seedTopic(tx, dt); err != nil {
				return err
			}
		}
		for _, dm := range demoMentors {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := seedMentor(tx, dm); err != nil {
				return err
			}
		}
		for _, dt := range demoTips {
			if err := seedTip(tx, dt); err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrRealUsers is SeedDemo's refusal of a data file that holds users of a
// chat platform (Slack, Teams): a real workspace's file, which sample
// topics, mentors and tips must never join.
var ErrRealUsers = errors.New("the data file holds users of a chat platform")

// Check is SeedDemo's refusal alone, for a caller that wants it before it
// changes anything: ErrRealUsers when st holds users of a chat platform.
func Check(st handlers.Transactions) error { return st.View(checkFile) }

// checkFile refuses a file with users who are neither console users nor
// forgotten ones (a forgotten user's platform is gone: it says nothing).
func checkFile(tx *store.Tx) error {
	us, err := tx.Users().All()
	if err != nil {
		return fmt.Errorf("seed demo: users: %w", err)
	}
	n := 0
	var platforms []string
	for _, u := range us {
		if u.Deleted || u.Platform == bot.PlatformConsole {
			continue
		}
		n++
		if !slices.Contains(platforms, u.Platform) {
			platforms = append(platforms, u.Platform)
		}
	}
	if n == 0 {
		return nil
	}
	slices.Sort(platforms)
	return fmt.Errorf("%w (%d users of %s)", ErrRealUsers, n, strings.Join(platforms, ", "))
}

// seedTopic creates a demo topic unless one of that name exists, and maps
// its channel unless the channel is mapped already.
func seedTopic(tx *store.Tx, dt demoTopic) error {
	t, err := tx.Topics().ByName(dt.name)
	if errors.Is(err, store.ErrNotFound) {
		t, err = tx.Topics().Create(store.Topic{Name: dt.name, Aliases: dt.aliases, Demo: true})
		if errors.Is(err, store.ErrExists) {
			// An alias is taken by a real topic: keep the name alone.
			t, err = tx.Topics().Create(store.Topic{Name: dt.name, Demo: true})
		}
	}
	if err != nil {
		return fmt.Errorf("seed topic %s: %w", dt.name, err)
	}
	if missing := slices.DeleteFunc(slices.Clone(dt.aliases), func(a string) bool { return slices.Contains(t.Aliases, a) }); t.Demo && len(missing) > 0 {
		// A demo file seeded by an older version gets the new aliases,
		// unless a real topic has them.
		_, err := tx.Topics().Update(t.ID, func(t *store.Topic) error { t.Aliases = append(t.Aliases, missing...); return nil })
		if err != nil && !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("seed topic %s: %w", dt.name, err)
		}
	}
	if dt.channel == "" {
		return nil
	}
	_, err = tx.Topics().ByChannel(bot.PlatformConsole, demoWorkspace, dt.channel)
	if err == nil {
		return nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("seed channel %s: %w", dt.channel, err)
	}
	ch := store.ChannelRef{Platform: bot.PlatformConsole, Workspace: demoWorkspace, Channel: dt.channel, Name: dt.channel}
	if _, err := tx.Topics().MapChannel(t.ID, ch); err != nil {
		return fmt.Errorf("seed channel %s: %w", dt.channel, err)
	}
	return nil
}

// seedMentor creates a demo user with a profile and a mentor profile,
// unless the user already has a mentor profile.
func seedMentor(tx *store.Tx, dm demoMentor) error {
	k := store.UserKey{Platform: bot.PlatformConsole, Workspace: demoWorkspace, PlatformID: dm.name}
	u, created, err := tx.Users().Ensure(k, dm.name, "ja")
	if err != nil {
		return fmt.Errorf("seed mentor %s: %w", dm.name, err)
	}
	if _, err := tx.Mentors().ByUser(u.ID); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("seed mentor %s: %w", dm.name, err)
	}
	if created {
		_, err := tx.Users().Update(u.ID, func(u *store.User) error {
			u.Department, u.JoinYear, u.JobType, u.Posting = dm.department, dm.joinYear, dm.jobType, dm.posting
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed mentor %s: %w", dm.name, err)
		}
	}
	mt := store.Mentor{
		UserID: u.ID, JoinYear: dm.joinYear, JobType: dm.jobType, Career: dm.career,
		Posting: dm.posting, PostingPlace: dm.place, Message: dm.message,
		Availability: dm.availability, Demo: true,
	}
	for _, name := range dm.topics {
		t, err := tx.Topics().ByName(name)
		if name == defaultTopic {
			t, err = tx.Topics().Default()
		}
		if err == nil {
			mt.Topics = append(mt.Topics, t.ID)
		}
	}
	if _, err := tx.Mentors().Put(mt); err != nil {
		return fmt.Errorf("seed mentor %s: %w", dm.name, err)
	}
	return nil
}
