// Package admin is soudan's administration: roles, topics and their
// channels, the business calendar's closed days, hot backups, the audit
// log, retention (the daily purge) and forgetting a person on request.
package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// maxAudit is how many audit entries /soudan admin audit shows.
const maxAudit = 20

// Audit actions written by the admin commands.
const (
	auditGrant    = "grant"
	auditRevoke   = "revoke"
	auditTopicAdd = "topic.add"
	auditTopicMap = "topic.map"

	auditTopicRename = "topic.rename"
	auditTopicRemove = "topic.remove"
	auditTopicUnmap  = "topic.unmap"
	auditBackup      = "backup"
)

// Feature is administration: roles, topics and their channels, backups
// and the audit log. Other features add their own admin subcommands
// (closed days, broadcasts) under the same "admin" command.
type Feature struct {
	*handlers.Kit
	opt Options
}

// Options are what the admin feature gets from outside the handlers.
type Options struct {
	// Backup writes a consistent copy of the data file, taken while the
	// bot serves, into the configured backup directory, and returns the
	// new file's name and size. nil: no backup directory is configured,
	// and /soudan admin backup says so.
	Backup func(ctx context.Context, now time.Time) (name string, size int64, err error)
	// RetentionMonths is how long finished consultations are kept: the
	// daily retention job purges those finished longer ago. 0 keeps them
	// forever.
	RetentionMonths int
	// Purgers are purged by the retention job after the consultations.
	Purgers []Purger
	// Forgetters run in /soudan admin forget's transaction.
	Forgetters []Forgetter
}

// New returns the admin feature without a backup directory.
func New(k *handlers.Kit) *Feature { return NewWith(k, Options{}) }

// NewWith returns the admin feature with options.
func NewWith(k *handlers.Kit, o Options) *Feature { return &Feature{Kit: k, opt: o} }

// Register adds the admin command: role grants, topics and the audit
// log. Every subcommand needs the admin role.
func (a *Feature) Register(rt *bot.Router) {
	a.DescribeAudit(auditGrant, "admin.audit.action.grant")
	a.DescribeAudit(auditRevoke, "admin.audit.action.revoke")
	a.DescribeAudit(auditTopicAdd, "admin.audit.action.topic_add")
	a.DescribeAudit(auditTopicMap, "admin.audit.action.topic_map")
	a.DescribeAudit(auditTopicRename, "admin.audit.action.topic_rename")
	a.DescribeAudit(auditTopicRemove, "admin.audit.action.topic_remove")
	a.DescribeAudit(auditTopicUnmap, "admin.audit.action.topic_unmap")
	a.DescribeAudit(store.AuditUpgrade, "admin.audit.action.upgrade") // what an upgrade merged or dropped on its own
	a.DescribeAudit(auditBackup, "admin.audit.action.backup")
	a.DescribeAudit(auditClosedAdd, "admin.audit.action.calendar_closed")
	a.DescribeAudit(auditClosedRemove, "admin.audit.action.calendar_open")
	a.DescribeAudit(auditForget, "admin.audit.action.forget")
	a.DescribeAudit(auditPurge, "admin.audit.action.purge")
	rt.Action(actionForgetConfirm, a.forgetConfirm)
	rt.Action(actionForgetCancel, a.forgetCancel)
	rt.Command(bot.Command{
		Name:     "admin",
		Aliases:  []string{"管理"},
		UsageKey: "usage.admin",
		Role:     store.RoleAdmin,
		Sub: []bot.Command{
			{Name: "grant", Aliases: []string{"付与"}, UsageKey: "usage.admin.grant", Handler: a.grantRole},
			{Name: "revoke", Aliases: []string{"剥奪"}, UsageKey: "usage.admin.revoke", Handler: a.revokeRole},
			{Name: "topic", Aliases: []string{"トピック", "テーマ"}, UsageKey: "usage.admin.topic", Sub: []bot.Command{
				{Name: "add", Aliases: []string{"追加"}, UsageKey: "usage.admin.topic.add", Handler: a.addTopic},
				{Name: "list", Aliases: []string{"一覧"}, UsageKey: "usage.admin.topic.list", Handler: a.listTopics},
				{Name: "map", Aliases: []string{"割当", "割り当て"}, UsageKey: "usage.admin.topic.map", Handler: a.mapTopic},
				{Name: "unmap", Aliases: []string{"割当解除"}, UsageKey: "usage.admin.topic.unmap", Handler: a.unmapTopic},
				{Name: "rename", Aliases: []string{"改名", "名前変更"}, UsageKey: "usage.admin.topic.rename", Handler: a.renameTopic},
				{Name: "remove", Aliases: []string{"削除"}, UsageKey: "usage.admin.topic.remove", Handler: a.removeTopic},
			}},
			a.closedCommand(),
			{Name: "backup", Aliases: []string{"バックアップ"}, UsageKey: "usage.admin.backup", Handler: a.backup},
			a.forgetCommand(),
			{Name: "audit", Aliases: []string{"監査", "履歴"}, UsageKey: "usage.admin.audit", Handler: a.showAudit},
		},
	})
}

