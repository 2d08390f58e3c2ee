package survey

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// maxDeptName is the longest department name or alias, in characters.
const maxDeptName = 50

// checkDeptName cleans a department name as typed and refuses one that is
// empty once folded (blank, separators or invisible characters only) or
// too long.
func checkDeptName(s string) (string, error) {
	s = handlers.Clean(s)
	if text.Fold(s) == "" {
		return "", bot.Errorf(bot.CodeInvalid, "survey.department.error.no_name")
	}
	if handlers.Runes(s) > maxDeptName {
		return "", bot.Errorf(bot.CodeInvalid, "survey.department.error.too_long", "Name", s, "Max", maxDeptName)
	}
	return s, nil
}

// departmentNamed finds the department an admin names.
func (a *Feature) departmentNamed(name string) (store.Department, error) {
	d, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Department, error) { return tx.Departments().ByName(name) })
	if errors.Is(err, store.ErrNotFound) {
		return d, bot.Errorf(bot.CodeNotFound, "survey.department.error.not_found", "Name", handlers.Clean(name))
	}
	return d, err
}

// taken refuses name when it names a department other than self.
func (a *Feature) taken(name string, self uint64) error {
	d, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.Department, error) { return tx.Departments().ByName(name) })
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return err
	case d.ID != self:
		return bot.Errorf(bot.CodeConflict, "survey.department.error.exists", "Name", name, "Department", handlers.Clean(d.Name))
	}
	return nil
}

// storeRefusal turns the store's refusals of a name into localized ones.
func storeRefusal(err error, name string) error {
	switch {
	case errors.Is(err, store.ErrNoName):
		return &bot.Error{Code: bot.CodeInvalid, MsgKey: "survey.department.error.no_name", Err: err}
	case errors.Is(err, store.ErrExists):
		return &bot.Error{Code: bot.CodeConflict, MsgKey: "survey.department.error.taken", Args: map[string]any{"Name": name}, Err: err}
	}
	return err
}

// addDepartment answers /soudan admin department add NAME [aliases...].
func (a *Feature) addDepartment(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) == 0 {
		return a.UsageError(u, "usage.admin.department.add")
	}
	var words []string
	seen := map[string]bool{}
	for _, w := range m.Args {
		w, err := checkDeptName(w)
		if err != nil {
			return err
		}
		if seen[text.Fold(w)] {
			continue
		}
		if err := a.taken(w, 0); err != nil {
			return err
		}
		seen[text.Fold(w)] = true
		words = append(words, w)
	}
	var d store.Department
	err := a.Commit(ctx, func(tx *store.Tx) (err error) {
		if d, err = tx.Departments().Create(store.Department{Name: words[0], Aliases: words[1:]}); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditDeptAdd, strings.Join(d.Names(), ", "))
	})
	if err != nil {
		return fmt.Errorf("add department: %w", storeRefusal(err, words[0]))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.department.added", "Name", d.Name, "Aliases", a.aliasText(u, d))})
	return err
}

// aliasText lists a department's aliases, or says there are none.
func (a *Feature) aliasText(u store.User, d store.Department) string {
	return a.ListText(u, d.Aliases, "survey.none")
}

// renameDepartment answers /soudan admin department rename OLD NEW: the
// department and every member's department get the new name.
func (a *Feature) renameDepartment(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) < 2 {
		return a.UsageError(u, "usage.admin.department.rename")
	}
	d, err := a.departmentNamed(m.Args[0])
	if err != nil {
		return err
	}
	name, err := checkDeptName(strings.Join(m.Args[1:], " "))
	if err != nil {
		return err
	}
	if err := a.taken(name, d.ID); err != nil {
		return err
	}
	var n int
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if _, n, err = tx.Departments().Rename(d.ID, name); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditDeptRename, fmt.Sprintf("%s → %s (%d)", d.Name, name, n))
	})
	if err != nil {
		return fmt.Errorf("rename department: %w", storeRefusal(err, name))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.department.renamed", "From", handlers.Clean(d.Name), "To", name, "Count", n)})
	return err
}

// mergeDepartments answers /soudan admin department merge FROM INTO:
// FROM's members move to INTO, FROM's names become INTO's aliases, and
// FROM is gone, in one transaction.
func (a *Feature) mergeDepartments(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) != 2 {
		return a.UsageError(u, "usage.admin.department.merge")
	}
	from, err := a.departmentNamed(m.Args[0])
	if err != nil {
		return err
	}
	into, err := a.departmentNamed(m.Args[1])
	if err != nil {
		return err
	}
	if from.ID == into.ID {
		return bot.Errorf(bot.CodeConflict, "survey.department.error.same", "Name", handlers.Clean(from.Name))
	}
	var mg store.DepartmentMerge
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		if mg, err = tx.Departments().Merge(from.ID, into.ID); err != nil {
			return err
		}
		return handlers.AuditTx(tx, u, auditDeptMerge, fmt.Sprintf("%s → %s (%d)", mg.From.Name, mg.Into.Name, mg.Moved))
	})
	if err != nil {
		return fmt.Errorf("merge departments: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.department.merged",
		"From", handlers.Clean(mg.From.Name), "Into", handlers.Clean(mg.Into.Name), "Count", mg.Moved)})
	return err
}

// listDepartments answers /soudan admin department list: each department
// with its aliases and member count.
func (a *Feature) listDepartments(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var ds []store.Department
	var counts map[uint64]int
	err := a.View(func(tx *store.Tx) (err error) {
		if ds, err = tx.Departments().All(); err != nil {
			return err
		}
		counts, err = tx.Departments().Members()
		return err
	})
	if err != nil {
		return fmt.Errorf("list departments: %w", err)
	}
	if len(ds) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "survey.department.empty")})
		return err
	}
	fields := make([]bot.Field, 0, len(ds))
	for _, d := range ds {
		fields = append(fields, bot.Field{Label: handlers.Clean(d.Name), Value: a.T(u, "survey.department.entry",
			"Aliases", a.aliasText(u, d), "Count", counts[d.ID])})
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "survey.department.list.title", "Count", len(ds)), Fields: fields})
	return err
}
