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

// deptEntries are the index entries of d.
func deptEntries(d Department) []entry { return deptNames.entries(d.Names()) }

// put validates d, previously old (zero for a new one), and
// stores it with its index entries.
func (dv Departments) put(old Department, d *Department) error {
	if text.Fold(d.Name) == "" {
		return ErrNoName
	}
	d.Aliases = cleanAliases(d.Name, d.Aliases)
	if err := deptNames.claim(dv.tx, d.ID, d.Names()); err != nil {
		return err
	}
	if err := reindex(dv.tx, d.ID, deptEntries(old), deptEntries(*d)); err != nil {
		return err
	}
	return putJSON(dv.tx.bucket(bktDepts), itob(d.ID), d)
}

// Create stores a new department, assigning ID and CreatedAt.
// It fails with ErrNoName when the name folds to nothing, and with an
// error wrapping ErrExists when its name or an alias is already a name or
// alias of another department (text.SameName).
func (dv Departments) Create(d Department) (Department, error) {
	if err := dv.tx.writable(); err != nil {
		return Department{}, err
	}
	id, err := dv.tx.bucket(bktDepts).NextSequence()
	if err == nil {
		d.ID, d.CreatedAt = id, dv.tx.Now()
		err = dv.put(Department{}, &d)
	}
	if err != nil {
		return Department{}, fmt.Errorf("create department %q: %w", d.Name, err)
	}
	return d, nil
}

// All returns every department, in id order.
func (dv Departments) All() ([]Department, error) {
	ds, err := getAll[Department](dv.tx, bktDepts)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return ds, nil
}

// ByName returns the department that name or one of its
// aliases names (text.SameName).
func (dv Departments) ByName(name string) (Department, error) {
	id, ok := deptNames.find(dv.tx, name)
	if !ok {
		return Department{}, fmt.Errorf("get department named %q: %w", name, ErrNotFound)
	}
	d, err := getByID[Department](dv.tx, bktDepts, id)
	if err != nil {
		return Department{}, fmt.Errorf("get department named %q: %w", name, err)
	}
	return d, nil
}

// idOf returns the id of the department a free-text department
// names, or 0.
func (dv Departments) idOf(name string) uint64 {
	id, _ := deptNames.find(dv.tx, name)
	return id
}

// Members counts the users of each department, by department
// id; users whose department names none are not counted.
func (dv Departments) Members() (map[uint64]int, error) {
	counts := map[uint64]int{}
	err := dv.tx.bucket(bktUsers).ForEach(func(_, data []byte) error {
		var u User
		if err := json.Unmarshal(data, &u); err != nil {
			return err
		}
		if id := dv.idOf(u.Department); id != 0 {
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
func (dv Departments) memberIDs(id uint64) ([]uint64, error) {
	var members []uint64
	err := dv.tx.bucket(bktUsers).ForEach(func(_, data []byte) error {
		var u User
		if err := json.Unmarshal(data, &u); err != nil {
			return err
		}
		if dv.idOf(u.Department) == id {
			members = append(members, u.ID)
		}
		return nil
	})
	return members, err
}

// setDepartment sets the department of the users with ids to name.
func (dv Departments) setDepartment(ids []uint64, name string) error {
	for _, uid := range ids {
		if _, err := dv.tx.Users().update(uid, func(u *User) error { u.Department = name; return nil }); err != nil {
			return err
		}
	}
	return nil
}

// Rename renames the department with id, and its members' department
// with it, in tx; it returns the department as it is now and how many
// users it rewrote. The old name does not stay an alias. Collisions fail
// as in Create.
func (dv Departments) Rename(id uint64, name string) (Department, int, error) {
	d, n, err := dv.rename(id, name)
	if err != nil {
		return Department{}, 0, fmt.Errorf("rename department %d to %q: %w", id, name, err)
	}
	return d, n, nil
}

// rename is Rename without its error wrapping.
func (dv Departments) rename(id uint64, name string) (Department, int, error) {
	if err := dv.tx.writable(); err != nil {
		return Department{}, 0, err
	}
	d, err := getByID[Department](dv.tx, bktDepts, id)
	if err != nil {
		return Department{}, 0, err
	}
	old := d
	old.Aliases = slices.Clone(d.Aliases)
	d.Name = name
	// Members are found by the index before it changes.
	members, err := dv.memberIDs(id)
	if err != nil {
		return Department{}, 0, err
	}
	if err := dv.put(old, &d); err != nil {
		return Department{}, 0, err
	}
	if err := dv.setDepartment(members, d.Name); err != nil {
		return Department{}, 0, err
	}
	// Managers of the department manage it under its new name.
	managers, err := dv.tx.Users().WithRole(RoleManager)
	if err != nil {
		return Department{}, 0, err
	}
	for _, m := range managers {
		if !m.Manages(old.Name) {
			continue
		}
		if _, err := dv.tx.Users().update(m.ID, func(u *User) error { u.ManagerOf = u.ManagerOf.Without(old.Name).With(d.Name); return nil }); err != nil {
			return Department{}, 0, err
		}
	}
	return d, len(members), nil
}

// Merge moves every user of the department from into the
// department into, deletes from, and keeps from's name and aliases as
// aliases of into (so a later free-text "from" still lands in into), all
// in tx.
func (dv Departments) Merge(from, into uint64) (DepartmentMerge, error) {
	mg, err := dv.merge(from, into)
	if err != nil {
		return DepartmentMerge{}, fmt.Errorf("merge department %d into %d: %w", from, into, err)
	}
	return mg, nil
}

// merge is Merge without its error wrapping.
func (dv Departments) merge(from, into uint64) (DepartmentMerge, error) {
	if err := dv.tx.writable(); err != nil {
		return DepartmentMerge{}, err
	}
	if from == into {
		return DepartmentMerge{}, fmt.Errorf("a department cannot be merged into itself: %w", ErrExists)
	}
	f, err := getByID[Department](dv.tx, bktDepts, from)
	if err != nil {
		return DepartmentMerge{}, err
	}
	d, err := getByID[Department](dv.tx, bktDepts, into)
	if err != nil {
		return DepartmentMerge{}, err
	}
	members, err := dv.memberIDs(from)
	if err != nil {
		return DepartmentMerge{}, err
	}
	if err := dv.setDepartment(members, d.Name); err != nil {
		return DepartmentMerge{}, err
	}
	if err := reindex(dv.tx, from, deptEntries(f), nil); err != nil {
		return DepartmentMerge{}, err
	}
	if err := dv.tx.bucket(bktDepts).Delete(itob(from)); err != nil {
		return DepartmentMerge{}, err
	}
	old := d
	old.Aliases = slices.Clone(d.Aliases)
	d.Aliases = append(d.Aliases, f.Names()...)
	if err := dv.put(old, &d); err != nil {
		return DepartmentMerge{}, err
	}
	return DepartmentMerge{From: f, Into: d, Moved: len(members)}, nil
}
