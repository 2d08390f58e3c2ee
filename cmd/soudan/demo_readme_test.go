package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoPlaysTheREADMEExamples: what the README tells a newcomer to try
// on the demo works as written: 「VPN がつながりません」 in a DM reaches the IT
// mentor with the VPN tip, a question no topic matches still reaches a
// mentor (その他 has one), `/soudan mentors telework` finds the mentor
// whose career says 在宅勤務, `/soudan tip search 在宅勤務` and
// `/soudan tip links` find tips, and `/soudan survey send engagement`
// finds people to ask (the default audience: up to the 8th year).
func TestDemoPlaysTheREADMEExamples(t *testing.T) {
	t.Parallel()
	out := session(t, filepath.Join(t.TempDir(), "demo.db"), strings.Join([]string{
		"VPN がつながりません",
		"/soudan mentors telework",
		"/soudan tip search 在宅勤務",
		"/soudan tip links",
		"どうしたらいいか分かりません",
		"/soudan survey send engagement",
	}, "\n")+"\n", "-demo")
	for _, want := range []string{
		"相談 #1（IT・Teams）を受け付けました。高橋（デモ）さんに連絡しました。",
		"VPN につながらないとき（デモ）",
		"[→ DM 高橋（デモ）]",
		"「telework」に合うメンターは 1 人です。",
		"「在宅勤務」の検索結果",
		"リンク集",
		"相談 #2（その他）を受け付けました。佐藤（デモ）さんに連絡しました。",
		"人数: 2人",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo's transcript lacks %q:\n%s", want, out)
		}
	}
}
