// Command soudan is the soudan chat bot: it routes members' questions to
// volunteer mentors on Slack, Teams or a local console. Run "soudan -h" for
// its commands and settings.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // -tz works on hosts and images without a zoneinfo database
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of run.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // bad command line or settings
)

// run runs the program with args (without the program name) and returns its
// exit code. A first interrupt cancels ctx and shuts down cleanly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	m := NewMain()
	m.Stdin, m.Stdout, m.Stderr = stdin, stdout, stderr
	if err := m.ParseFlags(ctx, args); errors.Is(err, flag.ErrHelp) {
		return exitOK
	} else if err != nil {
		fmt.Fprintf(stderr, "soudan: %v\nRun 'soudan -h' for the commands and settings.\n", err)
		return exitUsage
	}
	err := m.Run(ctx)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "soudan: %v\n", err)
		return exitError
	}
	return exitOK
}
