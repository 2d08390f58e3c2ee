package store_test

import (
	"errors"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// setDept sets a user's free-text department.
func setDept(t *testing.T, s *store.Store, u store.User, dept string) {
	t.Helper()
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(u.ID, func(u *store.User) error { u.Department = dept; return nil })
	}); err != nil {
		t.Fatalf("set department of %s: %v", u.Name, err)
	}
}

// mustDept creates a department.
func mustDept(t *testing.T, s *store.Store, name string, aliases ...string) store.Department {
	t.Helper()
	var d store.Department
	err := s.Update(func(tx *store.Tx) (err error) {
		d, err = tx.Departments().Create(store.Department{Name: name, Aliases: aliases})
		return err
	})
	if err != nil {
		t.Fatalf("CreateDepartment(%q): %v", name, err)
	}
	return d
}

func TestDepartmentNamesFold(t *testing.T) {
	s, _ := openClocked(t)
	d := mustDept(t, s, "総務課", "総務")
	for _, bad := range []string{"総務 課", "総務・課", "ｿｳﾑ", "総務\u200b課", "  ", "\u200b\u2060", "・"} {
		err := s.Update(func(tx *store.Tx) error {
			_, err := tx.Departments().Create(store.Department{Name: bad})
			return err
		})
		want := store.ErrExists
		if bad == "  " || bad == "\u200b\u2060" || bad == "・" {
			want = store.ErrNoName
		}
		if bad == "ｿｳﾑ" {
			want = nil
		}
		if !errors.Is(err, want) && !(want == nil && err == nil) {
			t.Errorf("CreateDepartment(%q) = %v, want %v", bad, err, want)
		}
	}
	err := s.View(func(tx *store.Tx) error {
		for _, name := range []string{"総務課", "総務 課", "総務", "ＳＯＵ" + "", "総務・課"} {
			got, err := tx.Departments().ByName(name)
			if name == "ＳＯＵ" {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("DepartmentByName(%q) = %+v, %v; want not found", name, got, err)
				}
				continue
			}
			if err != nil || got.ID != d.ID {
				t.Errorf("DepartmentByName(%q) = %+v, %v; want #%d", name, got, err, d.ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestDepartmentRenameAndMerge(t *testing.T) {
	s, _ := openClocked(t)
	a := mustUser(t, s, "U1", "佐藤")
	b := mustUser(t, s, "U2", "鈴木")
	c := mustUser(t, s, "U3", "高橋")
	x := mustUser(t, s, "U4", "田中")
	setDept(t, s, a, "総務 課")
	setDept(t, s, b, "ｿｳﾑｶ")
	setDept(t, s, c, "人事課")
	setDept(t, s, x, "どこか")
	soumu := mustDept(t, s, "総務課", "ソウムカ")
	jinji := mustDept(t, s, "人事課")

	var counts map[uint64]int
	_ = s.View(func(tx *store.Tx) (err error) { counts, err = tx.Departments().Members(); return err })
	if counts[soumu.ID] != 2 || counts[jinji.ID] != 1 || len(counts) != 2 {
		t.Errorf("DepartmentMembers = %v, want 総務課 2, 人事課 1", counts)
	}

	var n int
	err := s.Update(func(tx *store.Tx) (err error) {
		jinji, n, err = tx.Departments().Rename(jinji.ID, "人事企画課")
		return err
	})
	if err != nil || n != 1 || jinji.Name != "人事企画課" {
		t.Fatalf("RenameDepartment = %+v, %d, %v; want 人事企画課 with 1 member", jinji, n, err)
	}
	if u, _ := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(c.ID) }); u.Department != "人事企画課" {
		t.Errorf("after rename, 高橋's department = %q, want 人事企画課", u.Department)
	}
	err = s.Update(func(tx *store.Tx) error { _, _, err := tx.Departments().Rename(jinji.ID, "総務・課"); return err })
	if !errors.Is(err, store.ErrExists) {
		t.Errorf("rename onto another department's name: %v, want ErrExists", err)
	}

	var mg store.DepartmentMerge
	err = s.Update(func(tx *store.Tx) (err error) { mg, err = tx.Departments().Merge(soumu.ID, jinji.ID); return err })
	if err != nil || mg.Moved != 2 {
		t.Fatalf("MergeDepartments = %+v, %v; want 2 moved", mg, err)
	}
	for _, u := range []store.User{a, b, c} {
		if got, _ := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); got.Department != "人事企画課" {
			t.Errorf("after merge, %s's department = %q, want 人事企画課", u.Name, got.Department)
		}
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(x.ID) }); got.Department != "どこか" {
		t.Errorf("a user of no department changed: %q", got.Department)
	}
	_ = s.View(func(tx *store.Tx) error {
		ds, _ := tx.Departments().All()
		if len(ds) != 1 || ds[0].ID != jinji.ID {
			t.Errorf("departments after merge = %+v, want 人事企画課 alone", ds)
		}
		if d, err := tx.Departments().ByName("総務 課"); err != nil || d.ID != jinji.ID {
			t.Errorf("the merged name = %+v, %v; want an alias of 人事企画課", d, err)
		}
		counts, _ = tx.Departments().Members()
		if counts[jinji.ID] != 3 {
			t.Errorf("members after merge = %v, want 3", counts)
		}
		return nil
	})
	err = s.Update(func(tx *store.Tx) error { _, err := tx.Departments().Merge(jinji.ID, jinji.ID); return err })
	if err == nil {
		t.Error("merging a department into itself succeeded")
	}
}

func TestPutSurveyReplaces(t *testing.T) {
	s, c := openClocked(t)
	sv := store.Survey{ID: "pulse", Title: map[string]string{"ja": "パルス", "en": "Pulse"},
		Items: []store.SurveyItem{{ID: "q1", Kind: store.ItemText, Title: map[string]string{"ja": "一言", "en": "A word"}}}}
	var replaced bool
	err := s.Update(func(tx *store.Tx) (err error) { _, replaced, err = tx.Surveys().Put(sv); return err })
	if err != nil || replaced {
		t.Fatalf("first PutSurvey: replaced %v, %v", replaced, err)
	}
	c.Advance(3600e9)
	sv.Items = append(sv.Items, store.SurveyItem{ID: "q2", Kind: store.ItemScale1to5, Title: map[string]string{"ja": "満足", "en": "Satisfied"}})
	err = s.Update(func(tx *store.Tx) (err error) { _, replaced, err = tx.Surveys().Put(sv); return err })
	if err != nil || !replaced {
		t.Fatalf("second PutSurvey: replaced %v, %v; want replaced", replaced, err)
	}
	_ = s.View(func(tx *store.Tx) error {
		all, err := tx.Surveys().All()
		if err != nil || len(all) != 1 || len(all[0].Items) != 2 || !all[0].CreatedAt.Equal(t0) || all[0].UpdatedAt.Equal(t0) {
			t.Errorf("Surveys = %+v, %v; want one with 2 items, created at t0, updated later", all, err)
		}
		return nil
	})
}
