package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestConsoleSurveyRound plays the monthly survey through the whole bot in
// the console, as the "done when" says: a dozen people in three
// departments (会計課 with three), their managers and hr; send, answer
// (one answer changed), close, the managers' DMs, the reports and the
// export. 会計課 never appears with a figure, and cannot be computed from
// the others, across departments and tenure bands together: 総務課 is
// hidden with it (its people in years 1-2 would otherwise be the
// organisation minus 人事課 minus years 3-5), and so are the bands.
func TestConsoleSurveyRound(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "survey.db")
	depts := []struct {
		name   string
		people []string
		enps   int
	}{
		{"総務課", []string{"佐藤", "鈴木", "高橋", "田中", "伊藤"}, 9},
		{"人事課", []string{"渡辺", "山本", "中村", "小林", "清水"}, 7},
		{"会計課", []string{"加藤", "吉田", "山田"}, 0},
	}
	lines := []string{":as admin", "/soudan admin department add 総務課", "/soudan admin department add 人事課", "/soudan admin department add 会計課"}
	i := 0
	for _, d := range depts {
		for _, p := range d.people {
			// Join years 2026 back to 2019: all up to their 8th year.
			lines = append(lines, ":as "+p, "/soudan profile", fmt.Sprintf(":submit department=%s join_year=%d language=ja", d.name, 2026-i%8))
			i++
		}
	}
	lines = append(lines, ":as 部長A", "/soudan help", ":as 部長B", "/soudan help", ":as 人事C", "/soudan help",
		":as admin", "/soudan admin grant 部長A manager 総務課", "/soudan admin grant 部長B manager 会計課", "/soudan admin grant 人事C hr",
		"/soudan survey send engagement", ":press 1")
	for _, d := range depts {
		for _, p := range d.people {
			lines = append(lines, ":as "+p, ":press 1", fmt.Sprintf(":submit recommend=%d meaning=4 growth=4 support=4 health=3 ease=4 comment=%sの声", d.enps, p))
		}
	}
	lines = append(lines, ":as 佐藤", ":press 1", ":submit recommend=3 meaning=2 growth=2 support=2 health=2 ease=2",
		":as admin", "/soudan survey status", "/soudan survey close engagement",
		":as 部長A", "/soudan survey report engagement",
		":as 加藤", "/soudan survey report engagement",
		":as admin", "/soudan survey report engagement", "/soudan survey export engagement")
	out := session(t, db, strings.Join(lines, "\n")+"\n", "-console-user", "admin")
	wantContains(t, "output", out,
		"「毎月のエンゲージメント調査」", // the confirmation
		"13人",             // 13 people up to their 8th year
		"回答を更新しました。",      // 佐藤 changed the answer
		"回答 13/13人（100%）", // status
		"会計課: 非表示（回答者が少ないか、少人数の集団を他の数値から逆算できないように隠しています）", // too small
		"総務課: 非表示（回答者が少ないか、少人数の集団を他の数値から逆算できないように隠しています）", // hidden against differencing
		"人事課: 回答 5/5人（100%）",
		"回 #1 を締め切りました（回答 13/13人）",
		"[→ DM 部長A]", "[→ DM 部長B]", "[→ DM 人事C]",
		"⚠️ アンケートの結果を見られるのは", // 加藤 has no report
		"自由記述（全体・13件・順不同",
		"organisation,,recommend", // the export
	)
	// 人事課: 7 x5 -> passives 100%: 0; 総務課's +60 appears nowhere.
	if !strings.Contains(out, "eNPS 0（推奨 0% / 中立 100% / 批判 0%") || strings.Contains(out, "eNPS +60") {
		t.Errorf("人事課's eNPS ±0 missing, or 総務課's +60 shown:\n%s", out)
	}
	// 会計課 answered 0: an eNPS of -100 and averages of its own must
	// appear nowhere; every export row of it says "too few".
	if strings.Contains(out, "-100") {
		t.Errorf("会計課's eNPS reached the output:\n%s", out)
	}
	for _, line := range regexp.MustCompile(`(?m)^.*(会計課|総務課),.*$`).FindAllString(out, -1) {
		if strings.Contains(line, "department,") && !strings.Contains(line, "too few") {
			t.Errorf("export row shows a small department: %q", line)
		}
	}
	// Managers get their department and the organisation, nothing else.
	mgrA := out[strings.LastIndex(out, "[→ DM 部長A]"):]
	mgrA = mgrA[:strings.Index(mgrA[1:], "\n[")+1]
	if !strings.Contains(mgrA, "総務課") || strings.Contains(mgrA, "人事課") || strings.Contains(mgrA, "会計課") || strings.Contains(mgrA, "の声") {
		t.Errorf("部長A's DM:\n%s", mgrA)
	}
}
