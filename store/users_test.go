package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestEnsureUser(t *testing.T) {
	s, clk := openClocked(t)
	k := store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: "U1"}

	u, created, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) { return tx.Users().Ensure(k, "Sato", "") })
	if err != nil || !created || u.ID == 0 || u.Name != "Sato" || !u.CreatedAt.Equal(t0) {
		t.Fatalf("first EnsureUser: got %+v, created=%t, %v; want a new user Sato at %v", u, created, err, t0)
	}
	clk.Advance(time.Hour)
	tests := []struct {
		name, locale         string
		wantName, wantLocale string
	}{
		{"", "ja", "Sato", "ja"},                   // empty stored locale is set
		{"Sato Hanako", "en", "Sato Hanako", "ja"}, // locale kept, name updated
		{"", "", "Sato Hanako", "ja"},              // empty name keeps the name
	}
	for _, tt := range tests {
		got, created, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) { return tx.Users().Ensure(k, tt.name, tt.locale) })
		if err != nil || created || got.ID != u.ID {
			t.Fatalf("EnsureUser(%q, %q): got id %d, created=%t, %v; want id %d, not created", tt.name, tt.locale, got.ID, created, err, u.ID)
		}
		if got.Name != tt.wantName || got.Locale != tt.wantLocale {
			t.Errorf("EnsureUser(%q, %q): got name %q locale %q, want %q %q", tt.name, tt.locale, got.Name, got.Locale, tt.wantName, tt.wantLocale)
		}
	}
	got, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(k) })
	if err != nil || got.Name != "Sato Hanako" || !got.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("UserByKey: got %q updated %v, %v; want %q updated %v", got.Name, got.UpdatedAt, err, "Sato Hanako", t0.Add(time.Hour))
	}
	if n, err := storetest.Read(s, func(tx *store.Tx) (int, error) { return tx.Users().Count() }); err != nil || n != 1 {
		t.Errorf("CountUsers: got %d, %v; want 1", n, err)
	}
	if _, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: "slack"}, "x", "")
	}); err == nil {
		t.Errorf("EnsureUser without a platform id: got nil error, want one")
	}
}

func TestUserLookupsMissing(t *testing.T) {
	s := storetest.MustOpen(t)
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(42) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("User(42): got %v, want ErrNotFound", err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.User, error) {
		return tx.Users().ByKey(store.UserKey{Platform: "teams", PlatformID: "x"})
	}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByKey(missing): got %v, want ErrNotFound", err)
	}
}

func TestUsersByNameAcrossPlatforms(t *testing.T) {
	s := storetest.MustOpen(t)
	a := mustUser(t, s, "U1", "Sato  Hanako")
	b, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) {
		return tx.Users().Ensure(store.UserKey{Platform: "teams", Workspace: "tenant", PlatformID: "29:x"}, "ＳＡＴＯ\u3000hanako", "en")
	})
	if err != nil {
		t.Fatal(err)
	}
	mustUser(t, s, "U3", "Suzuki")

	got, err := storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().ByName("sato hanako") })
	if want := []uint64{a.ID, b.ID}; err != nil || !slices.Equal(ids(got, userID), want) {
		t.Errorf("UsersByName: got %v, %v; want %v", ids(got, userID), err, want)
	}
	// Renaming moves the user in the name index.
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(a.ID, func(u *store.User) error { u.Name = "Tanaka"; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	got, _ = storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().ByName("Sato Hanako") })
	if want := []uint64{b.ID}; !slices.Equal(ids(got, userID), want) {
		t.Errorf("UsersByName after rename: got %v, want %v", ids(got, userID), want)
	}
	got, _ = storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().ByName("tanaka") })
	if want := []uint64{a.ID}; !slices.Equal(ids(got, userID), want) {
		t.Errorf("UsersByName(new name): got %v, want %v", ids(got, userID), want)
	}
}

