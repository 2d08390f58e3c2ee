package demo

import (
	"errors"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// demoTip is a sample tip, written by a demo mentor, so that search and
// the related tips of a new question have something to find.
type demoTip struct {
	key, author, topic, title, body string
	tags, links                     []string
}

// demoTips are the sample tips. Their titles carry （デモ） like the demo
// people; the key makes seeding them again a no-op.
var demoTips = []demoTip{
	{"demo:vpn", "高橋（デモ）", "IT・Teams", "VPN につながらないとき（デモ）",
		"在宅勤務の日に VPN がつながらないときは、まずパソコンを再起動し、証明書の有効期限を確認します。それでも駄目ならヘルプデスクへ。",
		[]string{"VPN", "テレワーク"}, []string{"https://example.com/manual/vpn"}},
	{"demo:teams-share", "高橋（デモ）", "IT・Teams", "Teams で画面共有ができない（デモ）",
		"会議の「共有」から共有したいウィンドウを選びます。ボタンが出ないときは Teams を最新版に更新し、OS の画面収録の許可を確認します。",
		[]string{"Teams", "画面共有"}, nil},
	{"demo:handover", "渡辺（デモ）", "引継ぎ", "ひとり担当の引継ぎメモの作り方（デモ）",
		"年間の締切一覧、関係者の連絡先、過去の判断の経緯の3点を一枚にまとめます。前任者に30分だけ時間をもらい、口頭で補足してもらうと安心です。",
		[]string{"引継ぎ", "異動"}, nil},
	{"demo:school", "鈴木（デモ）", "子女教育", "赴任先での学校選び：現地校か日本人学校か（デモ）",
		"子どもの年齢と帰国予定で考えます。補習授業校を併用する家庭も多いです。赴任前に大使館の担当者へ空き状況を問い合わせましょう。",
		[]string{"子ども", "海外赴任"}, []string{"https://example.com/manual/education"}},
	{"demo:overtime", "田中（デモ）", "国会業務", "国会対応で残業が続くときの乗り切り方（デモ）",
		"答弁作成は早めに骨子を共有して手戻りを減らします。超過勤務が続くときは課内で当番を回し、代休の取得を上司と先に決めておきます。",
		[]string{"残業", "国会"}, nil},
	{"demo:leave", "伊藤（デモ）", "ワークライフバランス", "育児休業から復帰するときの準備（デモ）",
		"復帰の1か月前に上司と面談し、短時間勤務やテレワークの希望を伝えます。保育園の慣らし保育の期間も見込んでおきます。",
		[]string{"育休", "復帰"}, nil},
}

// seedTip creates a demo tip unless one with its key exists.
func seedTip(tx *store.Tx, dt demoTip) error {
	if _, err := tx.TipBySource(dt.key); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("seed tip %s: %w", dt.key, err)
	}
	author, err := tx.Users().ByKey(store.UserKey{Platform: bot.PlatformConsole, Workspace: demoWorkspace, PlatformID: dt.author})
	if err != nil {
		return fmt.Errorf("seed tip %s: author %s: %w", dt.key, dt.author, err)
	}
	t := store.Tip{Title: dt.title, Body: dt.body, Tags: dt.tags, Links: dt.links, Author: author.ID, Lang: "ja", Source: dt.key}
	if tp, err := tx.Topics().ByName(dt.topic); err == nil {
		t.TopicID = tp.ID
	}
	if _, err := tx.CreateTip(t); err != nil {
		return fmt.Errorf("seed tip %s: %w", dt.key, err)
	}
	return nil
}
