package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/peterbourgon/ff/v3"
)

// commands are soudan's subcommands, with the number of arguments each takes.
var commands = map[string]int{
	"serve":   0,
	"console": 0,
	"backup":  1,
	"restore": 1,
	"compact": 0,
	"check":   1,
	"version": 0,
	"help":    0,
	"migrate": 0, // -from and -to name the databases

	"teams-package": 1, // the zip to write
	"import":        2, // "users" or "tips" and the file to read
	"export":        2, // "json" and the file, or "knowledge" and the directory, to write
	"survey import": 1, // the survey definition file
}

// ParseFlags reads the command line (without the program name), then the
// SOUDAN_* environment, then the config file, and validates the result.
// Flags may come before or after the command: "soudan -db x console" and
// "soudan console -db x" are the same. For -h, -help and the help command
// it prints the usage to Stdout and returns flag.ErrHelp.
func (m *Main) ParseFlags(_ context.Context, args []string) error {
	command, flagArgs, err := splitCommand(args)
	if err != nil {
		return err
	}
	fs := m.Config.flagSet()
	fs.SetOutput(io.Discard)
	err = ff.Parse(fs, flagArgs,
		ff.WithEnvVarPrefix(envPrefix),
		ff.WithConfigFileFlag("config"),
		ff.WithConfigFileParser(ff.PlainParser),
	)
	if errors.Is(err, flag.ErrHelp) || command == "help" {
		writeUsage(m.Stdout, fs)
		return flag.ErrHelp
	}
	if err != nil {
		return fmt.Errorf("read settings: %w", err)
	}
	// Flags may also follow the command's arguments, as in "soudan import
	// users FILE.csv -dry-run": parse what follows each argument.
	args, rest := []string(nil), fs.Args()
	for len(rest) > 0 {
		args = append(args, rest[0])
		if err := fs.Parse(rest[1:]); err != nil {
			return fmt.Errorf("read settings: %w", err)
		}
		rest = fs.Args()
	}
	// ff sets what the environment and the config file give with fs.Set,
	// so Visit sees those too.
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "db" {
			m.Config.dbGiven = true
		}
	})
	m.Command, m.Args = command, args
	if command == "" {
		m.Command = defaultCommand(&m.Config)
	}
	if want := commands[m.Command]; len(m.Args) != want {
		return argCountError(m.Command, want, m.Args)
	}
	if m.Command == "import" && m.Args[0] != "users" && m.Args[0] != "tips" {
		return fmt.Errorf("import knows two kinds of file: soudan import users FILE.csv, soudan import tips FILE.jsonl|DIR")
	}
	if m.Command == "export" && m.Args[0] != "json" && m.Args[0] != "knowledge" {
		return fmt.Errorf("export knows two kinds: soudan export json FILE, soudan export knowledge DIR")
	}
	m.Config.packageOnly = m.Command == "teams-package"
	m.Config.importOnly = m.Command == "import"
	if err := m.Config.Validate(); err != nil {
		return fmt.Errorf("invalid settings:\n%w", err)
	}
	return checkStoreCommand(m.Command, &m.Config)
}

// splitCommand finds the command among args and returns it with the other
// arguments (flags and the command's own arguments). The command is the
// first argument that is not a flag or a flag's value; "" if there is none.
func splitCommand(args []string) (string, []string, error) {
	var scratch Config
	fs := scratch.flagSet()
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		// Let the real parse report it, with -h handled there.
		return "", args, nil
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return "", args, nil
	}
	name, head := rest[0], args[:len(args)-len(rest)]
	if name == "survey" {
		// "survey import FILE": the subcommand is part of the command.
		if len(rest) < 2 || rest[1] != "import" {
			return "", nil, fmt.Errorf("survey needs a subcommand and a file: soudan survey import FILE (.toml, .yaml or .yml)")
		}
		name, rest = "survey import", rest[1:]
	}
	if _, ok := commands[name]; !ok {
		return "", nil, fmt.Errorf("unknown command %q; want one of: console, serve, backup, restore, compact, check, import, export, survey, migrate, version, teams-package, help", name)
	}
	return name, append(append([]string(nil), head...), rest[1:]...), nil
}

// defaultCommand is what plain "soudan" runs: serve when a chat platform is
// configured, else the console. No platform adapter exists yet.
func defaultCommand(cfg *Config) string {
	if len(configuredPlatforms(cfg)) > 0 {
		return "serve"
	}
	return "console"
}

// argCountError explains a wrong number of command arguments.
func argCountError(command string, want int, got []string) error {
	switch {
	case want == 0:
		return fmt.Errorf("%s takes no arguments, got %q", command, strings.Join(got, " "))
	case command == "backup":
		return fmt.Errorf("backup needs one argument, the file to write: soudan backup FILE")
	case command == "restore":
		return fmt.Errorf("restore needs one argument, the backup to put in place: soudan restore BACKUP")
	case command == "check":
		return fmt.Errorf("check needs one argument, the data file or backup to check: soudan check FILE")
	case command == "import":
		return fmt.Errorf("import needs two arguments: soudan import users FILE.csv, or soudan import tips FILE.jsonl|DIR")
	case command == "export":
		return fmt.Errorf("export needs two arguments: soudan export json FILE, or soudan export knowledge DIR")
	case command == "survey import":
		return fmt.Errorf("survey import needs one argument, the definition file: soudan survey import FILE (.toml, .yaml or .yml)")
	case command == "teams-package":
		return fmt.Errorf("teams-package needs one argument, the zip to write: soudan teams-package soudan-teams.zip")
	}
	return fmt.Errorf("%s takes %d arguments, got %d", command, want, len(got))
}
