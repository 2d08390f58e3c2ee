package text

import (
	"fmt"
	"strings"
	"testing"
)

// benchTopics are 50 topics with aliases, Japanese and English.
func benchTopics() []Entry {
	base := []Entry{
		{Names: []string{"IT・Teams", "パソコン", "PC", "VPN"}},
		{Names: []string{"キャリア", "キャリアパス", "career", "異動"}},
		{Names: []string{"人間関係", "上司", "同僚"}},
		{Names: []string{"大使館／在外公館", "embassy"}},
		{Names: []string{"住居", "住まい", "housing"}},
		{Names: []string{"給与・手当", "salary", "allowance"}},
		{Names: []string{"健康", "メンタルヘルス", "health"}},
		{Names: []string{"語学", "英語", "language"}},
		{Names: []string{"子育て", "子ども", "school"}},
		{Names: []string{"休暇", "有給", "leave"}},
	}
	var out []Entry
	for i := range 50 {
		e := base[i%len(base)]
		names := make([]string, len(e.Names))
		for j, n := range e.Names {
			names[j] = fmt.Sprintf("%s%d", n, i/len(base))
			if i < len(base) {
				names[j] = n
			}
		}
		out = append(out, Entry{ID: uint64(i + 1), Names: names})
	}
	return out
}

func BenchmarkMatch(b *testing.B) {
	m := NewMatcher(benchTopics())
	q := strings.Repeat("来月から在外公館に赴任するのですが、Teamsで画面共有ができず、上司にも相談しにくいです。", 5)
	q = string([]rune(q)[:200])
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := m.Best(q); !ok {
			b.Fatal("Best: got no match, want one")
		}
	}
}

func BenchmarkMatchEnglish(b *testing.B) {
	m := NewMatcher(benchTopics())
	q := strings.Repeat("Is it normal to feel lost after a transfer to the embassy? My PC cannot join Teams. ", 3)[:200]
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := m.Best(q); !ok {
			b.Fatal("Best: got no match, want one")
		}
	}
}

func BenchmarkTokens(b *testing.B) {
	q := strings.Repeat("来月から在外公館に赴任するのですが、Teamsで画面共有ができません。", 4)
	b.ReportAllocs()
	for b.Loop() {
		Tokens(q)
	}
}
