package search

import (
	"strings"

	"github.com/soudan/soudan/store/text"
)

// placeNames are longer names that shadow a word found inside them other
// than at their start (京都 inside 東京都): the prefectures.
var placeNames = strings.Fields(`北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県
埼玉県 千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県
三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県
香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県`)

// wordMatcher finds a query word in a field under the Matcher's rules,
// shadowed by the place names that hold it other than at their start. It
// is nil when the word's one index term says as much (a latin word, or a
// one-term Japanese word no place name shadows): having the term is
// finding the word.
func wordMatcher(a Alt) *text.Matcher {
	entries := []text.Entry{{ID: 1, Names: []string{a.Text}}}
	for _, p := range placeNames {
		if i := strings.Index(p, a.Text); i > 0 && p != a.Text {
			entries = append(entries, text.Entry{ID: 2, Names: []string{p}})
		}
	}
	if len(entries) == 1 && len(a.Tokens) == 1 && a.Tokens[0] == a.Text {
		return nil
	}
	return text.NewMatcher(entries)
}

// matchers returns the matcher of each alternative of words, by its text.
func matchers(words []Word) map[string]*text.Matcher {
	ms := map[string]*text.Matcher{}
	for _, w := range words {
		for _, a := range w.Alts {
			if _, ok := ms[a.Text]; !ok {
				ms[a.Text] = wordMatcher(a)
			}
		}
	}
	return ms
}

// found reports whether m finds its word in one of fields.
func found(m *text.Matcher, fields []text.Prepared) bool {
	for _, f := range fields {
		for _, hit := range m.MatchPrepared(f) {
			if hit.ID == 1 {
				return true
			}
		}
	}
	return false
}
