package store_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestDepartmentsReadsOneNameOrSeveral(t *testing.T) {
	for _, c := range []struct {
		in   string
		want store.DepartmentNames
	}{
		{`{"manager_of":"総務課"}`, store.DepartmentNames{"総務課"}}, // a record from before several
		{`{"manager_of":["総務課","人事課"]}`, store.DepartmentNames{"総務課", "人事課"}},
		{`{"manager_of":""}`, nil},
		{`{}`, nil},
	} {
		var u store.User
		if err := json.Unmarshal([]byte(c.in), &u); err != nil || !slices.Equal(u.ManagerOf, c.want) {
			t.Errorf("decode %s: got %q, %v; want %q", c.in, u.ManagerOf, err, c.want)
		}
	}
	if _, err := json.Marshal(store.User{}); err != nil {
		t.Fatal(err)
	}
	var u store.User
	if err := json.Unmarshal([]byte(`{"manager_of":3}`), &u); err == nil {
		t.Errorf("decode a number as manager_of: got no error")
	}
	d := store.DepartmentNames{"総務課"}.With("総務 課").With("人事課")
	if !slices.Equal(d, store.DepartmentNames{"総務課", "人事課"}) {
		t.Errorf("With: got %q, want 総務課, 人事課", d)
	}
	if d = d.Without("総務・課"); !slices.Equal(d, store.DepartmentNames{"人事課"}) {
		t.Errorf("Without(総務・課): got %q, want 人事課", d)
	}
	if d = d.Without("人事課"); d != nil {
		t.Errorf("Without the last: got %q, want nil", d)
	}
}

func TestRenameDepartmentKeepsItsManagers(t *testing.T) {
	s, _ := openClocked(t)
	m := mustUser(t, s, "U1", "部長")
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(m.ID, func(u *store.User) error {
			u.Roles, u.ManagerOf = []string{store.RoleManager}, store.DepartmentNames{"総務課", "人事課"}
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	d := mustDept(t, s, "人事課")
	if err := s.Update(func(tx *store.Tx) error { _, _, err := tx.Departments().Rename(d.ID, "人事企画課"); return err }); err != nil {
		t.Fatal(err)
	}
	got, _ := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(m.ID) })
	if want := (store.DepartmentNames{"総務課", "人事企画課"}); !slices.Equal(got.ManagerOf, want) {
		t.Errorf("after renaming 人事課, manager_of = %q, want %q", got.ManagerOf, want)
	}
}
