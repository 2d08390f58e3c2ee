package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
	"github.com/soudan/soudan/handlers/survey"
	"github.com/soudan/soudan/store/pgstore"
)

// envPrefix is the prefix of the environment variables that mirror flags:
// -log-level is SOUDAN_LOG_LEVEL.
const envPrefix = "SOUDAN"

// Config is every setting, from flags, SOUDAN_* environment variables and
// the optional config file, in that order of precedence.
type Config struct {
	// packageOnly is set for teams-package, which needs the app id but not
	// the secret: the package names the bot, it does not sign in.
	packageOnly bool
	// importOnly is set for import, which needs only the Slack bot token
	// (to look ids up by email), not a way to receive events.
	importOnly bool

	DB           string // data file
	Store        string // postgres://… : the store on PostgreSQL instead of the data file
	Replica      string // this process's name among replicas sharing Store; empty: hostname-pid
	MigrateFrom  string // migrate: the database copied (a data file or postgres://…)
	MigrateTo    string // migrate: the empty database it is copied into
	ConfigFile   string // optional config file
	Lang         string // default language for users whose locale is unknown
	TZ           string // time zone of schedules
	LogLevel     string // debug|info|warn|error; empty: info, warn in console mode
	LogFormat    string // text|json
	MaxRouted    int    // mentors asked per question
	DefaultTopic string // topic for questions that match none
	Admins       string // comma list of platform:userID granted admin when first seen
	MaxText      int    // longest accepted message, in characters
	InboxDepth   int    // recorded, unhandled events before new ones are refused
	Demo         bool   // seed sample topics and mentors; the data file defaults to demoDB
	ConsoleUser  string // the console user before any :as
	Force        bool   // backup, export, teams-package: replace an existing output
	BackupDir    string // hot backups: the daily job and /soudan admin backup write here; empty: none
	BackupKeep   int    // hot backups kept in BackupDir
	Listen       string // serve: the one listener of everything over HTTP; empty: each adapter its own
	DryRun       bool   // import: report what would change, change nothing
	SkipInvalid  bool   // import: apply the valid lines of a file with errors
	Retention    int    // months finished consultations are kept; 0: forever
	Pprof        bool   // serve /debug/pprof/ on -listen, to loopback clients only
	TipOfWeek    string // comma list of platform:channel the tip of the week is posted to
	ReportURL    string // public base URL of the report pages' links; empty: the -listen address

	// dbGiven is set by ParseFlags when -db, SOUDAN_DB or the config file
	// named the data file, so that -demo keeps off the default one.
	dbGiven bool

	// Slack (see deploy/slack/README.md). The tokens and the secret are
	// never printed: not by -h, not in logs, not in errors.
	SlackBotToken      string // xoxb-…: turns the Slack adapter on
	SlackAppToken      string // xapp-…: Socket Mode (the default)
	SlackSigningSecret string // HTTP mode: verifies Slack's requests
	HTTPAddr           string // HTTP mode: listen address
	SlackAPIURL        string // Slack Web API base URL

	// Teams (see deploy/teams/README.md). The app password is never
	// printed: not by -h, not in logs, not in errors.
	TeamsAppID       string // Microsoft app id: turns Teams on, authenticated
	TeamsAppPassword string // its client secret
	TeamsTenantID    string // single-tenant bots: the tenant
	TeamsAddr        string // listener of /api/messages; setting it alone runs Teams unauthenticated

	// Delivery and reminders (see delivery_config.go).
	BusinessHours      string // working hours, "9:00-18:00"
	RemindAfterHours   int    // unanswered: remind mentors after these working hours
	EscalateAfterHours int    // unanswered: escalate after these working hours
	ResolveAfterDays   int    // answered and quiet: ask the asker to resolve
	CloseAfterDays     int    // answered and quiet: close
	DeliveryLimits     string // "slack=20/1,teams=50/1"; empty: the defaults

	// Surveys.
	SurveySchedule    string // comma list of survey ids opened on the first business day of each month
	SurveyRemindEvery int    // business days between reminders to non-respondents
	SurveyFollowUp    string // hr's follow-up thresholds: "LOW5,LOW10,DROP"

	// Resolved by Validate.
	location       *time.Location
	surveySchedule []string
	surveyFollowUp survey.FollowUp
	admins         []string
	tipWeek        []bot.Address
	delivery       deliverySettings
}

