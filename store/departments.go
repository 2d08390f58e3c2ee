package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/soudan/soudan/store/kv"

	"github.com/soudan/soudan/store/text"
)

// Buckets of departments (schema version 9).
const (
	bktDepts       = "departments"
	bktDeptsByName = "departments.by_name" // text.Fold(name or alias) 0x00 itob(id)
)

// ErrNoName is the refusal of a name that is empty once folded: blank,
// separators only, or invisible characters only.
var ErrNoName = errors.New("store: a name is required")

// Department is one entry of the canonical list of departments (bureaus,
// divisions). A user belongs to it when the user's free-text Department
// names it or one of its aliases (text.SameName: width, case, spacing
// and separators ignored), so "総務課", "総務 課" and "総務・課" are one.
type Department struct {
	ID        uint64    `json:"id"`
	Name      string    `json:"name"`
	Aliases   []string  `json:"aliases,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Names are the department's name and aliases.
func (d Department) Names() []string { return append([]string{d.Name}, d.Aliases...) }

// DepartmentMerge is what merging one department into another changed.
type DepartmentMerge struct {
	From  Department // the merged department, as it was; it is gone
	Into  Department // the department it was merged into, as it is now
	Moved int        // users moved from From to Into
}

// createDepartmentBuckets is the migration that creates the department
// list and its name index.
func createDepartmentBuckets(tx kv.Tx) error {
	for _, name := range []string{bktDepts, bktDeptsByName} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// deptKeys are the distinct folded names of d.
func deptKeys(d Department) []string {
	var keys []string
	for _, w := range d.Names() {
		if k := text.Fold(w); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// deptEntries are the index entries of d.
func deptEntries(d Department) []entry {
	var es []entry
	for _, k := range deptKeys(d) {
		es = append(es, entry{bktDeptsByName, k})
	}
	return es
}

// cleanAliases drops aliases that fold to nothing, to the name or to an
// earlier alias.
func cleanAliases(d *Department) {
	seen := []string{text.Fold(d.Name)}
	var out []string
	for _, a := range d.Aliases {
		if k := text.Fold(a); k != "" && !slices.Contains(seen, k) {
			seen = append(seen, k)
			out = append(out, a)
		}
	}
	d.Aliases = out
}

// putDepartment validates d, previously old (zero for a new one), and
// stores it with its index entries.
func (tx *Tx) putDepartment(old Department, d *Department) error {
	if text.Fold(d.Name) == "" {
		return ErrNoName
	}
	cleanAliases(d)
	for _, k := range deptKeys(*d) {
		if other, ok := lookupOther(tx, bktDeptsByName, k, d.ID); ok {
			return fmt.Errorf("%q is already a name or alias of department %s: %w", k, tx.departmentName(other), ErrExists)
		}
	}
	if err := reindex(tx, d.ID, deptEntries(old), deptEntries(*d)); err != nil {
		return err
	}
	return putJSON(tx.bucket(bktDepts), itob(d.ID), d)
}

// departmentName quotes the name of department id for an error message.
func (tx *Tx) departmentName(id uint64) string {
	d, err := getByID[Department](tx, bktDepts, id)
	if err != nil {
		return fmt.Sprintf("#%d", id)
	}
	return fmt.Sprintf("%q", d.Name)
}

// CreateDepartment stores a new department, assigning ID and CreatedAt.
// It fails with ErrNoName when the name folds to nothing, and with an
// error wrapping ErrExists when its name or an alias is already a name or
// alias of another department (text.SameName).
func (tx *Tx) CreateDepartment(d Department) (Department, error) {
	if err := tx.writable(); err != nil {
		return Department{}, err
	}
	id, err := tx.bucket(bktDepts).NextSequence()
	if err == nil {
		d.ID, d.CreatedAt = id, tx.Now()
		err = tx.putDepartment(Department{}, &d)
	}
	if err != nil {
		return Department{}, fmt.Errorf("create department %q: %w", d.Name, err)
	}
	return d, nil
}

// Departments returns every department, in id order.
func (tx *Tx) Departments() ([]Department, error) {
	ds, err := getAll[Department](tx, bktDepts)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return ds, nil
}

// DepartmentByName returns the department that name or one of its
// aliases names (text.SameName).
func (tx *Tx) DepartmentByName(name string) (Department, error) {
	ids := lookup(tx, bktDeptsByName, text.Fold(name))
	if text.Fold(name) == "" || len(ids) == 0 {
		return Department{}, fmt.Errorf("get department named %q: %w", name, ErrNotFound)
	}
	d, err := getByID[Department](tx, bktDepts, ids[0])
	if err != nil {
		return Department{}, fmt.Errorf("get department named %q: %w", name, err)
	}
	return d, nil
}

// departmentIDOf returns the id of the department a free-text department
// names, or 0.
func (tx *Tx) departmentIDOf(name string) uint64 {
	k := text.Fold(name)
	if k == "" {
		return 0
	}
	if ids := lookup(tx, bktDeptsByName, k); len(ids) > 0 {
		return ids[0]
	}
	return 0
}

// DepartmentMembers counts the users of each department, by department
// id; users whose department names none are not counted.
func (tx *Tx) DepartmentMembers() (map[uint64]int, error) {
	counts := map[uint64]int{}
	err := tx.bucket(bktUsers).ForEach(func(_, data []byte) error {
		var u User
		if err := json.Unmarshal(data, &u); err != nil {
			return err
		}
		if id := tx.departmentIDOf(u.Department); id != 0 {
			counts[id]++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count department members: %w", err)
	}
	return counts, nil
}

// memberIDs are the users who belong to the department with id, by the
// name index as it is now.
func (tx *Tx) memberIDs(id uint64) ([]uint64, error) {
	var members []uint64
	err := tx.bucket(bktUsers).ForEach(func(_, data []byte) error {
		var u User
		if err := json.Unmarshal(data, &u); err != nil {
			return err
		}
		if tx.departmentIDOf(u.Department) == id {
			members = append(members, u.ID)
		}
		return nil
	})
	return members, err
}

// setDepartment sets the department of the users with ids to name.
func (tx *Tx) setDepartment(ids []uint64, name string) error {
	for _, uid := range ids {
		if _, err := tx.updateUser(uid, func(u *User) error { u.Department = name; return nil }); err != nil {
			return err
		}
	}
	return nil
}

// RenameDepartment renames the department with id, and its members' department
// with it, in tx; it returns the department as it is now and how many
// users it rewrote. The old name does not stay an alias. Collisions fail
// as in CreateDepartment.
func (tx *Tx) RenameDepartment(id uint64, name string) (Department, int, error) {
	d, n, err := tx.renameDepartment(id, name)
	if err != nil {
		return Department{}, 0, fmt.Errorf("rename department %d to %q: %w", id, name, err)
	}
	return d, n, nil
}

// renameDepartment is RenameDepartment without its error wrapping.
func (tx *Tx) renameDepartment(id uint64, name string) (Department, int, error) {
	if err := tx.writable(); err != nil {
		return Department{}, 0, err
	}
	d, err := getByID[Department](tx, bktDepts, id)
	if err != nil {
		return Department{}, 0, err
	}
	old := d
	old.Aliases = slices.Clone(d.Aliases)
	d.Name = name
	// Members are found by the index before it changes.
	members, err := tx.memberIDs(id)
	if err != nil {
		return Department{}, 0, err
	}
	if err := tx.putDepartment(old, &d); err != nil {
		return Department{}, 0, err
	}
	if err := tx.setDepartment(members, d.Name); err != nil {
		return Department{}, 0, err
	}
	// Managers of the department manage it under its new name.
	managers, err := tx.UsersWithRole(RoleManager)
	if err != nil {
		return Department{}, 0, err
	}
	for _, m := range managers {
		if !m.Manages(old.Name) {
			continue
		}
		if _, err := tx.updateUser(m.ID, func(u *User) error { u.ManagerOf = u.ManagerOf.Without(old.Name).With(d.Name); return nil }); err != nil {
			return Department{}, 0, err
		}
	}
	return d, len(members), nil
}

// MergeDepartments moves every user of the department from into the
// department into, deletes from, and keeps from's name and aliases as
// aliases of into (so a later free-text "from" still lands in into), all
// in tx.
func (tx *Tx) MergeDepartments(from, into uint64) (DepartmentMerge, error) {
	mg, err := tx.mergeDepartments(from, into)
	if err != nil {
		return DepartmentMerge{}, fmt.Errorf("merge department %d into %d: %w", from, into, err)
	}
	return mg, nil
}

// mergeDepartments is MergeDepartments without its error wrapping.
func (tx *Tx) mergeDepartments(from, into uint64) (DepartmentMerge, error) {
	if err := tx.writable(); err != nil {
		return DepartmentMerge{}, err
	}
	if from == into {
		return DepartmentMerge{}, fmt.Errorf("a department cannot be merged into itself: %w", ErrExists)
	}
	f, err := getByID[Department](tx, bktDepts, from)
	if err != nil {
		return DepartmentMerge{}, err
	}
	d, err := getByID[Department](tx, bktDepts, into)
	if err != nil {
		return DepartmentMerge{}, err
	}
	members, err := tx.memberIDs(from)
	if err != nil {
		return DepartmentMerge{}, err
	}
	if err := tx.setDepartment(members, d.Name); err != nil {
		return DepartmentMerge{}, err
	}
	if err := reindex(tx, from, deptEntries(f), nil); err != nil {
		return DepartmentMerge{}, err
	}
	if err := tx.bucket(bktDepts).Delete(itob(from)); err != nil {
		return DepartmentMerge{}, err
	}
	old := d
	old.Aliases = slices.Clone(d.Aliases)
	d.Aliases = append(d.Aliases, f.Names()...)
	if err := tx.putDepartment(old, &d); err != nil {
		return DepartmentMerge{}, err
	}
	return DepartmentMerge{From: f, Into: d, Moved: len(members)}, nil
}