// grantRole answers /soudan admin grant <user> <role>.
func (a *Feature) grantRole(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.changeRole(ctx, m, r, true)
}

// revokeRole answers /soudan admin revoke <user> <role>. It refuses to
// remove the last admin.
func (a *Feature) revokeRole(ctx context.Context, m *bot.Message, r bot.Responder) error {
	return a.changeRole(ctx, m, r, false)
}

// changeRole grants (on) or revokes a role: "USER ROLE", where the
// words before the role name the user. A manager manages departments:
// "grant USER manager DEPT..." adds departments (a manager may hold
// several), "revoke USER manager DEPT..." removes them (and the role with
// the last), "revoke USER manager" removes the role and every department.
func (a *Feature) changeRole(ctx context.Context, m *bot.Message, r bot.Responder, on bool) error {
	actor := handlers.UserFrom(ctx)
	usage, action := "usage.admin.revoke", auditRevoke
	if on {
		usage, action = "usage.admin.grant", auditGrant
	}
	if len(m.Args) < 2 {
		return a.UsageError(actor, usage)
	}
	args, deptArgs := m.Args, []string(nil)
	// The role is the last word that names one, after the user's words.
	for i := len(m.Args) - 1; i >= 1; i-- {
		if r, ok := parseRole(m.Args[i]); ok {
			if r == store.RoleManager {
				args, deptArgs = m.Args[:i+1], m.Args[i+1:]
			}
			break
		}
	}
	role, ok := parseRole(args[len(args)-1])
	if !ok {
		return bot.Errorf(bot.CodeInvalid, "admin.error.bad_role", "Role", handlers.Clean(args[len(args)-1]), "Roles", strings.Join(roles, ", "))
	}
	target, err := a.resolveUser(ctx, m, strings.Join(args[:len(args)-1], " "), on)
	if err != nil {
		return err
	}
	// Reading the target, the last-admin check, the change and its audit
	// entry are one unit of work: two admins revoking each other at once
	// cannot leave no admin, and no change goes unaudited.
	var res roleChange
	targetID := target.ID // Commit may run the function again: it must not read what it set
	err = a.Commit(ctx, func(tx *store.Tx) error {
		var err error
		if target, err = tx.Users().ByID(targetID); err != nil {
			return fmt.Errorf("%s role: %w", action, err)
		}
		depts, err := departmentsNamed(tx, deptArgs)
		if err != nil {
			return err
		}
		if res, err = planRole(target, role, on, depts); err != nil {
			return err
		}
		if !res.changed {
			return nil
		}
		if !on && role == store.RoleAdmin {
			admins, err := tx.Users().WithRole(store.RoleAdmin)
			if err != nil {
				return fmt.Errorf("revoke role: %w", err)
			}
			if len(admins) <= 1 {
				return bot.Errorf(bot.CodeConflict, "admin.error.last_admin")
			}
		}
		if target.HasRole(role) != res.holds {
			if target, err = tx.Users().SetRole(target.ID, role, res.holds); err != nil {
				return fmt.Errorf("%s role: %w", action, err)
			}
		}
		if role == store.RoleManager {
			if target, err = tx.Users().Update(target.ID, func(u *store.User) error { u.ManagerOf = res.manages; return nil }); err != nil {
				return fmt.Errorf("%s role: %w", action, err)
			}
		}
		detail := fmt.Sprintf("%s (#%d %s/%s): %s", target.Name, target.ID, target.Platform, target.PlatformID, role)
		if len(res.depts) > 0 {
			detail += " " + strings.Join(res.depts, ", ")
		}
		return handlers.AuditTx(tx, actor, action, detail)
	})
	if err != nil {
		return err
	}
	who, roleName := a.T(actor, "admin.user", "Name", handlers.Clean(target.Name), "ID", target.ID), a.roleName(actor, role)
	var key string
	switch {
	case !res.changed && on:
		key = "admin.role.already"
	case !res.changed:
		key = "admin.role.not_held"
	case on:
		key = "admin.role.granted"
	default:
		key = "admin.role.revoked"
	}
	if role == store.RoleManager {
		key += "_manager"
		if key == "admin.role.revoked_manager" && !res.holds {
			key = "admin.role.revoked_manager_all" // the last department: the role goes too
		}
	}
	text := a.T(actor, key, "User", who, "Role", roleName,
		"Departments", a.ListText(actor, res.depts, "admin.role.no_departments"),
		"Manages", a.ListText(actor, res.manages, "admin.role.no_departments"))
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: text})
	return err
}