// Default data files: soudan's, and the -demo one, kept apart so that
// sample topics and mentors never end up in the file a chat platform
// is later served from.
const (
	defaultDB = "./soudan.db"
	demoDB    = "./soudan-demo.db"
)

// DataFile is the data file in use: -db (or SOUDAN_DB, or the config
// file) when given; otherwise demoDB with -demo, defaultDB without.
func (cfg *Config) DataFile() string {
	if cfg.Demo && !cfg.dbGiven {
		return demoDB
	}
	return cfg.DB
}

// defaultConsoleUser is $USER, or "user" when it is unset or not one word.
func defaultConsoleUser() string {
	u := os.Getenv("USER")
	if u == "" || strings.ContainsFunc(u, unicode.IsSpace) {
		return "user"
	}
	return u
}

// flagSet returns the flag set of every setting, bound to cfg and filled
// with the defaults. The help lists them in settingOrder.
func (cfg *Config) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("soudan", flag.ContinueOnError)
	fs.StringVar(&cfg.DB, "db", defaultDB, "data file (default "+defaultDB+"); with -demo and no -db or SOUDAN_DB: "+demoDB)
	fs.StringVar(&cfg.Store, "store", "", "serve, console: keep everything in the PostgreSQL database at this postgres:// URL instead of the data file (several soudan processes may share it; see docs/deploying.md); empty: the data file -db")
	fs.StringVar(&cfg.Replica, "replica", "", "serve with -store: this process's name among the replicas sharing the database, in its logs, its metrics and the outbox items it claims; keep it the same across restarts (e.g. soudan@1) so a restarted replica settles its own sends in flight at once (default hostname-pid)")
	fs.StringVar(&cfg.MigrateFrom, "from", "", "migrate: the database to copy, a data file or a postgres:// URL")
	fs.StringVar(&cfg.MigrateTo, "to", "", "migrate: the database to copy it into, a data file or a postgres:// URL; it must be empty")
	fs.StringVar(&cfg.ConfigFile, "config", "", "config file of \"name value\" lines (see below)")
	fs.StringVar(&cfg.Lang, "lang", "ja", "default language for users whose locale is unknown: ja or en")
	fs.StringVar(&cfg.TZ, "tz", "Asia/Tokyo", "time zone of schedules and of dates shown, an IANA name")
	fs.StringVar(&cfg.LogLevel, "log-level", "", "log level: debug, info, warn or error (default info; warn in console mode)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&cfg.MaxRouted, "max-routed", 3, "mentors asked per question")
	fs.StringVar(&cfg.DefaultTopic, "default-topic", "その他", "topic for questions that match none")
	fs.StringVar(&cfg.Admins, "admins", "", "platform:userID,... granted admin when soudan first sees them (known users: /soudan admin grant), e.g. slack:U012AB3CD,teams:29:1xyz")
	fs.IntVar(&cfg.MaxText, "max-text", 4000, "longest accepted message, in characters")
	fs.IntVar(&cfg.InboxDepth, "inbox-depth", 5000, "events recorded and not yet handled before new ones are refused (the platform retries them)")
	fs.BoolVar(&cfg.Demo, "demo", false, "console: seed sample topics and mentors, in "+demoDB+" unless -db or SOUDAN_DB names a file")
	fs.StringVar(&cfg.ConsoleUser, "console-user", defaultConsoleUser(), "console: your name before any :as (default $USER, else user)")
	fs.BoolVar(&cfg.Force, "force", false, "backup, export json, export knowledge, teams-package: replace the output if it already exists")
	fs.StringVar(&cfg.BackupDir, "backup-dir", "", "directory of hot backups, taken while the bot serves: daily at 3:15 and by /soudan admin backup, as soudan-YYYYMMDD-HHMMSS.db, mode 0600 (empty: none)")
	fs.StringVar(&cfg.TipOfWeek, "tip-of-week-channels", "", "platform:channel,... the tip of the week is posted to, Mondays 10:00 (e.g. slack:C012AB3CD, console:#general; empty: none)")
	fs.IntVar(&cfg.BackupKeep, "backup-keep", 7, "hot backups kept in -backup-dir; older ones are removed")
	fs.StringVar(&cfg.Listen, "listen", "", "serve: one listen address for everything over HTTP: /livez, /readyz, /metrics, Slack's HTTP mode paths and Teams' /api/messages, the report pages /report/ (then -http-addr and -teams-addr are not used); empty: Slack and Teams listen on their own addresses, and no health or metrics endpoint is served; console: the report pages and /livez on this address")
	fs.StringVar(&cfg.SurveySchedule, "survey-schedule", "", "surveys opened on their own on the first business day of each month, 10:00, for their default audience, e.g. engagement (empty: only by /soudan survey send)")
	fs.StringVar(&cfg.SurveyFollowUp, "survey-followup", "2,4,1", "confidential rounds: hr's follow-up list takes whoever answered a 1-5 item at or below the first number, a 0-10 item at or below the second, or whose 1-5 average fell by the third or more since their last answer")
	fs.IntVar(&cfg.SurveyRemindEvery, "survey-remind-every", 3, "business days between the reminders an open survey round sends to those who have not answered")
	fs.BoolVar(&cfg.DryRun, "dry-run", false, "import: report what the import would change, and change nothing")
	fs.IntVar(&cfg.Retention, "retention-months", 0, "months a resolved or closed consultation is kept after it finished; a daily job (5:00) purges older ones with what hangs off them, keeping the monthly totals (0: keep forever)")
	fs.BoolVar(&cfg.Pprof, "pprof", false, "serve: Go's profiler at /debug/pprof/ on the -listen address, answering loopback clients only (off by default)")
	fs.StringVar(&cfg.ReportURL, "report-url", "", "public base URL the links of /soudan report start with, e.g. https://soudan.example.jp (the pages are served on -listen under /report/); empty: http:// and the -listen address")
	fs.BoolVar(&cfg.SkipInvalid, "skip-invalid", false, "import: apply the valid lines of a file with errors, and list the others (without it, any error applies nothing)")
	fs.StringVar(&cfg.SlackBotToken, "slack-bot-token", "", "Slack bot token (xoxb-…); set it to serve Slack")
	fs.StringVar(&cfg.SlackAppToken, "slack-app-token", "", "Slack app-level token (xapp-…) with connections:write: Socket Mode, no public URL needed")
	fs.StringVar(&cfg.SlackSigningSecret, "slack-signing-secret", "", "Slack signing secret: HTTP mode (Events API) instead of Socket Mode")
	fs.StringVar(&cfg.HTTPAddr, "http-addr", ":3000", "listen address of HTTP mode: Slack requests at /slack/events, /slack/commands and /slack/interactive")
	fs.StringVar(&cfg.SlackAPIURL, "slack-api-url", "https://slack.com/api/", "Slack Web API base URL (a proxy, or a fake server in tests)")
	fs.StringVar(&cfg.TeamsAppID, "teams-app-id", "", "Teams: the bot's Microsoft app id; set it (and the password) to serve Teams")
	fs.StringVar(&cfg.TeamsAppPassword, "teams-app-password", "", "Teams: the app's client secret")
	fs.StringVar(&cfg.TeamsTenantID, "teams-tenant-id", "", "Teams: the tenant id of a single-tenant bot (empty: multi-tenant)")
	fs.StringVar(&cfg.TeamsAddr, "teams-addr", "", "Teams: listen address of /api/messages (default "+teamsDefaultAddr+"); set without an app id it serves Teams unauthenticated, for local testing")
	cfg.deliveryFlags(fs)
	return fs
}

