package admin

import (
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// forgetEnv is the admin feature with a forgetter that records whom it
// was asked to forget, as a survey feature's would.
func forgetEnv(t *testing.T) (*testenv.Env, *[]string) {
	t.Helper()
	var forgot []string
	e := testenv.New(t, testenv.Options{Now: adminNow})
	e.Register(NewWith(e.Kit, Options{Forgetters: []Forgetter{{Name: "survey", Forget: func(tx *store.Tx, u store.User) (int, error) {
		// Recorded when the forget commits: a transaction's function may
		// run more than once (SOUDAN_TEST_RETRY=1 runs each twice).
		tx.OnCommit(func() { forgot = append(forgot, u.PlatformID) })
		return 2, nil
	}}}}))
	e.DefaultTopic()
	return e, &forgot
}

func TestForgetAsksThenForgets(t *testing.T) {
	t.Parallel()
	e, forgot := forgetEnv(t)
	e.Cmd("admin", "/soudan help")
	tanaka := e.Mentor("田中", "その他")
	if err := e.St.Update(func(tx *store.Tx) error {
		_, err := tx.CreateTip(store.Tip{Title: "引継ぎのこつ", Author: tanaka.ID})
		return err
	}); err != nil {
		t.Fatal(err)
	}

	// Not an admin: refused, nothing changes.
	e.Cmd("山田", "/soudan help")
	testenv.WantReply(t, e.Cmd("山田", "/soudan admin forget 田中"), e.Refusal("ja", "error.forbidden"))
	// Bad input: usage, unknown user.
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin forget"), e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.forget")))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin forget 誰か"), e.Refusal("ja", "admin.error.user_not_found", "User", "誰か"))

	// Asks first: a confirmation with buttons, nothing changed.
	turn := e.Cmd("admin", "/soudan admin 忘却 田中")
	if len(turn.Replies) != 1 || len(turn.Replies[0].Buttons) != 2 || turn.Replies[0].Buttons[0].ID != actionForgetConfirm {
		t.Fatalf("forget without --yes: replies %+v; want a confirmation with buttons", turn.Replies)
	}
	value := turn.Replies[0].Buttons[0].Value
	if u := e.Known("田中"); u.Deleted || len(*forgot) != 0 || slices.Contains(auditActions(e), auditForget) {
		t.Fatalf("the confirmation changed something: %+v, forgot %v", u, *forgot)
	}
	// The button pressed by someone else is refused.
	testenv.WantReply(t, e.Press("山田", actionForgetConfirm, value), e.Refusal("ja", "error.forbidden"))
	testenv.WantReply(t, e.Press("admin", actionForgetCancel, value), e.Kit.TL("ja", "admin.forget.cancelled"))

	testenv.WantReply(t, e.Press("admin", actionForgetConfirm, value), e.Kit.TL("ja", "admin.forget.done", "ID", tanaka.ID, "Consultations", 0, "Tips", 1, "Other", 2, "Unsent", 0))
	u, err := storetest.Read(e.St, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(tanaka.ID) })
	if err != nil || !u.Deleted || u.Name != store.DeletedUserName {
		t.Errorf("user after forget: %+v, %v", u, err)
	}
	if !slices.Equal(*forgot, []string{"田中"}) {
		t.Errorf("forgetters called for %v; want [田中]", *forgot)
	}
	es, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(1) })
	if len(es) != 1 || es[0].Action != auditForget || strings.Contains(es[0].Detail, "田中") || !strings.HasPrefix(es[0].Detail, "#") {
		t.Errorf("audit entry: %+v; want forget by id only", es)
	}
	// Pressed again: already forgotten, no second audit entry.
	testenv.WantReply(t, e.Press("admin", actionForgetConfirm, value), e.Refusal("ja", "admin.forget.already", "ID", tanaka.ID))
	if n := len(slices.DeleteFunc(auditActions(e), func(a string) bool { return a != auditForget })); n != 1 {
		t.Errorf("forget audited %d times; want 1", n)
	}
}

func TestForgetYesAndLastAdmin(t *testing.T) {
	t.Parallel()
	e, forgot := forgetEnv(t)
	e.Cmd("admin", "/soudan help")
	e.User("鈴木")
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin forget 鈴木 --yes"), e.Kit.TL("ja", "admin.forget.done", "ID", e.Known("admin").ID+1, "Consultations", 0, "Tips", 0, "Other", 2, "Unsent", 0))
	if len(*forgot) != 1 {
		t.Errorf("forgetters: %v", *forgot)
	}
	// The last admin stays.
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin forget admin --yes"), e.Refusal("ja", "admin.error.last_admin"))
	if u := e.Known("admin"); u.Deleted {
		t.Error("the last admin was forgotten")
	}
}
