package store

import (
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// userKey is the users.by_key value of a platform key.
func userKey(k UserKey) string { return joinKey(k.Platform, k.Workspace, k.PlatformID) }

// showKey formats a platform key for error messages.
func showKey(k UserKey) string { return k.Platform + "/" + k.Workspace + "/" + k.PlatformID }

// userEntries are the index entries of u.
func userEntries(u User) []entry {
	es := []entry{{bktUsersByKey, userKey(u.Key())}}
	if n := Normalize(u.Name); n != "" {
		es = append(es, entry{bktUsersByName, n})
	}
	for _, r := range u.Roles {
		es = append(es, entry{bktUsersByRole, r})
	}
	return es
}

// EnsureUser returns the user with platform key k, creating it with name
// and locale if missing. For an existing user it updates Name when name is
// non-empty and different, and sets Locale only when none is stored.
// created reports whether the user is new.
func (s *Store) EnsureUser(k UserKey, name, locale string) (u User, created bool, err error) {
	if k.Platform == "" || k.PlatformID == "" {
		return User{}, false, fmt.Errorf("ensure user: platform and platform id are required")
	}
	// Almost every call is a known sender whose name and locale have not
	// changed: answer it from a read transaction, which costs no disk
	// write, and take the write transaction only to create or change.
	var same bool
	err = s.db.View(func(tx *bbolt.Tx) error {
		ids := lookup(tx, bktUsersByKey, userKey(k))
		if len(ids) == 0 {
			return nil
		}
		if u, err = getByID[User](tx, bktUsers, ids[0]); err != nil {
			return err
		}
		same = (name == "" || name == u.Name) && (u.Locale != "" || locale == "")
		return nil
	})
	if err != nil {
		return User{}, false, fmt.Errorf("ensure user %s: %w", showKey(k), err)
	}
	if same {
		return u, false, nil
	}
	err = s.db.Update(func(tx *bbolt.Tx) error {
		ids := lookup(tx, bktUsersByKey, userKey(k))
		if len(ids) == 0 {
			created = true
			u, err = s.createUser(tx, k, name, locale)
			return err
		}
		if u, err = getByID[User](tx, bktUsers, ids[0]); err != nil {
			return err
		}
		old := u
		if name != "" {
			u.Name = name
		}
		if u.Locale == "" {
			u.Locale = locale
		}
		if u.Name == old.Name && u.Locale == old.Locale {
			return nil
		}
		return s.putUser(tx, old, &u)
	})
	if err != nil {
		return User{}, false, fmt.Errorf("ensure user %s: %w", showKey(k), err)
	}
	return u, created, nil
}

// createUser stores a new user with platform key k.
func (s *Store) createUser(tx *bbolt.Tx, k UserKey, name, locale string) (User, error) {
	id, err := bucket(tx, bktUsers).NextSequence()
	if err != nil {
		return User{}, err
	}
	now := s.now()
	u := User{
		ID: id, Platform: k.Platform, Workspace: k.Workspace, PlatformID: k.PlatformID,
		Name: name, Locale: locale, CreatedAt: now, UpdatedAt: now,
	}
	if err := reindex(tx, id, nil, userEntries(u)); err != nil {
		return User{}, err
	}
	return u, putJSON(bucket(tx, bktUsers), itob(id), u)
}

// putUser stores u, previously old, stamping UpdatedAt and moving its
// index entries.
func (s *Store) putUser(tx *bbolt.Tx, old User, u *User) error {
	u.ID = old.ID
	u.UpdatedAt = s.now()
	if other, ok := lookupOther(tx, bktUsersByKey, userKey(u.Key()), u.ID); ok {
		return fmt.Errorf("platform key %s belongs to user %d: %w", showKey(u.Key()), other, ErrExists)
	}
	if err := reindex(tx, u.ID, userEntries(old), userEntries(*u)); err != nil {
		return err
	}
	return putJSON(bucket(tx, bktUsers), itob(u.ID), u)
}

// User returns the user with id.
func (s *Store) User(id uint64) (User, error) {
	var u User
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		u, err = getByID[User](tx, bktUsers, id)
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// UserByKey returns the user with platform key k.
func (s *Store) UserByKey(k UserKey) (User, error) {
	var u User
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		ids := lookup(tx, bktUsersByKey, userKey(k))
		if len(ids) == 0 {
			return ErrNotFound
		}
		u, err = getByID[User](tx, bktUsers, ids[0])
		return err
	})
	if err != nil {
		return User{}, fmt.Errorf("get user %s: %w", showKey(k), err)
	}
	return u, nil
}

// UsersByName returns the users, on any platform, whose normalized name
// equals Normalize(name), in id order.
func (s *Store) UsersByName(name string) ([]User, error) {
	us, err := s.usersIn(bktUsersByName, Normalize(name))
	if err != nil {
		return nil, fmt.Errorf("find users named %q: %w", name, err)
	}
	return us, nil
}

// UsersWithRole returns the users holding role, in id order.
func (s *Store) UsersWithRole(role string) ([]User, error) {
	us, err := s.usersIn(bktUsersByRole, role)
	if err != nil {
		return nil, fmt.Errorf("find users with role %s: %w", role, err)
	}
	return us, nil
}

// usersIn returns the users filed under value in index.
func (s *Store) usersIn(index, value string) ([]User, error) {
	var us []User
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		us, err = getIDs[User](tx, bktUsers, lookup(tx, index, value))
		return err
	})
	return us, err
}

// UpdateUser applies fn to the user with id and stores the result,
// stamping UpdatedAt and reindexing name, roles and platform key. An error
// from fn aborts the update and is returned wrapped. fn runs inside the
// write transaction and must not call the Store.
func (s *Store) UpdateUser(id uint64, fn func(*User) error) (User, error) {
	var u User
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if u, err = getByID[User](tx, bktUsers, id); err != nil {
			return err
		}
		old := u
		old.Roles = slices.Clone(u.Roles)
		if err := fn(&u); err != nil {
			return err
		}
		return s.putUser(tx, old, &u)
	})
	if err != nil {
		return User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return u, nil
}

// SetRole grants (on) or revokes (!on) role for the user with id. It is
// idempotent: granting a held role or revoking a missing one changes
// nothing.
func (s *Store) SetRole(id uint64, role string, on bool) (User, error) {
	if role == "" {
		return User{}, fmt.Errorf("set role of user %d: empty role", id)
	}
	var u User
	err := s.db.Update(func(tx *bbolt.Tx) (err error) {
		if u, err = getByID[User](tx, bktUsers, id); err != nil {
			return err
		}
		if u.HasRole(role) == on {
			return nil
		}
		old := u
		if on {
			u.Roles = append(slices.Clone(u.Roles), role)
		} else {
			u.Roles = slices.DeleteFunc(slices.Clone(u.Roles), func(r string) bool { return r == role })
		}
		return s.putUser(tx, old, &u)
	})
	if err != nil {
		return User{}, fmt.Errorf("set role %s=%t of user %d: %w", role, on, id, err)
	}
	return u, nil
}

// Users returns every user, in id order.
func (s *Store) Users() ([]User, error) {
	var us []User
	err := s.db.View(func(tx *bbolt.Tx) (err error) {
		us, err = getAll[User](tx, bktUsers)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// CountUsers returns the number of users.
func (s *Store) CountUsers() (int, error) {
	var n int
	err := s.db.View(func(tx *bbolt.Tx) error {
		n = bucket(tx, bktUsers).Stats().KeyN
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
