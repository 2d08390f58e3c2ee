package main

import (
	"flag"
	"fmt"
	"io"
)

// usageHead is the start of soudan -h.
const usageHead = `soudan (相談) routes members' questions to volunteer mentors in chat.

Usage:
  soudan [command] [flags]

Commands:
  console      chat with the bot in this terminal; the default command while no
               chat platform is configured (type :help in it)
  serve        run the bot on every configured chat platform (Slack, Teams); the
               default command once one is configured
  backup FILE  write a consistent copy of the data file to FILE (mode 0600);
               stop the bot first, it holds the file. The data file must
               exist; an existing FILE is replaced only with -force. While
               the bot serves, back up with -backup-dir or /soudan admin backup
  restore BACKUP
               put BACKUP in place of the data file (bot stopped); BACKUP
               must be a soudan data file this version can open. The current
               data file is kept beside it as DB.before-restore-TIME, so no
               -force is needed
  compact      rewrite the data file without the space deleted records left
               (bot stopped); prints the sizes before and after
  check FILE   read a data file or backup through and say whether it is whole
               (with its record counts) or damaged, and how; changes nothing.
               Exit status 1 when it is damaged
  import users FILE.csv
               check a directory CSV (platform, workspace, user or email,
               name, department, join_year, job_type, posting, manager_of:
               one department or several as 総務課;人事課) and create or
               update those users (bot stopped). Rows without platform and
               workspace go to the one workspace the data file (or
               -teams-tenant-id) knows, if exactly one. Any error:
               every one is listed by line and nothing is applied, unless
               -skip-invalid. -dry-run reports what would change. Running
               the same file again changes nothing
  export json FILE
               write everything an admin may see (users, departments, topics,
               mentors, consultations with anonymous askers never named,
               purged totals, tips, surveys, closed days, the audit log) as
               one JSON document to FILE, mode 0600 (bot stopped); an
               existing FILE is replaced only with -force
  import tips FILE.jsonl|DIR
               create or update tips from JSON Lines (one tip a line: id,
               title, body, topic, tags, lang, links) or from a directory
               written by export knowledge (bot stopped). The id is the
               source system's key: importing again updates, never
               duplicates; unknown topics are created; a bad line is
               listed with its line number and nothing of it is stored.
               -dry-run reports what would change
  export knowledge DIR
               write every tip as Markdown to the new or empty DIR, one
               directory per topic, one file per tip with a front matter
               (id, title, topic, tags, links, lang); import tips DIR reads
               it back. A DIR that is not empty is replaced only with
               -force, and only when it holds an earlier export
  survey import FILE
               add a survey definition (TOML or YAML, by the extension) to
               the data file, or replace the one with its id; errors name
               the file's lines. /soudan survey list shows the surveys
  migrate -from FILE|URL -to FILE|URL
               copy everything from a data file into an empty PostgreSQL
               database (-to postgres://…), or back into a new data file,
               with every soudan stopped; each bucket's checksum is compared
               after the copy. A target that holds anything is refused
  version      print the version
  teams-package FILE
               write the Teams app package (manifest with -teams-app-id, icons)
               to FILE (e.g. soudan-teams.zip); upload it in Teams. An
               existing FILE is replaced only with -force
  help         print this help

What the commands write (backup, export json, export knowledge,
teams-package) never replaces an existing file without -force; each prints
its result once, on stdout, and errors on stderr.

Settings (flag, environment variable, meaning):
`

// usageTail explains precedence and the config file.
const usageTail = `
Flags win over environment variables, which win over the config file.

The config file (-config FILE or SOUDAN_CONFIG) has one setting per line: the
flag name without its dash, a space, and the value. Blank lines and lines
starting with # are ignored, as is a " #" comment after a value:

` + configExample

// configExample is the config file shown in the help (a test parses it).
const configExample = `  db /var/lib/soudan/soudan.db
  lang en
  tz Asia/Tokyo
  admins slack:U012AB3CD, teams:29:1xyz   # admin when first seen
`

// settingOrder is the order of the settings in the help.
var settingOrder = []string{
	"db", "store", "replica", "config", "lang", "tz", "log-level", "log-format",
	"max-routed", "default-topic", "admins", "max-text", "inbox-depth", "demo", "console-user", "force", "backup-dir", "backup-keep", "tip-of-week-channels", "listen", "pprof", "report-url", "retention-months", "dry-run", "skip-invalid", "from", "to",
	"slack-bot-token", "slack-app-token", "slack-signing-secret", "http-addr", "slack-api-url",
	"teams-app-id", "teams-app-password", "teams-tenant-id", "teams-addr",
	"business-hours", "remind-after-hours", "escalate-after-hours", "resolve-after-days", "close-after-days", "delivery-limits",
	"survey-schedule", "survey-remind-every", "survey-followup",
}

// argNames name each flag's value in the help; boolean flags take none.
var argNames = map[string]string{
	"db": "FILE", "store": "URL", "replica": "NAME", "from": "FILE|URL", "to": "FILE|URL", "config": "FILE", "lang": "LANG", "tz": "ZONE",
	"log-level": "LEVEL", "log-format": "FORMAT", "max-routed": "N",
	"default-topic": "TOPIC", "admins": "LIST", "max-text": "N", "inbox-depth": "N", "console-user": "NAME", "backup-dir": "DIR", "backup-keep": "N", "tip-of-week-channels": "LIST", "listen": "ADDR", "report-url": "URL", "survey-schedule": "LIST", "survey-remind-every": "N", "survey-followup": "LIST", "retention-months": "N",
	"slack-bot-token": "TOKEN", "slack-app-token": "TOKEN", "slack-signing-secret": "SECRET",
	"http-addr": "ADDR", "slack-api-url": "URL",
	"teams-app-id": "ID", "teams-app-password": "SECRET", "teams-tenant-id": "ID", "teams-addr": "ADDR",
	"business-hours": "HH:MM-HH:MM", "remind-after-hours": "N", "escalate-after-hours": "N",
	"resolve-after-days": "N", "close-after-days": "N", "delivery-limits": "LIST",
}

// writeUsage prints the help: the commands, every flag of fs with its
// environment variable, meaning and default, and the config file format.
func writeUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, usageHead)
	for _, name := range settingOrder {
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		flagArg := "-" + f.Name
		if a := argNames[f.Name]; a != "" {
			flagArg += " " + a
		}
		usage := f.Usage
		if d := shownDefault(f); d != "" {
			usage += " (default " + d + ")"
		}
		fmt.Fprintf(w, "  %-22s %s\n      %s\n", flagArg, envName(f.Name), usage)
	}
	fmt.Fprint(w, usageTail)
}

// shownDefault is the default printed in the help; "" when the usage text
// already says it or there is none.
func shownDefault(f *flag.Flag) string {
	switch f.Name {
	case "console-user", "log-level", "demo", "force", "db", "dry-run", "skip-invalid":
		return ""
	}
	return f.DefValue
}