// envName returns the environment variable of a flag: SOUDAN_LOG_LEVEL for
// log-level.
func envName(flagName string) string {
	return envPrefix + "_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Validate checks every setting and resolves the time zone and admin list.
// Errors name the flag and its environment variable.
func (cfg *Config) Validate() error {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("-%s (%s): %s", name, envName(name), fmt.Sprintf(format, args...)))
	}
	if strings.TrimSpace(cfg.DB) == "" {
		bad("db", "empty; name the data file")
	}
	if cfg.Store != "" && !pgstore.IsURL(cfg.Store) {
		bad("store", "want a postgres:// URL (or nothing, for the data file -db)")
	}
	cfg.Lang = strings.ToLower(strings.TrimSpace(cfg.Lang))
	if cfg.Lang != "ja" && cfg.Lang != "en" {
		bad("lang", "unknown language %q; want ja or en", cfg.Lang)
	}
	if loc, err := loadLocation(cfg.TZ); err != nil {
		bad("tz", "%v", err)
	} else {
		cfg.location = loc
	}
	if _, err := parseLevel(cfg.LogLevel, slog.LevelInfo); err != nil {
		bad("log-level", "%v", err)
	}
	if f := strings.ToLower(cfg.LogFormat); f != "text" && f != "json" {
		bad("log-format", "unknown format %q; want text or json", cfg.LogFormat)
	}
	if cfg.MaxRouted < 1 {
		bad("max-routed", "%d; want at least 1", cfg.MaxRouted)
	}
	cfg.DefaultTopic = strings.TrimSpace(cfg.DefaultTopic)
	if cfg.DefaultTopic == "" {
		bad("default-topic", "empty; name a topic")
	}
	if chans, err := parseChannels(cfg.TipOfWeek); err != nil {
		bad("tip-of-week-channels", "%v", err)
	} else {
		cfg.tipWeek = chans
	}
	if admins, err := parseAdmins(cfg.Admins); err != nil {
		bad("admins", "%v", err)
	} else {
		cfg.admins = admins
	}
	cfg.surveySchedule = nil
	for _, id := range strings.Split(cfg.SurveySchedule, ",") {
		if id = strings.TrimSpace(id); id != "" {
			cfg.surveySchedule = append(cfg.surveySchedule, id)
		}
	}
	if f, err := parseFollowUp(cfg.SurveyFollowUp); err != nil {
		bad("survey-followup", "%v", err)
	} else {
		cfg.surveyFollowUp = f
	}
	if cfg.SurveyRemindEvery < 1 {
		bad("survey-remind-every", "%d; want at least 1", cfg.SurveyRemindEvery)
	}
	if cfg.InboxDepth < 1 {
		bad("inbox-depth", "%d; want at least 1", cfg.InboxDepth)
	}
	if cfg.BackupKeep < 1 {
		bad("backup-keep", "%d; want at least 1", cfg.BackupKeep)
	}
	if cfg.Pprof && strings.TrimSpace(cfg.Listen) == "" {
		bad("pprof", "the profiler is served on the shared listener; set -listen too")
	}
	if cfg.Retention < 0 {
		bad("retention-months", "%d; want 0 (keep forever) or more", cfg.Retention)
	}
	if cfg.MaxText < 1 {
		bad("max-text", "%d; want at least 1", cfg.MaxText)
	}
	if u := cfg.ConsoleUser; u == "" || strings.ContainsFunc(u, unicode.IsSpace) {
		bad("console-user", "%q; want one word", u)
	}
	if cfg.Listen = strings.TrimSpace(cfg.Listen); cfg.Listen != "" {
		if _, _, err := net.SplitHostPort(cfg.Listen); err != nil {
			bad("listen", "%q is not host:port, such as :8080", cfg.Listen)
		}
	}
	if cfg.ReportURL = strings.TrimRight(strings.TrimSpace(cfg.ReportURL), "/"); cfg.ReportURL != "" {
		if u, err := url.Parse(cfg.ReportURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			bad("report-url", "%q is not a base URL such as https://soudan.example.jp", cfg.ReportURL)
		}
	}
	for _, e := range validateSlack(cfg) {
		bad(e.flag, "%s", e.msg)
	}
	for _, e := range validateTeams(cfg) {
		bad(e.flag, "%s", e.msg)
	}
	for _, e := range validateDelivery(cfg) {
		bad(e.flag, "%s", e.msg)
	}
	return errors.Join(errs...)
}

