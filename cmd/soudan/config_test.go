package main

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestDefaults(t *testing.T) {
	t.Parallel()
	m, err := parse(t)
	if err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	c := m.Config
	if m.Command != "console" {
		t.Errorf("command = %q, want console (no platform configured)", m.Command)
	}
	if c.DB != "./soudan.db" || c.Lang != "ja" || c.TZ != "Asia/Tokyo" || c.MaxRouted != 3 ||
		c.DefaultTopic != "その他" || c.MaxText != 4000 || c.Demo || c.LogFormat != "text" {
		t.Errorf("defaults = %+v", c)
	}
	if got := c.location.String(); got != "Asia/Tokyo" {
		t.Errorf("location = %s, want Asia/Tokyo", got)
	}
}

func TestPrecedence(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "soudan.conf")
	writeFile(t, conf, `# soudan settings
lang en
max-routed 5
default-topic from-file   # a comment
max-text 100
admins slack:U1, teams:29:abc
`)
	t.Setenv("SOUDAN_CONFIG", conf)
	t.Setenv("SOUDAN_MAX_ROUTED", "4")
	t.Setenv("SOUDAN_DEFAULT_TOPIC", "from-env")
	t.Setenv("SOUDAN_DEMO", "true")
	m, err := parse(t, "-default-topic", "from-flag")
	if err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	c := m.Config
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"lang (file only)", c.Lang, "en"},
		{"max-routed (env over file)", c.MaxRouted, 4},
		{"default-topic (flag over env and file)", c.DefaultTopic, "from-flag"},
		{"max-text (file)", c.MaxText, 100},
		{"demo (env)", c.Demo, true},
		{"db (default)", c.DB, "./soudan.db"},
		{"admins (file)", strings.Join(c.admins, " "), "slack:U1 teams:29:abc"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestFlagsAroundCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-lang", "en", "backup", "-db", "x.db", "out.db"},
		{"backup", "-lang", "en", "-db", "x.db", "out.db"},
		{"-lang", "en", "-db", "x.db", "--", "backup", "out.db"},
	} {
		m, err := parse(t, args...)
		if err != nil {
			t.Errorf("ParseFlags(%q): %v", args, err)
			continue
		}
		if m.Command != "backup" || !slices.Equal(m.Args, []string{"out.db"}) || m.Config.Lang != "en" || m.Config.DB != "x.db" {
			t.Errorf("ParseFlags(%q): command %q args %q lang %q db %q; want backup [out.db] en x.db",
				args, m.Command, m.Args, m.Config.Lang, m.Config.DB)
		}
	}
}

func TestBadSettings(t *testing.T) {
	tests := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-lang", "fr"}, nil, `-lang (SOUDAN_LANG): unknown language "fr"`},
		{nil, map[string]string{"SOUDAN_LANG": "de"}, `unknown language "de"`},
		{[]string{"-tz", "Mars/Olympus"}, nil, `-tz (SOUDAN_TZ): unknown time zone "Mars/Olympus"`},
		{[]string{"-tz", ""}, nil, "-tz (SOUDAN_TZ): empty"},
		{[]string{"-log-level", "loud"}, nil, `unknown level "loud"`},
		{[]string{"-log-format", "xml"}, nil, `unknown format "xml"`},
		{[]string{"-max-routed", "0"}, nil, "-max-routed (SOUDAN_MAX_ROUTED): 0; want at least 1"},
		{[]string{"-max-text", "-1"}, nil, "-max-text (SOUDAN_MAX_TEXT): -1; want at least 1"},
		{[]string{"-default-topic", " "}, nil, "-default-topic (SOUDAN_DEFAULT_TOPIC): empty"},
		{[]string{"-admins", "U123"}, nil, `"U123" is not platform:userID`},
		{[]string{"-admins", "irc:bob"}, nil, `"irc:bob" is not platform:userID`},
		{[]string{"-console-user", "two words"}, nil, "want one word"},
		{[]string{"-db", ""}, nil, "-db (SOUDAN_DB): empty"},
		{[]string{"-max-routed", "many"}, nil, `invalid value "many" for flag -max-routed`},
		{nil, map[string]string{"SOUDAN_MAX_TEXT": "lots"}, `environment variable "SOUDAN_MAX_TEXT"`},
		{[]string{"-nope"}, nil, "flag provided but not defined: -nope"},
		{[]string{"-config", "/does/not/exist.conf"}, nil, "/does/not/exist.conf"},
		{[]string{"frobnicate"}, nil, `unknown command "frobnicate"`},
		{[]string{"version", "extra"}, nil, `version takes no arguments, got "extra"`},
		{[]string{"backup"}, nil, "backup needs one argument"},
		{[]string{"-lang", "fr", "-max-routed", "0"}, nil, "max-routed"}, // every problem is reported
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, err := parse(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseFlags(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestUnknownConfigFileKey(t *testing.T) {
	t.Parallel()
	conf := filepath.Join(t.TempDir(), "soudan.conf")
	writeFile(t, conf, "langauge en\n")
	_, err := parse(t, "-config", conf)
	if err == nil || !strings.Contains(err.Error(), `"langauge"`) {
		t.Errorf("ParseFlags with a misspelt key = %v, want an error naming it", err)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}, {"console", "-h"}} {
		m, stdout, _ := newMain("")
		err := m.ParseFlags(t.Context(), args)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("ParseFlags(%q) = %v, want flag.ErrHelp", args, err)
		}
		got := stdout.String()
		var wants []string
		m.Config.flagSet().VisitAll(func(f *flag.Flag) { wants = append(wants, "-"+f.Name+" ", envName(f.Name)) })
		wants = append(wants, "console", "serve", "backup FILE", "version", "config file", "(default ./soudan.db)", "(default その他)")
		wantContains(t, "help", got, wants...)
	}
}

func TestEveryFlagIsInTheHelpOrder(t *testing.T) {
	t.Parallel()
	var cfg Config
	cfg.flagSet().VisitAll(func(f *flag.Flag) {
		if !slices.Contains(settingOrder, f.Name) {
			t.Errorf("flag -%s is missing from settingOrder, so the help leaves it out", f.Name)
		}
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestConfigExampleParses(t *testing.T) {
	t.Parallel()
	conf := filepath.Join(t.TempDir(), "soudan.conf")
	writeFile(t, conf, configExample)
	m, err := parse(t, "-config", conf)
	if err != nil {
		t.Fatalf("ParseFlags with the help's example config: %v", err)
	}
	if got, want := strings.Join(m.Config.admins, " "), "slack:U012AB3CD teams:29:1xyz"; got != want {
		t.Errorf("admins = %q, want %q", got, want)
	}
	if m.Config.DB != "/var/lib/soudan/soudan.db" || m.Config.Lang != "en" {
		t.Errorf("db, lang = %q, %q; want the example's", m.Config.DB, m.Config.Lang)
	}
}

func TestEveryFlagHasAnArgName(t *testing.T) {
	t.Parallel()
	var cfg Config
	cfg.flagSet().VisitAll(func(f *flag.Flag) {
		_, isBool := f.Value.(interface{ IsBoolFlag() bool })
		if _, ok := argNames[f.Name]; ok == isBool {
			t.Errorf("flag -%s: argNames entry present = %v, want %v", f.Name, ok, !isBool)
		}
	})
}

// The data file with and without -demo: a file named by -db, SOUDAN_DB or
// the config file is always used; otherwise -demo has its own.
func TestDemoDataFile(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "soudan.conf")
	writeFile(t, conf, "db from-file.db\n")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"plain", nil, nil, "./soudan.db"},
		{"-demo", []string{"-demo"}, nil, "./soudan-demo.db"},
		{"SOUDAN_DEMO", nil, map[string]string{"SOUDAN_DEMO": "true"}, "./soudan-demo.db"},
		{"-demo -db", []string{"-demo", "-db", "mine.db"}, nil, "mine.db"},
		{"-demo -db ./soudan.db", []string{"-demo", "-db", "./soudan.db"}, nil, "./soudan.db"},
		{"-demo SOUDAN_DB", []string{"-demo"}, map[string]string{"SOUDAN_DB": "env.db"}, "env.db"},
		{"-demo config file", []string{"-demo", "-config", conf}, nil, "from-file.db"},
		{"-db", []string{"-db", "mine.db"}, nil, "mine.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			m, err := parse(t, tt.args...)
			if err != nil {
				t.Fatalf("ParseFlags(%q): %v", tt.args, err)
			}
			if got := m.Config.DataFile(); got != tt.want {
				t.Errorf("DataFile() = %q, want %q", got, tt.want)
			}
		})
	}
}

