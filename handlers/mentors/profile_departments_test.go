package mentors

import (
	"testing"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// addDepartments fills the canonical list the way an admin would.
func addDepartments(t *testing.T, e *testenv.Env, ds ...store.Department) {
	t.Helper()
	err := e.St.Update(func(tx *store.Tx) error {
		for _, d := range ds {
			if _, err := tx.Departments().Create(d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestProfileOffersDepartmentsAsChoice(t *testing.T) {
	e := newPeopleEnv(t)
	// No list yet: free text, as before.
	f := testenv.FormOf(t, e.Cmd("佐藤", "/soudan profile"))
	if in := testenv.InputOf(t, f, "department"); in.Kind != bot.InputText {
		t.Fatalf("department input with no list = %s, want text", in.Kind)
	}
	e.Submit("佐藤", "profile", map[string]string{"department": "総務 課", "join_year": "2015", "posting": "hq", "language": "ja"})

	addDepartments(t, e, store.Department{Name: "総務課", Aliases: []string{"総務"}}, store.Department{Name: "人事課"})
	f = testenv.FormOf(t, e.Cmd("佐藤", "/soudan profile"))
	in := testenv.InputOf(t, f, "department")
	if in.Kind != bot.InputSelect || len(in.Options) != 2 || in.Options[0].Value != "総務課" || in.Options[1].Value != "人事課" {
		t.Fatalf("department input = %+v, want a select of 総務課 and 人事課", in)
	}
	if in.Value != "総務課" {
		t.Errorf("free text 「総務 課」 shown as %q, want the choice 総務課", in.Value)
	}

	// A department the list does not hold shows no choice.
	uid := e.Known("佐藤").ID
	if _, err := storetest.Write(e.St, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(uid, func(u *store.User) error { u.Department = "経理課"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if got := testenv.InputOf(t, testenv.FormOf(t, e.Cmd("佐藤", "/soudan profile")), "department").Value; got != "" {
		t.Errorf("unlisted department shown as %q, want no choice", got)
	}

	// A submission outside the list is refused and saves nothing; an
	// alias or another spelling saves the canonical name.
	f = testenv.FormOf(t, e.Submit("佐藤", "profile", map[string]string{"department": "経理課", "join_year": "2015", "posting": "hq", "language": "ja"}))
	if f.Errors["department"] == "" {
		t.Errorf("an unlisted department was accepted: errors %v", f.Errors)
	}
	if got := e.Known("佐藤").Department; got != "経理課" {
		t.Errorf("refused form changed the department to %q", got)
	}
	e.Submit("佐藤", "profile", map[string]string{"department": "総務", "join_year": "2015", "posting": "hq", "language": "ja"})
	if got := e.Known("佐藤").Department; got != "総務課" {
		t.Errorf("department saved as %q, want 総務課", got)
	}
}
