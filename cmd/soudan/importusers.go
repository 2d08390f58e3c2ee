package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/store"
)

// importBatch is how many rows one transaction of the import writes. A
// file of up to importBatch rows is applied atomically; a larger one in
// batches, each atomic.
const importBatch = 500

// maxImportFile is the largest users CSV read (a directory of tens of
// thousands of people is a few megabytes).
const maxImportFile = 64 << 20

// auditUsersImport is the audit action of an applied directory import.
const auditUsersImport = "users.import"

// errImportInvalid reports a file with errors, nothing applied.
var errImportInvalid = errors.New("nothing applied")

// importUsers runs "soudan import users FILE": it checks the whole file,
// looks up Slack ids of email-only rows, and applies the rows (or, with
// -dry-run, reports what applying would change). With any error nothing
// is applied unless -skip-invalid. The bot must be stopped: it opens the
// data file, whose lock the bot holds.
func (m *Main) importUsers(ctx context.Context, path string) error {
	out := m.Stdout
	if err := needInput("import users", "file", path); err != nil {
		return err
	}
	data, err := readLimited(path, maxImportFile)
	if err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	db := m.Config.DataFile()
	_, statErr := os.Stat(db)
	missing := errors.Is(statErr, fs.ErrNotExist)
	if statErr != nil && !missing {
		return fmt.Errorf("import users: %w", statErr)
	}
	// What the data file knows: its workspaces (the default of rows that
	// name none) and its department list.
	var known directoryFacts
	if !missing {
		if err := m.openStore(); err != nil {
			return fmt.Errorf("import users: %w", err)
		}
		if known, err = readDirectoryFacts(m.store); err != nil {
			return fmt.Errorf("import users: %w", err)
		}
	}
	def := m.importDefaults(known.workspaces)
	f := parseUsersCSVWith(data, m.Now().In(m.Config.location).Year(), def)
	if err := m.resolveEmails(ctx, &f); err != nil {
		return fmt.Errorf("import users: %w", err)
	}
	fmt.Fprintf(out, "%s: %s checked", path, plural(f.Checked, "row"))
	if f.Encoding != "" {
		fmt.Fprintf(out, " (%s)", f.Encoding)
	}
	fmt.Fprintf(out, ", %d valid, %s with errors\n", len(f.Rows), plural(countLines(f.Errors), "line"))
	if f.Defaulted > 0 {
		fmt.Fprintf(out, "  %s without a platform and workspace: %s/%s, %s\n", plural(f.Defaulted, "row"), def.Platform, def.Workspace, def.From)
	}
	for _, e := range f.Errors {
		fmt.Fprintln(out, "  "+e.String())
	}
	for _, w := range managerWarnings(f.Rows) {
		fmt.Fprintln(out, "  "+w.String())
	}
	for _, w := range departmentWarnings(f.Rows, known.departments) {
		fmt.Fprintln(out, "  "+w.String())
	}
	if len(f.Errors) > 0 && !m.Config.SkipInvalid {
		if len(f.Rows) == 0 {
			fmt.Fprintln(out, "nothing applied: fix the lines above")
		} else {
			fmt.Fprintf(out, "nothing applied: fix the lines above, or add -skip-invalid to apply the %s only\n", plural(len(f.Rows), "valid row"))
		}
		return fmt.Errorf("import users: %s has errors on %s; %w", path, plural(countLines(f.Errors), "line"), errImportInvalid)
	}
	if len(f.Errors) > 0 {
		fmt.Fprintf(out, "-skip-invalid: %s above skipped\n", plural(countLines(f.Errors), "line"))
	}

	var changes []userChange
	switch {
	case m.Config.DryRun && missing:
		// Opening would create the file: plan against an empty directory.
		for _, r := range f.Rows {
			changes = append(changes, diffRow(r, store.User{}, false))
		}
	case m.Config.DryRun:
		err = m.store.View(func(tx *store.Tx) error {
			for _, r := range f.Rows {
				c, err := importUserRow(tx, r, false)
				if err != nil {
					return err
				}
				changes = append(changes, c)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("import users (dry run): %w", err)
		}
	default:
		if missing {
			if err := m.openStore(); err != nil {
				return fmt.Errorf("import users: %w", err)
			}
			fmt.Fprintf(out, "created the data file %s\n", db)
		}
		var applyErr error
		changes, applyErr = m.applyUsers(path, f.Rows)
		if applyErr != nil {
			reportChanges(out, changes, false)
			return fmt.Errorf("import users: %w", applyErr)
		}
	}
	reportChanges(out, changes, m.Config.DryRun)
	switch {
	case m.Config.DryRun:
		fmt.Fprintln(out, "dry run: nothing changed")
	case countChanged(changes) == 0:
		fmt.Fprintln(out, "the data file already matches the file: nothing changed")
	case len(f.Rows) <= importBatch:
		fmt.Fprintln(out, "applied in one transaction")
	default:
		fmt.Fprintf(out, "applied in %d transactions of up to %d rows, each atomic\n", (len(f.Rows)+importBatch-1)/importBatch, importBatch)
	}
	m.log.Debug("users imported", "rows", len(f.Rows), "changed", countChanged(changes), "dry_run", m.Config.DryRun)
	return nil
}

// readLimited reads the file at path, refusing one larger than limit.
func readLimited(path string, limit int64) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s is larger than %d MiB", path, limit>>20)
	}
	return data, err
}

