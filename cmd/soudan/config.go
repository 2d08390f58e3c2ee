package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/soudan/soudan/bot"
)

// envPrefix is the prefix of the environment variables that mirror flags:
// -log-level is SOUDAN_LOG_LEVEL.
const envPrefix = "SOUDAN"

// Config is every setting, from flags, SOUDAN_* environment variables and
// the optional config file, in that order of precedence.
type Config struct {
	DB           string // data file
	ConfigFile   string // optional config file
	Lang         string // default language for users whose locale is unknown
	TZ           string // time zone of schedules
	LogLevel     string // debug|info|warn|error; empty: info, warn in console mode
	LogFormat    string // text|json
	MaxRouted    int    // mentors asked per question
	DefaultTopic string // topic for questions that match none
	Admins       string // comma list of platform:userID granted admin at start
	MaxText      int    // longest accepted message, in characters
	Demo         bool   // seed sample topics and mentors
	ConsoleUser  string // the console user before any :as

	// Resolved by Validate.
	location *time.Location
	admins   []string
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
	fs.StringVar(&cfg.DB, "db", "./soudan.db", "data file")
	fs.StringVar(&cfg.ConfigFile, "config", "", "config file of \"name value\" lines (see below)")
	fs.StringVar(&cfg.Lang, "lang", "ja", "default language for users whose locale is unknown: ja or en")
	fs.StringVar(&cfg.TZ, "tz", "Asia/Tokyo", "time zone of schedules and of dates shown, an IANA name")
	fs.StringVar(&cfg.LogLevel, "log-level", "", "log level: debug, info, warn or error (default info; warn in console mode)")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&cfg.MaxRouted, "max-routed", 3, "mentors asked per question")
	fs.StringVar(&cfg.DefaultTopic, "default-topic", "その他", "topic for questions that match none")
	fs.StringVar(&cfg.Admins, "admins", "", "users granted admin at start, comma-separated: slack:U012AB3CD,teams:29:1xyz")
	fs.IntVar(&cfg.MaxText, "max-text", 4000, "longest accepted message, in characters")
	fs.BoolVar(&cfg.Demo, "demo", false, "seed sample topics and mentors (console)")
	fs.StringVar(&cfg.ConsoleUser, "console-user", defaultConsoleUser(), "console: your name before any :as (default $USER, else user)")
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
	if admins, err := parseAdmins(cfg.Admins); err != nil {
		bad("admins", "%v", err)
	} else {
		cfg.admins = admins
	}
	if cfg.MaxText < 1 {
		bad("max-text", "%d; want at least 1", cfg.MaxText)
	}
	if u := cfg.ConsoleUser; u == "" || strings.ContainsFunc(u, unicode.IsSpace) {
		bad("console-user", "%q; want one word", u)
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