// roleChange is what a grant or revoke does to a user.
type roleChange struct {
	changed bool
	holds   bool                  // whether the user holds the role after it
	manages store.DepartmentNames // a manager's departments after it
	depts   []string              // the departments the command named, canonical
}

// planRole decides what granting (on) or revoking role, with the
// departments named (canonical names) for a manager, does to u.
func planRole(u store.User, role string, on bool, depts []string) (roleChange, error) {
	res := roleChange{holds: u.HasRole(role), manages: u.ManagerOf, depts: depts}
	if role != store.RoleManager {
		res.changed = res.holds != on
		res.holds = on
		return res, nil
	}
	switch {
	case on && len(depts) == 0 && len(u.ManagerOf) == 0:
		// A manager of nothing sees nothing: ask for the department.
		return res, bot.Errorf(bot.CodeInvalid, "admin.error.manager_needs_department", "User", handlers.Clean(u.Name))
	case on:
		for _, d := range depts {
			res.manages = res.manages.With(d)
		}
		res.holds = true
	case len(depts) == 0:
		res.depts, res.manages, res.holds = u.ManagerOf, nil, false
	case len(u.ManagerOf) == 0:
		return res, nil // not a manager of anything: nothing to revoke
	default:
		for _, d := range depts {
			if !u.Manages(d) {
				return res, bot.Errorf(bot.CodeConflict, "admin.error.not_manager_of", "User", handlers.Clean(u.Name), "Department", d,
					"Manages", strings.Join(u.ManagerOf, ", "))
			}
			res.manages = res.manages.Without(d)
		}
		res.holds = len(res.manages) > 0
	}
	res.changed = res.holds != u.HasRole(role) || !slices.Equal(res.manages, u.ManagerOf)
	if !res.changed && on {
		res.depts = u.ManagerOf
	}
	return res, nil
}

// departmentsNamed reads the departments a manager grant or revoke names:
// all its words as one name when a department has it ("総務 課"),
// otherwise each word or comma-separated part ("総務課 人事課",
// "総務課、人事課"). Aliases give the canonical name; a name of no
// department is refused.
func departmentsNamed(tx *store.Tx, words []string) ([]string, error) {
	if len(words) == 0 {
		return nil, nil
	}
	if d, err := tx.Departments().ByName(strings.Join(words, " ")); err == nil {
		return []string{d.Name}, nil
	}
	var out []string
	for _, w := range words {
		for _, name := range strings.FieldsFunc(w, func(r rune) bool { return r == ',' || r == '、' || r == '，' || r == '､' }) {
			name = strings.TrimSpace(handlers.Clean(name))
			if name == "" {
				continue
			}
			d, err := tx.Departments().ByName(name)
			if errors.Is(err, store.ErrNotFound) {
				return nil, bot.Errorf(bot.CodeNotFound, "admin.error.no_department", "Name", name)
			}
			if err != nil {
				return nil, err
			}
			if !slices.Contains(out, d.Name) {
				out = append(out, d.Name)
			}
		}
	}
	return out, nil
}

// roles are the roles an admin can grant, in the order refusals list them.
var roles = []string{store.RoleAdmin, store.RoleManager, store.RoleHR}

// parseRole reads a role name as typed ("admin", "ＡＤＭＩＮ").
func parseRole(s string) (string, bool) {
	s = text.Normalize(s)
	for _, r := range roles {
		if s == r {
			return r, true
		}
	}
	return "", false
}

// roleName is a role's name in u's language.
func (a *Feature) roleName(u store.User, role string) string {
	switch role {
	case store.RoleAdmin:
		return a.T(u, "admin.role.name.admin")
	case store.RoleManager:
		return a.T(u, "admin.role.name.manager")
	case store.RoleHR:
		return a.T(u, "admin.role.name.hr")
	}
	return role
}

