package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// auditActions lists the actions in the audit log, newest first.
func auditActions(e *testenv.Env) []string {
	e.T.Helper()
	es, err := storetest.Read(e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(100) })
	if err != nil {
		e.T.Fatalf("AuditLog: %v", err)
	}
	var out []string
	for _, a := range es {
		out = append(out, a.Action)
	}
	return out
}

func TestAdminCommandsRefuseNonAdmins(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan help")
	e.Cmd("山田", "/soudan help")
	topicsBefore, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	for _, line := range []string{
		"/soudan admin grant 山田 admin",
		"/soudan 管理 付与 山田 hr",
		"/soudan admin revoke admin admin",
		"/soudan admin topic add 新テーマ",
		"/soudan admin topic map #career その他",
		"/soudan admin topic list",
		"/soudan admin audit",
	} {
		turn := e.Cmd("山田", line)
		testenv.WantReply(t, turn, e.Refusal("ja", "error.forbidden"))
		if len(turn.Replies) != 1 {
			t.Errorf("%s: replies = %q, want only the refusal", line, testenv.ReplyTexts(turn))
		}
	}
	if got := e.Known("山田").Roles; len(got) != 0 {
		t.Errorf("山田 roles = %v, want none", got)
	}
	if got := e.Known("admin").Roles; !slices.Equal(got, []string{store.RoleAdmin}) {
		t.Errorf("admin roles = %v, want [admin]", got)
	}
	if topics, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() }); len(topics) != len(topicsBefore) || len(topics[0].Channels) != 0 {
		t.Errorf("topics = %+v, want unchanged %+v", topics, topicsBefore)
	}
	if got := auditActions(e); len(got) != 0 {
		t.Errorf("audit = %v, want empty", got)
	}
}

func TestAdminGrantAndRevoke(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan help")
	e.Cmd("山田", "/soudan help")
	e.Cmd("U777", "/soudan help")
	yamada, u777 := e.Known("山田"), e.Known("U777")
	who := func(u store.User) string { return fmt.Sprintf("%s（#%d）", u.Name, u.ID) }
	mustDepartment(t, e, "総務課")

	for _, tc := range []struct {
		line, want string
		user       store.User
		role       string
		on         bool
	}{
		{"/soudan admin grant 山田 manager 総務課", e.Kit.TL("ja", "admin.role.granted_manager", "User", who(yamada), "Departments", "総務課", "Manages", "総務課"), yamada, "manager", true},
		{"/soudan admin grant @U777 ＨＲ", e.Kit.TL("ja", "admin.role.granted", "User", who(u777), "Role", "人事担当（hr）"), u777, "hr", true},
		{"/soudan admin 付与 @山田 hr", e.Kit.TL("ja", "admin.role.granted", "User", who(yamada), "Role", "人事担当（hr）"), yamada, "hr", true},
		{fmt.Sprintf("/soudan admin grant #%d admin", yamada.ID), e.Kit.TL("ja", "admin.role.granted", "User", who(yamada), "Role", "管理者（admin）"), yamada, "admin", true},
		{"/soudan admin grant 山田 admin", e.Kit.TL("ja", "admin.role.already", "User", who(yamada), "Role", "管理者（admin）"), yamada, "admin", true},
		{"/soudan admin revoke 山田 manager", e.Kit.TL("ja", "admin.role.revoked_manager_all", "User", who(yamada), "Departments", "総務課"), yamada, "manager", false},
		{"/soudan admin 剥奪 山田 manager", e.Kit.TL("ja", "admin.role.not_held_manager", "User", who(yamada)), yamada, "manager", false},
	} {
		testenv.WantReply(t, e.Cmd("admin", tc.line), tc.want)
		if got := e.Known(tc.user.PlatformID).HasRole(tc.role); got != tc.on {
			t.Errorf("after %q: %s has %s = %v, want %v", tc.line, tc.user.Name, tc.role, got, tc.on)
		}
	}
	if got, want := auditActions(e), []string{"revoke", "grant", "grant", "grant", "grant"}; !slices.Equal(got, want) {
		t.Errorf("audit actions = %v, want %v (no entry for a no-op)", got, want)
	}
	// A mentioned user the bot has not met yet is created by a grant.
	e.Cmd("admin", "/soudan admin grant @U555 manager 総務課")
	if got := e.Known("U555"); !got.HasRole(store.RoleManager) {
		t.Errorf("U555 = %+v, want a new user with manager", got)
	}
}

func TestAdminGrantRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan help")
	e.Cmd("山田", "/soudan help")
	// Two people called 佐藤 on the platform.
	e.Do(namedCommand(t, "U1", "佐藤"))
	e.Do(namedCommand(t, "U2", "佐藤"))
	s1, s2 := e.Known("U1"), e.Known("U2")
	for _, tc := range []struct{ line, want string }{
		{"/soudan admin grant 山田", e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.grant"))},
		{"/soudan admin grant 山田 boss", e.Refusal("ja", "admin.error.bad_role", "Role", "boss", "Roles", "admin, manager, hr")},
		{"/soudan admin grant 鈴木 hr", e.Refusal("ja", "admin.error.user_not_found", "User", "鈴木")},
		{"/soudan admin revoke @U999 hr", e.Refusal("ja", "admin.error.user_not_found", "User", "<@U999>")},
		{"/soudan admin grant #999 hr", e.Refusal("ja", "admin.error.user_not_found", "User", "#999")},
		{"/soudan admin grant 佐藤 hr", e.Refusal("ja", "admin.error.ambiguous_user", "User", "佐藤", "IDs", fmt.Sprintf("#%d, #%d", s1.ID, s2.ID))},
		{"/soudan admin revoke admin admin", e.Refusal("ja", "admin.error.last_admin")},
		{"/soudan admin grant", e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.grant"))},
	} {
		testenv.WantReply(t, e.Cmd("admin", tc.line), tc.want)
	}
	for _, name := range []string{"山田", "U1", "U2"} {
		if got := e.Known(name).Roles; len(got) != 0 {
			t.Errorf("%s roles = %v, want none", name, got)
		}
	}
	if !e.Known("admin").HasRole(store.RoleAdmin) {
		t.Error("the last admin lost the admin role")
	}
	if got := auditActions(e); len(got) != 0 {
		t.Errorf("audit = %v, want empty after refusals", got)
	}
	// With a second admin, the first may step down; then the second is last.
	e.Cmd("admin", "/soudan admin grant 山田 admin")
	testenv.WantReply(t, e.Cmd("山田", "/soudan admin revoke admin admin"), e.Kit.TL("ja", "admin.role.revoked", "User", fmt.Sprintf("admin（#%d）", e.Known("admin").ID), "Role", "管理者（admin）"))
	testenv.WantReply(t, e.Cmd("山田", "/soudan admin revoke 山田 admin"), e.Refusal("ja", "admin.error.last_admin"))
}

// mustDepartment adds a department to the list.
func mustDepartment(t *testing.T, e *testenv.Env, name string, aliases ...string) {
	t.Helper()
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.Departments().Create(store.Department{Name: name, Aliases: aliases})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAdminGrantManagerDepartments: a manager manages named departments,
// several at once (a 部長 over two 課); a grant without one is refused, the
// replies name the departments, an alias gives the canonical name, and
// revoking removes one department or, with none named, all of them.
func TestAdminGrantManagerDepartments(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	e.Cmd("admin", "/soudan help")
	e.Cmd("山田", "/soudan help")
	yamada := e.Known("山田")
	who := fmt.Sprintf("%s（#%d）", yamada.Name, yamada.ID)
	mustDepartment(t, e, "総務課", "総務")
	mustDepartment(t, e, "人事課")
	mustDepartment(t, e, "会計課")
	manages := func(want ...string) {
		t.Helper()
		u := e.Known("山田")
		if !slices.Equal(u.ManagerOf, want) || u.HasRole(store.RoleManager) != (len(want) > 0) {
			t.Errorf("山田: roles %v, manager_of %q; want manager of %q", u.Roles, u.ManagerOf, want)
		}
	}
	for _, c := range []struct {
		line, want string
		manages    []string
	}{
		{"/soudan admin grant 山田 manager", e.Refusal("ja", "admin.error.manager_needs_department", "User", "山田"), nil},
		{"/soudan admin grant 山田 manager 営業課", e.Refusal("ja", "admin.error.no_department", "Name", "営業課"), nil},
		{"/soudan admin grant 山田 manager 総務", e.Kit.TL("ja", "admin.role.granted_manager", "User", who, "Departments", "総務課", "Manages", "総務課"), []string{"総務課"}},
		{"/soudan admin grant 山田 manager 人事課 会計課", e.Kit.TL("ja", "admin.role.granted_manager", "User", who, "Departments", "人事課、会計課", "Manages", "総務課、人事課、会計課"), []string{"総務課", "人事課", "会計課"}},
		{"/soudan admin grant 山田 manager", e.Kit.TL("ja", "admin.role.already_manager", "User", who, "Manages", "総務課、人事課、会計課"), []string{"総務課", "人事課", "会計課"}},
		{"/soudan admin grant 山田 manager 総務課", e.Kit.TL("ja", "admin.role.already_manager", "User", who, "Manages", "総務課、人事課、会計課"), []string{"総務課", "人事課", "会計課"}},
		{"/soudan admin revoke 山田 manager 人事課", e.Kit.TL("ja", "admin.role.revoked_manager", "User", who, "Departments", "人事課", "Manages", "総務課、会計課"), []string{"総務課", "会計課"}},
		{"/soudan admin revoke 山田 manager 人事課", e.Refusal("ja", "admin.error.not_manager_of", "User", "山田", "Department", "人事課", "Manages", "総務課, 会計課"), []string{"総務課", "会計課"}},
		{"/soudan admin revoke 山田 manager", e.Kit.TL("ja", "admin.role.revoked_manager_all", "User", who, "Departments", "総務課、会計課"), nil},
		{"/soudan admin grant 山田 manager 会計課,総務課", e.Kit.TL("ja", "admin.role.granted_manager", "User", who, "Departments", "会計課、総務課", "Manages", "会計課、総務課"), []string{"会計課", "総務課"}},
		{"/soudan admin revoke 山田 manager 会計課、総務", e.Kit.TL("ja", "admin.role.revoked_manager_all", "User", who, "Departments", "会計課、総務課"), nil},
	} {
		testenv.WantReply(t, e.Cmd("admin", c.line), c.want)
		manages(c.manages...)
	}
	// The English reply names them too.
	e.Cmd("admin", "/soudan admin grant 山田 manager 人事課")
	en := e.Kit.TL("en", "admin.role.granted_manager", "User", "x", "Departments", "人事課", "Manages", "人事課")
	if !strings.Contains(en, "department manager (manager) of 人事課") {
		t.Errorf("English confirmation = %q, want it to name the department", en)
	}
}

// namedCommand is a first message from platform user id with a display name.
func namedCommand(t *testing.T, id, name string) *bot.Message {
	t.Helper()
	m := bottest.Command(id, "/soudan help")
	m.User.Name = name
	return m
}

func TestAdminAuditListsEntriesInLocalTime(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin audit"), e.Kit.TL("ja", "admin.audit.empty"))
	e.Cmd("山田", "/soudan help")
	e.Cmd("admin", "/soudan admin grant 山田 hr")
	e.Cmd("admin", "/soudan admin topic add キャリア career")
	e.Cmd("admin", "/soudan admin topic map #career キャリア")

	turn := e.Cmd("admin", "/soudan admin 監査")
	if len(turn.Replies) != 1 {
		t.Fatalf("replies = %q, want one", testenv.ReplyTexts(turn))
	}
	r := turn.Replies[0]
	if want := e.Kit.TL("ja", "admin.audit.title", "Count", 3); r.Title != want {
		t.Errorf("title = %q, want %q", r.Title, want)
	}
	lines := strings.Split(r.Text, "\n")
	admin := fmt.Sprintf("admin（#%d）", e.Known("admin").ID)
	want := []string{
		"2026-05-11 10:00　" + admin + "　チャンネル割り当て: #career → キャリア",
		"2026-05-11 10:00　" + admin + "　テーマ追加: キャリア [career]",
		fmt.Sprintf("2026-05-11 10:00　%s　権限付与: 山田 (#%d test/山田): hr", admin, e.Known("山田").ID),
	}
	if !slices.Equal(lines, want) {
		t.Errorf("audit lines =\n%s\nwant\n%s", r.Text, strings.Join(want, "\n"))
	}
}

// Two admins revoking each other at the same moment leave one admin: the
// last-admin check and the change are one unit of work.
func TestRevokeEachOtherAtOnceKeepsAnAdmin(t *testing.T) {
	t.Parallel()
	for round := range 10 {
		e := newAdminEnv(t)
		e.User("山田")
		e.OK(bottest.Command("admin", "/soudan admin grant 山田 admin"))
		var wg sync.WaitGroup
		for _, c := range [][2]string{{"admin", "/soudan admin revoke 山田 admin"}, {"山田", "/soudan admin revoke admin admin"}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e.Ad.Do(context.Background(), e.Router, bottest.Command(c[0], c[1]))
			}()
		}
		wg.Wait()
		admins := storetest.View(t, e.St, func(tx *store.Tx) ([]store.User, error) { return tx.Users().WithRole(store.RoleAdmin) })
		if len(admins) != 1 {
			t.Fatalf("round %d: %d admins after both revoked each other, want 1", round, len(admins))
		}
		if got := auditActions(e); len(got) != 2 {
			t.Fatalf("round %d: audit = %v, want the grant and one revoke", round, got)
		}
	}
}