func TestRoles(t *testing.T) {
	s := storetest.MustOpen(t)
	a := mustUser(t, s, "U1", "A")
	b := mustUser(t, s, "U2", "B")
	steps := []struct {
		id   uint64
		on   bool
		want []uint64 // admins after the step
	}{
		{b.ID, true, []uint64{b.ID}},
		{a.ID, true, []uint64{a.ID, b.ID}},
		{a.ID, true, []uint64{a.ID, b.ID}}, // idempotent grant
		{b.ID, false, []uint64{a.ID}},
		{b.ID, false, []uint64{a.ID}}, // idempotent revoke
	}
	for i, st := range steps {
		u, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) { return tx.Users().SetRole(st.id, store.RoleAdmin, st.on) })
		if err != nil {
			t.Fatalf("step %d SetRole: %v", i, err)
		}
		if u.HasRole(store.RoleAdmin) != st.on {
			t.Errorf("step %d: HasRole got %t, want %t", i, !st.on, st.on)
		}
		got, err := storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().WithRole(store.RoleAdmin) })
		if err != nil || !slices.Equal(ids(got, userID), st.want) {
			t.Errorf("step %d UsersWithRole: got %v, %v; want %v", i, ids(got, userID), err, st.want)
		}
	}
	if u, _ := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(a.ID) }); !slices.Equal(u.Roles, []string{store.RoleAdmin}) {
		t.Errorf("roles after a double grant: got %v, want [admin]", u.Roles)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) { return tx.Users().SetRole(99, store.RoleHR, true) }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetRole(missing user): got %v, want ErrNotFound", err)
	}
}

func TestUpdateUserFnErrorAborts(t *testing.T) {
	s := storetest.MustOpen(t)
	u := mustUser(t, s, "U1", "Sato")
	boom := errors.New("boom")
	_, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) {
		return tx.Users().Update(u.ID, func(u *store.User) error {
			u.Name = "changed"
			u.Roles = append(u.Roles, store.RoleHR)
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("UpdateUser: got %v, want the fn error", err)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(u.ID) }); got.Name != "Sato" {
		t.Errorf("name after an aborted update: got %q, want %q", got.Name, "Sato")
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().WithRole(store.RoleHR) }); len(got) != 0 {
		t.Errorf("hr users after an aborted update: got %v, want none", ids(got, userID))
	}
}

func TestUsersInIDOrder(t *testing.T) {
	s := storetest.MustOpen(t)
	var want []uint64
	for _, pid := range []string{"U3", "U1", "U2"} {
		want = append(want, mustUser(t, s, pid, pid).ID)
	}
	got, err := storetest.Read(s, func(tx *store.Tx) ([]store.User, error) { return tx.Users().All() })
	if err != nil || !slices.Equal(ids(got, userID), want) {
		t.Errorf("Users: got %v, %v; want %v", ids(got, userID), err, want)
	}
}

func TestManagersOf(t *testing.T) {
	s, _ := openClocked(t)
	var ids []uint64
	for i, dept := range []string{"総務課", "総務 課", "人事課", "総務課"} {
		u, _, err := storetest.Write2(s, func(tx *store.Tx) (store.User, bool, error) {
			return tx.Users().Ensure(store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: string(rune('A' + i))}, "", "")
		})
		if err != nil {
			t.Fatal(err)
		}
		role := i != 3 // the last one manages nothing any more
		if _, err := storetest.Write(s, func(tx *store.Tx) (store.User, error) {
			return tx.Users().Update(u.ID, func(u *store.User) error {
				u.ManagerOf = store.DepartmentNames{dept}
				if role {
					u.Roles = append(u.Roles, store.RoleManager)
				}
				return nil
			})
		}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	var got []uint64
	err := s.View(func(tx *store.Tx) error {
		us, err := tx.Users().ManagersOf("ソウム課")
		if err != nil || len(us) != 0 {
			t.Errorf("ManagersOf(ソウム課) = %v, %v; want none", us, err)
		}
		us, err = tx.Users().ManagersOf("総務課")
		for _, u := range us {
			got = append(got, u.ID)
		}
		return err
	})
	if err != nil || !slices.Equal(got, ids[:2]) {
		t.Errorf("ManagersOf(総務課) = %v, %v; want %v", got, err, ids[:2])
	}
}
