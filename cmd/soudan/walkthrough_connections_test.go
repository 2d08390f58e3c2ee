package main

import (
	"strings"
	"testing"
)

// TestConnectionsWalkthrough plays docs/connections.md's walkthrough,
// testdata/walkthrough-connections.txt, on a fresh data file as a new
// user would: profiles and coffee join, a pause, a preview that sends
// nothing, a run with one introduction per person, a check-in answered,
// a mentor term proposed and approved, 1on1s logged (one meeting logged
// by both counts once), and the quarter's figures per department under
// the k rule.
func TestConnectionsWalkthrough(t *testing.T) {
	consoleStores(t, func(t *testing.T, db string) {
		out := session(t, db, readScript(t, "walkthrough-connections.txt"))
		wantContains(t, "the transcript", out,
			"☕ コーヒーに参加しました",
			"2026-12-31 まで休止します",
			"🔍 プレビュー（保存も送信もしません）: 部局横断コーヒー 第1回",
			"・山本: お休み（休止中）",
			"部署横断: 守れた 3組・緩和 0組・守れず 0組",
			"非公開の「組まない」希望はすべて守られています。",
			"✅ 部局横断コーヒー 第1回を実行しました: 3組（対象 7人、グループなし・お休み 1人）",
			"■ ☕ 部局横断コーヒー 第1回: 今回のメンバー",
			"その後いかがですか？",
			"「会えた」を記録しました",
			"予定があることを記録しました",
			"新人メンター: メンター候補を1件提案しました",
			"・新人 小林（総務課 · 2026年入職 · 日本語）← メンター 中村（人事課 · 2005年入職 · 海外",
			"メンター期間 #1 を承認しました",
			"あなたのメンターは 中村さん",
			"新人 小林さん（総務課 · 2026年入職 · 日本語）のメンターをお願いします",
			"1on1を記録しました: 田中 × 高橋（2026-11-20、2026-Q4）",
			"の1on1は記録済みです（1回と数えます）",
			"📊 つながりの集計 2026-Q4（3人未満の部署は非表示）",
			"・全体: 1on1 2件、グループ 3組（会えた 1組）、メンターは非表示（新人3人未満、または差し引きで分かるため）",
			"・総務課: 1on1 1件、グループ 2組（会えた 1組）、メンターは非表示（新人3人未満、または差し引きで分かるため）",
			"・経理課: 1on1 0件、グループ 3組",
			"つながり 2026-Q4（5人未満の部署は非表示）:\n  ・全体: 1on1 2件、グループ 3組（会えた 1組）、メンターは非表示（新人5人未満、または差し引きで分かるため）\n  ・人事課: 非表示",
		)
		if strings.Contains(out, "⚠️") {
			t.Errorf("a step of the walkthrough was refused:\n%s", out)
		}
		// Each of the seven who take part gets exactly one introduction; 山本
		// (paused) none.
		intros := map[string]int{}
		for _, b := range blocks(out) {
			if strings.HasPrefix(b.header, "[→ DM ") && strings.Contains(b.body, "今回のメンバー") {
				name, _, _ := strings.Cut(strings.TrimPrefix(b.header, "[→ DM "), "]")
				intros[name]++
			}
		}
		for _, name := range []string{"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "木村"} {
			if intros[name] != 1 {
				t.Errorf("%s got %d introductions, want 1", name, intros[name])
			}
		}
		if intros["山本"] != 0 {
			t.Errorf("山本 was introduced while paused")
		}
	})
}