// resolveUser finds the user an admin names on the message's platform: a
// mention token "<@ID>", "#12" (a store id), or a platform id or display
// name with or without "@". With create, a mentioned user the bot has not
// met yet is created.
func (a *Feature) resolveUser(ctx context.Context, m *bot.Message, arg string, create bool) (store.User, error) {
	k := store.UserKey{Platform: m.Address.Platform, Workspace: m.Address.Workspace}
	notFound := bot.Errorf(bot.CodeNotFound, "admin.error.user_not_found", "User", handlers.Clean(arg))
	if id, ok := mentionID(arg); ok {
		k.PlatformID = id
		u, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(k) })
		switch {
		case err == nil:
			return u, nil
		case !errors.Is(err, store.ErrNotFound):
			return u, fmt.Errorf("resolve user: %w", err)
		case create:
			return a.UserByPlatformID(ctx, m.Address, id)
		}
		return u, notFound
	}
	if strings.HasPrefix(text.Normalize(arg), "#") {
		id, ok := handlers.ParseID(arg)
		if !ok {
			return store.User{}, notFound
		}
		u, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByID(id) })
		switch {
		case errors.Is(err, store.ErrNotFound):
			return u, notFound
		case err != nil:
			return u, fmt.Errorf("resolve user: %w", err)
		case u.Platform != k.Platform || u.Workspace != k.Workspace:
			return store.User{}, notFound
		}
		return u, nil
	}
	name := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(arg), "@"), "＠")
	k.PlatformID = name
	if u, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(k) }); err == nil {
		return u, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return u, fmt.Errorf("resolve user: %w", err)
	}
	all, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.User, error) { return tx.Users().ByName(name) })
	if err != nil {
		return store.User{}, fmt.Errorf("resolve user: %w", err)
	}
	var here []store.User
	var ids []string
	for _, u := range all {
		if u.Platform == k.Platform && u.Workspace == k.Workspace {
			here = append(here, u)
			ids = append(ids, fmt.Sprintf("#%d", u.ID))
		}
	}
	switch len(here) {
	case 0:
		return store.User{}, notFound
	case 1:
		return here[0], nil
	}
	return store.User{}, bot.Errorf(bot.CodeInvalid, "admin.error.ambiguous_user", "User", handlers.Clean(arg), "IDs", strings.Join(ids, ", "))
}

// mentionID returns the platform id in a mention token "<@ID>" or
// "<@ID|name>".
func mentionID(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "<@") || !strings.HasSuffix(s, ">") {
		return "", false
	}
	id, _, _ := strings.Cut(s[2:len(s)-1], "|")
	return id, id != ""
}

// showAudit answers /soudan admin audit with the latest audit entries.
func (a *Feature) showAudit(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	var es []store.AuditEntry
	users := map[uint64]store.User{}
	err := a.View(func(tx *store.Tx) (err error) {
		if es, err = tx.AuditLog(maxAudit); err != nil {
			return err
		}
		for _, e := range es {
			if _, ok := users[e.UserID]; !ok {
				if au, err := tx.Users().ByID(e.UserID); err == nil {
					users[e.UserID] = au
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read audit log: %w", err)
	}
	if len(es) == 0 {
		_, err := r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.audit.empty")})
		return err
	}
	names := map[uint64]string{}
	lines := make([]string, 0, len(es))
	for _, e := range es {
		name, ok := names[e.UserID]
		if !ok {
			name = a.T(u, "admin.user", "Name", "?", "ID", e.UserID)
			if au, ok := users[e.UserID]; ok {
				name = a.T(u, "admin.user", "Name", handlers.Clean(au.Name), "ID", au.ID)
			} else if e.UserID == 0 {
				name = "soudan" // the store itself, e.g. an upgrade (store.AuditUpgrade)
			}
			names[e.UserID] = name
		}
		lines = append(lines, a.T(u, "admin.audit.line",
			"Time", e.At.In(a.Config.Location).Format("2006-01-02 15:04"),
			"User", name, "Action", a.AuditLabel(u, e.Action), "Detail", handlers.Clean(e.Detail)))
	}
	_, err = r.Reply(ctx, bot.Reply{
		Ephemeral: !m.Direct,
		Title:     a.T(u, "admin.audit.title", "Count", len(es)),
		Text:      strings.Join(lines, "\n"),
	})
	return err
}