// loadLocation loads an IANA time zone; unlike time.LoadLocation it
// refuses the empty name rather than reading it as UTC.
func loadLocation(name string) (*time.Location, error) {
	if strings.TrimSpace(name) == "" {
		return nil, errors.New("empty; want an IANA name such as Asia/Tokyo")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q; want an IANA name such as Asia/Tokyo", name)
	}
	return loc, nil
}

// parseLevel parses a log level name; empty means def.
func parseLevel(s string, def slog.Level) (slog.Level, error) {
	if s == "" {
		return def, nil
	}
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown level %q; want debug, info, warn or error", s)
}

// adminPlatforms are the platforms an admin entry may name.
var adminPlatforms = []string{bot.PlatformSlack, bot.PlatformTeams, bot.PlatformConsole}

// parseAdmins splits a comma list of platform:userID entries. The user id
// is everything after the first colon (Teams ids contain colons).
func parseAdmins(s string) ([]string, error) {
	var out []string
	for _, a := range strings.Split(s, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		platform, id, ok := strings.Cut(a, ":")
		if !ok || id == "" || !slices.Contains(adminPlatforms, platform) {
			return nil, fmt.Errorf("%q is not platform:userID (platforms: %s)", a, strings.Join(adminPlatforms, ", "))
		}
		out = append(out, a)
	}
	return out, nil
}