// The help says where -demo keeps its data, and -admins and -http-addr
// say what the README says.
func TestHelpDemoAdminsHTTP(t *testing.T) {
	t.Parallel()
	m, stdout, _ := newMain("")
	if err := m.ParseFlags(t.Context(), []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("ParseFlags(-h) = %v, want flag.ErrHelp", err)
	}
	wantContains(t, "help", stdout.String(),
		"./soudan-demo.db unless -db or SOUDAN_DB",
		"granted admin when soudan first sees them",
		"/slack/events, /slack/commands and /slack/interactive",
		"-force ", "replaced only with -force",
	)
}

// The README's deployment examples parse: deploy/soudan.conf.example as a
// config file, and the systemd unit's ExecStart with it.
func TestDeployExamples(t *testing.T) {
	t.Parallel()
	conf := filepath.Join("..", "..", "deploy", "soudan.conf.example")
	m, err := parse(t, "serve", "-config", conf)
	if err != nil {
		t.Fatalf("ParseFlags with %s: %v", conf, err)
	}
	if got := m.Config.DataFile(); got != "/var/lib/soudan/soudan.db" {
		t.Errorf("data file = %q, want /var/lib/soudan/soudan.db", got)
	}
	if got := strings.Join(m.Config.admins, " "); got != "slack:U012AB3CD" {
		t.Errorf("admins = %q", got)
	}

	unit, err := os.ReadFile(filepath.Join("..", "..", "deploy", "systemd", "soudan.service"))
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, line := range strings.Split(string(unit), "\n") {
		if rest, ok := strings.CutPrefix(line, "ExecStart=/usr/local/bin/soudan "); ok {
			args = strings.Fields(rest)
		}
	}
	i := slices.Index(args, "/etc/soudan/soudan.conf")
	if len(args) == 0 || i < 0 {
		t.Fatalf("soudan.service: no ExecStart=/usr/local/bin/soudan ... -config /etc/soudan/soudan.conf")
	}
	args[i] = conf
	if m, err := parse(t, args...); err != nil || m.Command != "serve" {
		t.Errorf("ExecStart arguments %q: command %q, error %v; want serve", args, m.Command, err)
	}
}

func TestParseFollowUp(t *testing.T) {
	t.Parallel()
	if f, err := parseFollowUp(" 1, 3 ,0.5"); err != nil || f.Low != 1 || f.LowNPS != 3 || f.Drop != 0.5 {
		t.Errorf("parseFollowUp = %+v, %v", f, err)
	}
	for _, bad := range []string{"", "2,4", "0,4,1", "2,11,1", "2,4,0", "2,4,x", "2,4,1,5"} {
		if _, err := parseFollowUp(bad); err == nil {
			t.Errorf("parseFollowUp(%q) accepted", bad)
		}
	}
}