// plural is n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// countLines is the number of distinct lines among errs.
func countLines(errs []lineError) int {
	n, last := 0, -1
	for _, e := range errs { // sorted by line
		if e.Line != last {
			n, last = n+1, e.Line
		}
	}
	return n
}

// applyUsers writes rows in transactions of importBatch rows, each with an
// audit entry. On an error it returns the changes of the batches already
// committed.
func (m *Main) applyUsers(path string, rows []importRow) ([]userChange, error) {
	var done []userChange
	for start := 0; start < len(rows); start += importBatch {
		batch := rows[start:min(start+importBatch, len(rows))]
		var changes []userChange
		err := m.store.Update(func(tx *store.Tx) error {
			changes = changes[:0]
			for _, r := range batch {
				c, err := importUserRow(tx, r, true)
				if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				changes = append(changes, c)
			}
			if countChanged(changes) == 0 {
				return nil
			}
			created, updated, _ := countKinds(changes)
			_, err := tx.AppendAudit(store.AuditEntry{Action: auditUsersImport,
				Detail: fmt.Sprintf("%s lines %d-%d: created %d, updated %d", path, batch[0].Line, batch[len(batch)-1].Line, created, updated)})
			return err
		})
		if err != nil {
			msg := "nothing applied"
			if start > 0 {
				msg = fmt.Sprintf("the rows before line %d are applied, the rest are not; fix it and run the same file again", batch[0].Line)
			}
			return done, fmt.Errorf("%w (%s)", err, msg)
		}
		done = append(done, changes...)
	}
	return done, nil
}

// userChange is what importing one row changes.
type userChange struct {
	Line    int
	Key     store.UserKey
	Created bool
	Fields  []fieldChange // empty: unchanged (for a created user, the fields set)
}

// fieldChange is one field's old and new value, as shown.
type fieldChange struct{ Name, Old, New string }

// countChanged is the number of created or updated users.
func countChanged(cs []userChange) int {
	c, u, _ := countKinds(cs)
	return c + u
}

// countKinds counts created, updated and unchanged users.
func countKinds(cs []userChange) (created, updated, unchanged int) {
	for _, c := range cs {
		switch {
		case c.Created:
			created++
		case len(c.Fields) > 0:
			updated++
		default:
			unchanged++
		}
	}
	return
}