// parseFollowUp reads "LOW5,LOW10,DROP", e.g. "2,4,1".
func parseFollowUp(s string) (survey.FollowUp, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return survey.FollowUp{}, fmt.Errorf("%q: want three numbers, e.g. 2,4,1", s)
	}
	low, err1 := strconv.Atoi(strings.TrimSpace(parts[0]))
	nps, err2 := strconv.Atoi(strings.TrimSpace(parts[1]))
	drop, err3 := strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
	if err1 != nil || err2 != nil || err3 != nil || low < 1 || low > 5 || nps < 0 || nps > 10 || drop <= 0 || drop > 4 {
		return survey.FollowUp{}, fmt.Errorf("%q: want 1-5, 0-10 and a drop above 0 up to 4, e.g. 2,4,1", s)
	}
	return survey.FollowUp{Low: low, LowNPS: nps, Drop: drop}, nil
}

// parseChannels reads "platform:channel,..." (a Teams channel id has
// colons of its own: the platform ends at the first).
func parseChannels(s string) ([]bot.Address, error) {
	var out []bot.Address
	for _, c := range strings.Split(s, ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		platform, ch, ok := strings.Cut(c, ":")
		if !ok || strings.TrimSpace(ch) == "" || !slices.Contains(adminPlatforms, platform) {
			return nil, fmt.Errorf("%q is not platform:channel (platforms: %s)", c, strings.Join(adminPlatforms, ", "))
		}
		at := bot.Address{Platform: platform, Channel: strings.TrimSpace(ch)}
		if platform == bot.PlatformConsole {
			at.Workspace = console.Workspace
			if !strings.HasPrefix(at.Channel, "#") {
				at.Channel = "#" + at.Channel
			}
		}
		out = append(out, at)
	}
	return out, nil
}
