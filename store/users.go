package store

import (
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/text"
)

// userKey is the users.by_key value of a platform key.
func userKey(k UserKey) string { return joinKey(k.Platform, k.Workspace, k.PlatformID) }

// showKey formats a platform key for error messages.
func showKey(k UserKey) string { return k.Platform + "/" + k.Workspace + "/" + k.PlatformID }

// userEntries are the index entries of u.
func userEntries(u User) []entry {
	es := []entry{{bktUsersByKey, userKey(u.Key())}}
	if n := text.Normalize(u.Name); n != "" && !u.Deleted {
		es = append(es, entry{bktUsersByName, n})
	}
	for _, r := range u.Roles {
		es = append(es, entry{bktUsersByRole, r})
	}
	return es
}

// Ensure returns the user with platform key k, creating it with name
// and locale if missing. For an existing user it updates Name when name is
// non-empty and different, and sets Locale only when none is stored.
// created reports whether the user is new. Inside View it answers a known
// user that needs no change, and fails with an error wrapping
// ErrTxNotWritable when it would write: the kit identifies a sender in a View
// first, which costs no disk write, for the common known sender.
func (uv Users) Ensure(k UserKey, name, locale string) (u User, created bool, err error) {
	if k.Platform == "" || k.PlatformID == "" {
		return User{}, false, fmt.Errorf("ensure user: platform and platform id are required")
	}
	if u, created, err = uv.ensure(k, name, locale); err != nil {
		return User{}, false, fmt.Errorf("ensure user %s: %w", showKey(k), err)
	}
	return u, created, nil
}

// ensure is Ensure without its checks and error wrapping.
func (uv Users) ensure(k UserKey, name, locale string) (User, bool, error) {
	ids := lookup(uv.tx, bktUsersByKey, userKey(k))
	if len(ids) == 0 {
		if err := uv.tx.writable(); err != nil {
			return User{}, false, err
		}
		u, err := uv.create(k, name, locale)
		return u, true, err
	}
	u, err := getByID[User](uv.tx, bktUsers, ids[0])
	if err != nil {
		return User{}, false, err
	}
	old := u
	if name != "" {
		u.Name = name
	}
	if u.Locale == "" {
		u.Locale = locale
	}
	if u.Name == old.Name && u.Locale == old.Locale {
		return u, false, nil
	}
	if err := uv.tx.writable(); err != nil {
		return User{}, false, err
	}
	return u, false, uv.put(old, &u)
}

// create stores a new user with platform key k.
func (uv Users) create(k UserKey, name, locale string) (User, error) {
	id, err := uv.tx.bucket(bktUsers).NextSequence()
	if err != nil {
		return User{}, err
	}
	now := uv.tx.Now()
	u := User{
		ID: id, Platform: k.Platform, Workspace: k.Workspace, PlatformID: k.PlatformID,
		Name: name, Locale: locale, CreatedAt: now, UpdatedAt: now,
	}
	if err := reindex(uv.tx, id, nil, userEntries(u)); err != nil {
		return User{}, err
	}
	return u, putJSON(uv.tx.bucket(bktUsers), itob(id), u)
}

// put stores u, previously old, stamping UpdatedAt and moving its
// index entries.
func (uv Users) put(old User, u *User) error {
	u.ID = old.ID
	u.UpdatedAt = uv.tx.Now()
	if other, ok := lookupOther(uv.tx, bktUsersByKey, userKey(u.Key()), u.ID); ok {
		return fmt.Errorf("platform key %s belongs to user %d: %w", showKey(u.Key()), other, ErrExists)
	}
	if err := reindex(uv.tx, u.ID, userEntries(old), userEntries(*u)); err != nil {
		return err
	}
	return putJSON(uv.tx.bucket(bktUsers), itob(u.ID), u)
}

// ByID returns the user with id.
func (uv Users) ByID(id uint64) (User, error) {
	u, err := getByID[User](uv.tx, bktUsers, id)
	if err != nil {
		return User{}, fmt.Errorf("get user %d: %w", id, err)
	}
	return u, nil
}

