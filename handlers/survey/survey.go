// Package survey is the monthly engagement survey and the surveys admins
// import: for now the canonical list of departments reports group people
// by (/soudan admin department) and the survey definitions
// (/soudan survey list, soudan survey import FILE).
package survey

import (
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
)

// Audit actions of the survey feature.
const (
	auditDeptAdd    = "department.add"
	auditDeptRename = "department.rename"
	auditDeptMerge  = "department.merge"
)

// Feature is the survey feature.
type Feature struct {
	*handlers.Kit
}

// New returns the survey feature.
func New(k *handlers.Kit) *Feature { return &Feature{Kit: k} }

// Register adds /soudan admin department and /soudan survey.
func (a *Feature) Register(rt *bot.Router) {
	a.DescribeAudit(auditDeptAdd, "admin.audit.action.department_add")
	a.DescribeAudit(auditDeptRename, "admin.audit.action.department_rename")
	a.DescribeAudit(auditDeptMerge, "admin.audit.action.department_merge")
	rt.Command(bot.Command{Name: "admin", Role: store.RoleAdmin, Sub: []bot.Command{
		{Name: "department", Aliases: []string{"部署", "所属"}, UsageKey: "usage.admin.department", Sub: []bot.Command{
			{Name: "add", Aliases: []string{"追加"}, UsageKey: "usage.admin.department.add", Handler: a.addDepartment},
			{Name: "rename", Aliases: []string{"改名", "名前変更"}, UsageKey: "usage.admin.department.rename", Handler: a.renameDepartment},
			{Name: "merge", Aliases: []string{"統合"}, UsageKey: "usage.admin.department.merge", Handler: a.mergeDepartments},
			{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.admin.department.list", Handler: a.listDepartments},
		}},
	}})
	rt.Command(bot.Command{
		Name:     "survey",
		Aliases:  []string{"アンケート", "調査"},
		UsageKey: "usage.survey",
		Role:     store.RoleAdmin,
		Sub: []bot.Command{
			{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.survey.list", Handler: a.listSurveys},
		},
	})
}
