package main

// What an imported row does not say, and what it may have wrong: the one
// workspace defaulted, Slack ids looked up by email, departments and
// manager_of cells that name nothing on the list.

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/slack"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// managerWarnings notes manager_of cells naming a department no row of
// the file has (text.SameName), which is likely a typo; they are not
// errors, as the department's members may be imported later.
func managerWarnings(rows []importRow) []lineError {
	var depts []string
	for _, r := range rows {
		if r.Dept != "" {
			depts = append(depts, r.Dept)
		}
	}
	var ws []lineError
	for _, r := range rows {
		for _, m := range managerOfList(r.ManagerOf) {
			if len(depts) > 0 && !slices.ContainsFunc(depts, func(d string) bool { return text.SameName(d, m) }) {
				ws = append(ws, lineError{r.Line, fmt.Sprintf("note: manager_of %q is no one's department in this file (a typo?); applied as given", m)})
			}
		}
	}
	return ws
}

// directoryFacts are what the data file knows that an import checks rows
// against.
type directoryFacts struct {
	workspaces  []store.UserKey // distinct chat platforms and workspaces of its users (PlatformID empty)
	departments []store.Department
}

// readDirectoryFacts reads the workspaces of the users (Slack and Teams
// ones) and the department list of st.
func readDirectoryFacts(st *store.Store) (directoryFacts, error) {
	var d directoryFacts
	err := st.View(func(tx *store.Tx) error {
		us, err := tx.Users().All()
		if err != nil {
			return err
		}
		for _, u := range us {
			k := store.UserKey{Platform: u.Platform, Workspace: u.Workspace}
			if (u.Platform == bot.PlatformSlack || u.Platform == bot.PlatformTeams) && u.Workspace != "" && !slices.Contains(d.workspaces, k) {
				d.workspaces = append(d.workspaces, k)
			}
		}
		d.departments, err = tx.Departments().All()
		return err
	})
	return d, err
}

// importDefaults decides the platform and workspace of rows that give
// none: the one workspace the data file's users and the settings (a
// single-tenant Teams bot's tenant) know, if exactly one.
func (m *Main) importDefaults(fromFile []store.UserKey) importDefaults {
	known := slices.Clone(fromFile)
	from := "the only workspace of the data file's users"
	if m.Config.TeamsTenantID != "" {
		if k := (store.UserKey{Platform: bot.PlatformTeams, Workspace: m.Config.TeamsTenantID}); !slices.Contains(known, k) {
			known = append(known, k)
			if len(known) == 1 {
				from = "the Teams tenant of -teams-tenant-id"
			}
		}
	}
	switch len(known) {
	case 1:
		return importDefaults{Platform: known[0].Platform, Workspace: known[0].Workspace, From: from}
	case 0:
		return importDefaults{From: "the data file has no Slack or Teams users yet and no -teams-tenant-id is set"}
	}
	var names []string
	for _, k := range known {
		names = append(names, k.Platform+"/"+k.Workspace)
	}
	return importDefaults{From: "the data file knows " + strings.Join(names, ", ")}
}

// departmentWarnings notes departments and manager_of departments of the
// rows that the department list lacks (reports group people by the list,
// so a department outside it is likely a spelling to add as an alias),
// each once, at its first line. With an empty list there is nothing to
// check against.
func departmentWarnings(rows []importRow, list []store.Department) []lineError {
	if len(list) == 0 {
		return nil
	}
	listed := func(name string) bool {
		return slices.ContainsFunc(list, func(d store.Department) bool {
			return slices.ContainsFunc(d.Names(), func(n string) bool { return text.SameName(n, name) })
		})
	}
	var ws []lineError
	var seen []string
	note := func(line int, col, name string) {
		if name == "" || listed(name) || slices.ContainsFunc(seen, func(s string) bool { return text.SameName(s, name) }) {
			return
		}
		seen = append(seen, name)
		ws = append(ws, lineError{line, fmt.Sprintf("note: %s %q is not in the department list (/soudan admin department add, or an alias of a listed one); applied as given", col, name)})
	}
	for _, r := range rows {
		note(r.Line, colDepartment, r.Dept)
		for _, d := range managerOfList(r.ManagerOf) {
			note(r.Line, colManagerOf, d)
		}
	}
	return ws
}

// resolveEmails finds the Slack user id of each Slack row that gives only
// an email, with users.lookupByEmail when -slack-bot-token is set. A row
// whose email finds no one, or any email-only row without the token,
// becomes an error of its line. Failures that are not about one row (a
// bad token, the network) fail the import. It then reports rows that turn
// out to name a user another row names.
func (m *Main) resolveEmails(ctx context.Context, f *usersFile) error {
	var client bot.EmailLookup
	if m.Config.SlackBotToken != "" {
		d, err := slack.NewDirectory(m.Config.SlackBotToken, m.Config.SlackAPIURL, m.log)
		if err != nil {
			return err
		}
		client = d
	}
	rows := f.Rows[:0]
	byEmail := map[string]string{} // lower-case email → id, per lookup
	for _, r := range f.Rows {
		if r.UserID != "" || r.Platform != bot.PlatformSlack {
			rows = append(rows, r)
			continue
		}
		if client == nil {
			f.addError(r.Line, "Slack user with only an email: set -slack-bot-token (scope users:read.email) to look the id up, or give the user column")
			continue
		}
		email := strings.ToLower(r.Email)
		id, ok := byEmail[email]
		if !ok {
			var err error
			id, err = client.LookupEmail(ctx, r.Email)
			if err != nil {
				return err
			}
			byEmail[email] = id
		}
		if id == "" {
			f.addError(r.Line, "no Slack user has this email (users.lookupByEmail: users_not_found)")
			continue
		}
		r.UserID = id
		rows = append(rows, r)
	}
	f.Rows = rows
	// An id found by email may be one another line gives.
	seen := map[string]int{}
	rows = f.Rows[:0]
	for _, r := range f.Rows {
		k := userKeyString(r.key())
		if first, dup := seen[k]; dup {
			f.addError(r.Line, "the same user as line %d (%s)", first, k)
			continue
		}
		seen[k] = r.Line
		rows = append(rows, r)
	}
	f.Rows = rows
	slices.SortFunc(f.Rows, func(a, b importRow) int { return a.Line - b.Line })
	f.sortErrors()
	return nil
}
