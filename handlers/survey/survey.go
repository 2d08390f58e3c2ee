// Package survey is the monthly engagement survey and the surveys admins
// import: the canonical list of departments reports group people by
// (/soudan admin department), the definitions (/soudan survey list,
// soudan survey import FILE), rounds (survey send, the schedule, the DM
// prompt and its form, reminders to non-respondents, survey close) and
// the reports (survey status, report, export, and the managers' and hr's
// DMs when a round closes), every figure through figures.Publish (handlers/figures).
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
	opt Options
}

// New returns the survey feature.
func New(k *handlers.Kit, opt Options) *Feature {
	if opt.RemindEvery <= 0 {
		opt.RemindEvery = 3
	}
	if opt.FollowUp == (FollowUp{}) {
		opt.FollowUp = DefaultFollowUp
	}
	return &Feature{Kit: k, opt: opt}
}

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
	a.DescribeAudit(auditSend, "survey.audit.send")
	a.DescribeAudit(auditClose, "survey.audit.close")
	a.DescribeAudit(auditInvite, "survey.audit.invite")
	rt.Command(bot.Command{
		Name:     "survey",
		Aliases:  []string{"アンケート", "調査"},
		UsageKey: "usage.survey",
		Sub: []bot.Command{
			{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.survey.list", Role: store.RoleAdmin, Handler: a.listSurveys},
			{Name: "send", Aliases: []string{"送信", "配信"}, UsageKey: "usage.survey.send", Role: store.RoleAdmin, Handler: a.sendSurvey},
			{Name: "status", Aliases: []string{"状況"}, UsageKey: "usage.survey.status", Handler: a.statusCommand},
			{Name: "report", Aliases: []string{"結果", "レポート"}, UsageKey: "usage.survey.report", Handler: a.reportCommand},
			{Name: "close", Aliases: []string{"締切", "終了"}, UsageKey: "usage.survey.close", Role: store.RoleAdmin, Handler: a.closeCommand},
			{Name: "invite", Aliases: []string{"追加招待", "招待"}, UsageKey: "usage.survey.invite", Role: store.RoleAdmin, Handler: a.inviteCommand},
			{Name: "export", Aliases: []string{"出力", "エクスポート"}, UsageKey: "usage.survey.export", Handler: a.exportCommand},
		},
	})
	rt.Action(actionSend, a.confirmSend)
	rt.Action(actionSendCancel, a.cancelSend)
	rt.Action(actionAnswer, a.answerAction)
	rt.Form(formAnswer, a.answerSubmit)
}
