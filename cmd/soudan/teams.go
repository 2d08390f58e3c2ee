package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/teams"
	teamsapp "github.com/soudan/soudan/deploy/teams"
)

// teamsDefaultAddr is where Teams listens unless -teams-addr says.
const teamsDefaultAddr = teams.DefaultAddr

// teamsPlatform serves Teams once the app id is set (authenticated), or
// the listen address alone (unauthenticated, for local testing).
var teamsPlatform = platform{
	name:       bot.PlatformTeams,
	configured: func(c *Config) bool { return c.TeamsAppID != "" || c.TeamsAddr != "" },
	open: func(m *Main) (bot.Adapter, error) {
		c := &m.Config
		addr := c.TeamsAddr
		if addr == "" {
			addr = teamsDefaultAddr
		}
		return teams.New(teams.Options{
			AppID:       c.TeamsAppID,
			AppPassword: c.TeamsAppPassword,
			TenantID:    c.TeamsTenantID,
			Addr:        addr,
			External:    c.Listen != "", // served on -listen by serve
			BotName:     botName,
			Log:         m.log,
			Now:         m.Now,
			State:       storePorts{m.store}, // users' service URLs survive a restart
		})
	},
	mount: func(ctx context.Context, a bot.Adapter, d bot.Dispatcher, mux *http.ServeMux) {
		if ta, ok := a.(*teams.Adapter); ok {
			mux.Handle("POST "+teams.Path, ta.Handler(ctx, d))
		}
	},
}

// appIDPattern is a Microsoft app id: a GUID.
var appIDPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// validateTeams checks the Teams settings. Messages never quote the
// password.
func validateTeams(c *Config) []settingError {
	var errs []settingError
	c.TeamsAppID = strings.TrimSpace(c.TeamsAppID)
	c.TeamsAppPassword = strings.TrimSpace(c.TeamsAppPassword)
	c.TeamsTenantID = strings.TrimSpace(c.TeamsTenantID)
	c.TeamsAddr = strings.TrimSpace(c.TeamsAddr)
	if c.TeamsAppID != "" && !appIDPattern.MatchString(c.TeamsAppID) {
		errs = append(errs, settingError{"teams-app-id", "not a Microsoft app id; want a GUID such as 00000000-0000-0000-0000-000000000000 (Azure Bot > Configuration > Microsoft App ID)"})
	}
	if c.TeamsAppID != "" && c.TeamsAppPassword == "" && !c.packageOnly {
		errs = append(errs, settingError{"teams-app-password", "missing: the app id needs its client secret"})
	}
	if c.TeamsAppID == "" && c.TeamsAppPassword != "" {
		errs = append(errs, settingError{"teams-app-id", "missing: an app password was given without its app id"})
	}
	if c.TeamsTenantID != "" && !appIDPattern.MatchString(c.TeamsTenantID) {
		errs = append(errs, settingError{"teams-tenant-id", "not a tenant id; want a GUID (Microsoft Entra ID > Overview > Tenant ID)"})
	}
	if c.TeamsTenantID != "" && c.TeamsAppID == "" {
		errs = append(errs, settingError{"teams-tenant-id", "a single-tenant bot needs its app id (-teams-app-id)"})
	}
	if c.TeamsAddr != "" {
		if _, _, err := net.SplitHostPort(c.TeamsAddr); err != nil {
			errs = append(errs, settingError{"teams-addr", fmt.Sprintf("%q is not host:port, such as :3978", c.TeamsAddr)})
		}
	}
	return errs
}

// teamsPackage writes the Teams app package: the manifest with the
// configured app id, and the two icons.
func (m *Main) teamsPackage(out string) error {
	id := m.Config.TeamsAppID
	if id == "" {
		return fmt.Errorf("teams-package: set the app id (-teams-app-id or SOUDAN_TEAMS_APP_ID): the manifest names the bot by it")
	}
	if err := m.checkNewFile("teams-package", out); err != nil {
		return err
	}
	err := writeAtomic(out, ".soudan-teams-*", func(f *os.File) error { return teamsapp.WritePackage(f, id) })
	if err != nil {
		return fmt.Errorf("teams-package: %w", err)
	}
	_, err = fmt.Fprintf(m.Stdout, "wrote %s: upload it in Teams (Apps > Manage your apps > Upload an app)\n", out)
	return err
}
