package survey

import (
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// newSurveyEnv is the survey feature alone on a real router and bbolt
// file; "admin" is an admin from the first message.
func newSurveyEnv(t *testing.T) *testenv.Env {
	t.Helper()
	e := testenv.New(t, testenv.Options{})
	e.Register(New(e.Kit, Options{}))
	return e
}

// withDepartment sets a user's free-text department.
func withDepartment(t *testing.T, e *testenv.Env, name, dept string) store.User {
	t.Helper()
	uid := e.User(name).ID
	u := storetest.Update(t, e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Department = dept; return nil })
	})
	return u
}

// auditActions are the actions of the latest audit entries, newest first.
func auditActions(t *testing.T, e *testenv.Env) []string {
	t.Helper()
	es := storetest.View(t, e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(20) })
	var out []string
	for _, x := range es {
		out = append(out, x.Action)
	}
	return out
}

func TestDepartmentAddListRenameMerge(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t)
	withDepartment(t, e, "佐藤", "総務 課")
	withDepartment(t, e, "鈴木", "ｿｳﾑｶ")
	withDepartment(t, e, "高橋", "人事課")
	withDepartment(t, e, "田中", "経理課")

	turn := e.OK(bottest.Command("admin", "/soudan admin department add 総務課 ソウムカ 総務"))
	testenv.WantReply(t, turn, "部署「総務課」を追加しました（別名: ソウムカ、総務）。")
	e.OK(bottest.Command("admin", "/soudan admin 部署 追加 人事課"))
	list := e.OK(bottest.Command("admin", "/soudan admin department list")).Text()
	for _, want := range []string{"部署（2件）", "総務課", "所属: 2人", "人事課", "所属: 1人"} {
		if !strings.Contains(list, want) {
			t.Errorf("list = %q, want %q in it", list, want)
		}
	}

	turn = e.OK(bottest.Command("admin", "/soudan admin department rename 人事課 人事企画課"))
	testenv.WantReply(t, turn, "部署「人事課」の名前を「人事企画課」に変えました（所属: 1人）。")
	if got := e.Known("高橋").Department; got != "人事企画課" {
		t.Errorf("after rename, 高橋's department = %q, want 人事企画課", got)
	}

	turn = e.OK(bottest.Command("admin", "/soudan admin department merge ｿｳﾑｶ 人事企画課"))
	if !strings.Contains(turn.Text(), "ソウムカ") && !strings.Contains(turn.Text(), "総務課") {
		t.Errorf("merge reply = %q", turn.Text())
	}
	e.Refused(bottest.Command("admin", "/soudan admin department merge ｿｳﾑｶ 人事企画課"))
	for _, name := range []string{"佐藤", "鈴木", "高橋"} {
		if got := e.Known(name).Department; got != "人事企画課" {
			t.Errorf("after merge, %s's department = %q, want 人事企画課", name, got)
		}
	}
	if got := e.Known("田中").Department; got != "経理課" {
		t.Errorf("a user of no listed department changed: %q", got)
	}
	list = e.OK(bottest.Command("admin", "/soudan admin department list")).Text()
	if !strings.Contains(list, "部署（1件）") || !strings.Contains(list, "所属: 3人") || !strings.Contains(list, "総務課") {
		t.Errorf("list after merge = %q, want 人事企画課 with 3 members and 総務課 among its aliases", list)
	}
	got := auditActions(t, e)
	want := []string{auditDeptMerge, auditDeptRename, auditDeptAdd, auditDeptAdd}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("audit = %v, want %v", got, want)
	}
}

func TestDepartmentRefusals(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t)
	e.OK(bottest.Command("admin", "/soudan admin department add 総務課"))
	e.OK(bottest.Command("admin", "/soudan admin department add 人事課"))
	for _, tc := range []struct {
		line, key string
		kv        []any
	}{
		{"add 総務・課", "survey.department.error.exists", []any{"Name", "総務・課", "Department", "総務課"}},
		{"add ＳＯＵＭＵ 総務課", "survey.department.error.exists", []any{"Name", "総務課", "Department", "総務課"}},
		{"add \u200b\u2060", "survey.department.error.no_name", nil},
		{"add ・", "survey.department.error.no_name", nil},
		{"add " + strings.Repeat("課", 51), "survey.department.error.too_long", []any{"Name", strings.Repeat("課", 51), "Max", 50}},
		{"rename 人事課 総務　課", "survey.department.error.exists", []any{"Name", "総務 課", "Department", "総務課"}},
		{"rename 人事課 \u200b", "survey.department.error.no_name", nil},
		{"rename 経理課 会計課", "survey.department.error.not_found", []any{"Name", "経理課"}},
		{"merge 総務課 総務 課", "admin.error.usage", []any{"Usage", e.Kit.TL("ja", "usage.admin.department.merge")}},
		{"merge 総務課 総務課", "survey.department.error.same", []any{"Name", "総務課"}},
	} {
		got := e.Refused(bottest.Command("admin", "/soudan admin department "+tc.line))
		if want := e.Refusal("ja", tc.key, tc.kv...); strings.TrimSpace(got) != want {
			t.Errorf("%s: got %q, want %q", tc.line, got, want)
		}
	}
	en := newSurveyEnv(t)
	if got, want := en.CmdEN("admin", "/soudan admin department add \u200b").Text(), en.Refusal("en", "survey.department.error.no_name"); strings.TrimSpace(got) != want {
		t.Errorf("English refusal = %q, want %q", got, want)
	}
	if ds, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Department, error) { return tx.Departments().All() }); len(ds) != 2 {
		t.Errorf("departments after refusals = %+v, want the 2 added", ds)
	}
	e.Refused(bottest.Command("佐藤", "/soudan admin department add 経理課"))
}

// TestSendToADepartmentAliasNamesItCanonically: dept=総務 (an alias)
// invites 総務課, and the confirmation and the round say 総務課.
func TestSendToADepartmentAliasNamesItCanonically(t *testing.T) {
	t.Parallel()
	e := newSurveyEnv(t)
	withDepartment(t, e, "佐藤", "総務課")
	withDepartment(t, e, "鈴木", "総務")
	withDepartment(t, e, "田中", "総務 課")
	withDepartment(t, e, "高橋", "人事課")
	e.OK(bottest.Command("admin", "/soudan admin department add 総務課 総務"))
	txt := e.OK(bottest.Command("admin", "/soudan survey send engagement dept=総務 k=3")).Text()
	if !strings.Contains(txt, "部署: 総務課") || !strings.Contains(txt, "3人") {
		t.Errorf("confirmation = %q, want 部署: 総務課 and 3 people", txt)
	}
}
