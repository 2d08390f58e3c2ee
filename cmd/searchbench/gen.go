package main

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// generator makes tips and queries from a vocabulary of content words
// like that of real text: the built-in synonym dictionary's words (the
// domain's terms, Japanese and English, so that searches expand into
// synonyms), extra everyday words, and made-up words for the long tail
// of a real vocabulary (two common kanji: 予定 管理 ..., katakana
// loanwords, latin words), 20,000 words in all. Words are drawn by Zipf's
// law over the shuffled vocabulary, its head flattened (Zipf's v = 50)
// the way content words are once the function words (particles, which the
// generator puts between words, and stop words, both left out of the
// index) are set aside: the most common word is in about one tip in ten,
// as 申請 or 確認 might be, and most words are rare. -dense draws from the
// dictionary words alone, unflattened, so that the most common words are
// in nearly every tip and every search expands into synonyms: a far
// harsher load than real text.
type generator struct {
	rng   *rand.Rand
	ja    []string
	en    []string
	zipfJ *rand.Zipf
	zipfE *rand.Zipf
	v     float64
}

var particles = []string{"の", "を", "に", "で", "と", "は", "が", "から", "について", "として"}

var extraJA = strings.Fields(`確認 対応 方法 手順 注意 提出 連絡 相談 準備 設定 変更 登録 更新 管理 作成 利用 担当 必要 期間 場合
予定 結果 報告 資料 説明 調整 検討 依頼 承認 記録 整理 共有 参加 開催 案内 実施 実績 計画 目標 課題 改善 効率 業務 職員 課長
係長 部長 本人 家族 自宅 庁舎 窓口 電話 書類 様式 内容 理由 条件 基準 規程 制度 年度 月末 翌月 前日 当日 毎年 一覧 番号 氏名`)

var extraEN = strings.Fields(`check submit report request approve update register manage create share plan review prepare contact
deadline form office staff manager team schedule record result policy rule process system support question answer month year`)

func newGenerator(rng *rand.Rand, dense bool) *generator {
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
	v := 50.0
	if dense {
		v = 2
	} else {
		g.ja = madeUp(g.ja, 16000, rng, false)
		g.en = madeUp(g.en, 4000, rng, true)
	}
	// Shuffle so that the common words are not all of one group.
	rng.Shuffle(len(g.ja), func(i, j int) { g.ja[i], g.ja[j] = g.ja[j], g.ja[i] })
	rng.Shuffle(len(g.en), func(i, j int) { g.en[i], g.en[j] = g.en[j], g.en[i] })
	g.v = v
	g.reseed(rng)
	return g
}

// kanji are common kanji; kana and syllables make loanwords and latin
// words.
var (
	kanji     = []rune("人事課長係員務職場業務会議資料作成提出確認申請承認予算決算契約調達文書管理規程制度手当給与休暇勤務時間研修評価面談異動赴任出張旅費精算住宅家族子育介護健康医療保険年金税金通勤交通電話郵便窓口相談対応報告連絡調整検討計画目標実施結果記録整理共有参加開催案内説明依頼期限締切変更登録更新削除設定利用方法手順注意必要場合内容理由条件基準番号氏名住所国内海外本省地方機関公館大使領事外交経済産業環境教育文化科学技術情報通信安全防災警察消防農林水産厚生労働財務法令政策")
	katakana  = []rune("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワンガギグゲゴザジズゼゾダデドバビブベボパピプペポー")
	syllables = strings.Fields("ka ri to mo na se lu pe ti ro van der con pro ex in al tor ment able sys net data ware form")
)

// madeUp returns words with made-up ones added, up to n in all: two
// kanji, or three to six katakana (latin: two to four syllables).
func madeUp(words []string, n int, rng *rand.Rand, latin bool) []string {
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	for len(words) < n {
		var b strings.Builder
		switch {
		case latin:
			for range 2 + rng.IntN(3) {
				b.WriteString(syllables[rng.IntN(len(syllables))])
			}
		case rng.IntN(4) == 0:
			for range 3 + rng.IntN(4) {
				b.WriteRune(katakana[rng.IntN(len(katakana))])
			}
		default:
			b.WriteRune(kanji[rng.IntN(len(kanji))])
			b.WriteRune(kanji[rng.IntN(len(kanji))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// tip makes one tip: Japanese (three in four) or English, a title of 2-4
// words and a body of 15-45.
func (g *generator) tip() store.Tip {
	en := g.rng.IntN(4) == 0
	title := []rune(g.sentence(en, 2+g.rng.IntN(3)))
	t := store.Tip{Title: string(title[:min(len(title), 100)]), Body: g.sentence(en, 15+g.rng.IntN(31)), Author: 1, Lang: "ja"}
	if en {
		t.Lang = "en"
	}
	if tag := []rune(g.word(en)); g.rng.IntN(2) == 0 {
		t.Tags = []string{string(tag[:min(len(tag), 50)])}
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

// reseed draws from rng from now on, over the same vocabulary.
func (g *generator) reseed(rng *rand.Rand) {
	g.rng = rng
	g.zipfJ = rand.NewZipf(rng, 1.05, g.v, uint64(len(g.ja)-1))
	g.zipfE = rand.NewZipf(rng, 1.05, g.v, uint64(len(g.en)-1))
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