// importUserRow computes what r changes in tx, and with write applies it.
func importUserRow(tx *store.Tx, r importRow, write bool) (userChange, error) {
	u, err := tx.Users().ByKey(r.key())
	found := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return userChange{}, err
	}
	c := diffRow(r, u, found)
	if !write || (!c.Created && len(c.Fields) == 0) {
		return c, nil
	}
	if c.Created {
		if u, _, err = tx.Users().Ensure(r.key(), r.Name, ""); err != nil {
			return userChange{}, err
		}
	}
	_, err = tx.Users().Update(u.ID, func(u *store.User) error {
		applyRow(u, r)
		return nil
	})
	return c, err
}

// managerOfList reads a manager_of cell: the departments a manager
// manages, separated by ";" or "、" ("総務課;人事課").
func managerOfList(cell string) store.DepartmentNames {
	var out store.DepartmentNames
	for _, d := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '；' || r == '、' }) {
		if d = strings.TrimSpace(d); d != "" {
			out = out.With(d)
		}
	}
	return out
}

// applyRow sets the fields r gives on u. manager_of (one department or
// several) replaces the departments u manages and grants the manager role.
func applyRow(u *store.User, r importRow) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&u.Name, r.Name)
	set(&u.Department, r.Dept)
	set(&u.JobType, r.JobType)
	set(&u.Posting, r.Posting)
	if m := managerOfList(r.ManagerOf); len(m) > 0 {
		u.ManagerOf = m
	}
	if r.JoinYear != 0 {
		u.JoinYear = r.JoinYear
	}
	if len(u.ManagerOf) > 0 && r.ManagerOf != "" && !u.HasRole(store.RoleManager) {
		u.Roles = append(slices.Clone(u.Roles), store.RoleManager)
	}
}

// diffRow compares old (found: stored) with old after applyRow.
func diffRow(r importRow, old store.User, found bool) userChange {
	c := userChange{Line: r.Line, Key: r.key(), Created: !found}
	nu := old
	nu.Roles = slices.Clone(old.Roles)
	applyRow(&nu, r)
	add := func(name, a, b string) {
		if a != b {
			c.Fields = append(c.Fields, fieldChange{name, a, b})
		}
	}
	year := func(y int) string {
		if y == 0 {
			return ""
		}
		return strconv.Itoa(y)
	}
	add(colName, old.Name, nu.Name)
	add(colDepartment, old.Department, nu.Department)
	add(colJoinYear, year(old.JoinYear), year(nu.JoinYear))
	add(colJobType, old.JobType, nu.JobType)
	add(colPosting, old.Posting, nu.Posting)
	add(colManagerOf, strings.Join(old.ManagerOf, ";"), strings.Join(nu.ManagerOf, ";"))
	add("roles", strings.Join(old.Roles, ","), strings.Join(nu.Roles, ","))
	return c
}

// reportChanges prints the counts and one line per created or updated
// user: its line, platform key and, for updates, the fields that change.
// Created users are listed without their fields (the file has them).
func reportChanges(w io.Writer, cs []userChange, dry bool) {
	created, updated, unchanged := countKinds(cs)
	verb := map[bool][2]string{false: {"created", "updated"}, true: {"would create", "would update"}}[dry]
	fmt.Fprintf(w, "%s %d, %s %d, unchanged %d\n", verb[0], created, verb[1], updated, unchanged)
	for _, c := range cs {
		switch {
		case c.Created:
			fmt.Fprintf(w, "  line %d: create %s\n", c.Line, userKeyString(c.Key))
		case len(c.Fields) > 0:
			parts := make([]string, len(c.Fields))
			for i, f := range c.Fields {
				parts[i] = fmt.Sprintf("%s %q → %q", f.Name, f.Old, f.New)
			}
			fmt.Fprintf(w, "  line %d: update %s: %s\n", c.Line, userKeyString(c.Key), strings.Join(parts, ", "))
		}
	}
}
