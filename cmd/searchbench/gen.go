package main

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// generator makes tips and queries from a vocabulary: the built-in
// synonym dictionary's words (the domain's terms, Japanese and English)
// and extra everyday words, drawn with a Zipf-like skew so that some
// words are common and most are rare, as in real text.
type generator struct {
	rng   *rand.Rand
	ja    []string
	en    []string
	zipfJ *rand.Zipf
	zipfE *rand.Zipf
}

var particles = []string{"の", "を", "に", "で", "と", "は", "が", "から", "について", "として"}

var extraJA = strings.Fields(`確認 対応 方法 手順 注意 提出 連絡 相談 準備 設定 変更 登録 更新 管理 作成 利用 担当 必要 期間 場合
予定 結果 報告 資料 説明 調整 検討 依頼 承認 記録 整理 共有 参加 開催 案内 実施 実績 計画 目標 課題 改善 効率 業務 職員 課長
係長 部長 本人 家族 自宅 庁舎 窓口 電話 書類 様式 内容 理由 条件 基準 規程 制度 年度 月末 翌月 前日 当日 毎年 一覧 番号 氏名`)

var extraEN = strings.Fields(`check submit report request approve update register manage create share plan review prepare contact
deadline form office staff manager team schedule record result policy rule process system support question answer month year`)

func newGenerator(rng *rand.Rand) *generator {
	g := &generator{rng: rng}
	seen := map[string]bool{}
	for _, grp := range text.BuiltinSynonyms() {
		for _, w := range grp {
			if seen[w] {
				continue
			}
			seen[w] = true
			if r := []rune(w)[0]; r < 0x80 {
				g.en = append(g.en, w)
			} else {
				g.ja = append(g.ja, w)
			}
		}
	}
	g.ja = append(g.ja, extraJA...)
	g.en = append(g.en, extraEN...)
	// Shuffle so that the common words are not all of one group.
	rng.Shuffle(len(g.ja), func(i, j int) { g.ja[i], g.ja[j] = g.ja[j], g.ja[i] })
	rng.Shuffle(len(g.en), func(i, j int) { g.en[i], g.en[j] = g.en[j], g.en[i] })
	g.zipfJ = rand.NewZipf(rng, 1.1, 2, uint64(len(g.ja)-1))
	g.zipfE = rand.NewZipf(rng, 1.1, 2, uint64(len(g.en)-1))
	return g
}

// tip makes one tip: Japanese (three in four) or English, a title of 2-4
// words and a body of 15-45.
func (g *generator) tip() store.Tip {
	en := g.rng.IntN(4) == 0
	t := store.Tip{Title: g.sentence(en, 2+g.rng.IntN(3)), Body: g.sentence(en, 15+g.rng.IntN(31)), Author: 1, Lang: "ja"}
	if en {
		t.Lang = "en"
	}
	if g.rng.IntN(2) == 0 {
		t.Tags = []string{g.word(en)}
	}
	return t
}

// query makes a search: 1-3 words, mostly Japanese.
func (g *generator) query() string {
	en := g.rng.IntN(4) == 0
	var ws []string
	for range 1 + g.rng.IntN(3) {
		ws = append(ws, g.word(en))
	}
	return strings.Join(ws, " ")
}

func (g *generator) word(en bool) string {
	if en {
		return g.en[g.zipfE.Uint64()]
	}
	return g.ja[g.zipfJ.Uint64()]
}

// sentence joins n words as running text: Japanese with particles and
// punctuation and no spaces, English with spaces.
func (g *generator) sentence(en bool, n int) string {
	var b strings.Builder
	for i := range n {
		if en {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(g.word(true))
			continue
		}
		b.WriteString(g.word(false))
		if i < n-1 {
			b.WriteString(particles[int(math.Abs(g.rng.NormFloat64()*3))%len(particles)])
		}
		if i%7 == 6 {
			b.WriteString("。")
		}
	}
	return b.String()
}