// ByKey returns the user with platform key k.
func (uv Users) ByKey(k UserKey) (User, error) {
	ids := lookup(uv.tx, bktUsersByKey, userKey(k))
	err := ErrNotFound
	var u User
	if len(ids) > 0 {
		u, err = getByID[User](uv.tx, bktUsers, ids[0])
	}
	if err != nil {
		return User{}, fmt.Errorf("get user %s: %w", showKey(k), err)
	}
	return u, nil
}

// ByName returns the users, on any platform, whose normalized name
// equals text.Normalize(name), in id order.
func (uv Users) ByName(name string) ([]User, error) {
	us, err := getIDs[User](uv.tx, bktUsers, lookup(uv.tx, bktUsersByName, text.Normalize(name)))
	if err != nil {
		return nil, fmt.Errorf("find users named %q: %w", name, err)
	}
	return us, nil
}

// WithRole returns the users holding role, in id order.
func (uv Users) WithRole(role string) ([]User, error) {
	us, err := getIDs[User](uv.tx, bktUsers, lookup(uv.tx, bktUsersByRole, role))
	if err != nil {
		return nil, fmt.Errorf("find users with role %s: %w", role, err)
	}
	return us, nil
}

// Update applies fn to the user with id and stores the result,
// stamping UpdatedAt and reindexing name, roles and platform key. An error
// from fn aborts the update and is returned wrapped. fn must not call the
// Store (it may call tx).
func (uv Users) Update(id uint64, fn func(*User) error) (User, error) {
	u, err := uv.update(id, fn)
	if err != nil {
		return User{}, fmt.Errorf("update user %d: %w", id, err)
	}
	return u, nil
}

// update is Update without its error wrapping.
func (uv Users) update(id uint64, fn func(*User) error) (User, error) {
	if err := uv.tx.writable(); err != nil {
		return User{}, err
	}
	u, err := getByID[User](uv.tx, bktUsers, id)
	if err != nil {
		return User{}, err
	}
	old := u
	old.Roles = slices.Clone(u.Roles)
	if err := fn(&u); err != nil {
		return User{}, err
	}
	return u, uv.put(old, &u)
}

// SetRole grants (on) or revokes (!on) role for the user with id. It is
// idempotent: granting a held role or revoking a missing one changes
// nothing.
func (uv Users) SetRole(id uint64, role string, on bool) (User, error) {
	if role == "" {
		return User{}, fmt.Errorf("set role of user %d: empty role", id)
	}
	u, err := uv.setRole(id, role, on)
	if err != nil {
		return User{}, fmt.Errorf("set role %s=%t of user %d: %w", role, on, id, err)
	}
	return u, nil
}

// setRole is SetRole without its checks and error wrapping.
func (uv Users) setRole(id uint64, role string, on bool) (User, error) {
	if err := uv.tx.writable(); err != nil {
		return User{}, err
	}
	u, err := getByID[User](uv.tx, bktUsers, id)
	if err != nil || u.HasRole(role) == on {
		return u, err
	}
	old := u
	if on {
		u.Roles = append(slices.Clone(u.Roles), role)
	} else {
		u.Roles = slices.DeleteFunc(slices.Clone(u.Roles), func(r string) bool { return r == role })
	}
	return u, uv.put(old, &u)
}

// All returns every user, in id order.
func (uv Users) All() ([]User, error) {
	us, err := getAll[User](uv.tx, bktUsers)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return us, nil
}

// Count returns the number of users.
func (uv Users) Count() (int, error) {
	return uv.tx.bucket(bktUsers).KeyN(), nil
}

// ManagersOf returns the users holding RoleManager whose ManagerOf names
// department (text.SameName: width, case and spacing ignored), in id
// order. It reads the role index, not every user: managers are few.
func (uv Users) ManagersOf(department string) ([]User, error) {
	us, err := uv.WithRole(RoleManager)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(us, func(u User) bool { return !u.Manages(department) }), nil
}
