//go:build unix

package pgtest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// watch starts a watchdog, in a process group of its own, that stops the
// server and removes its directory once this process is gone: a test
// binary killed by go test's -timeout never reaches Main's stop, and a
// cluster left running would hold memory on a machine others share.
func (s *server) watch() {
	argv := s.Command("pg_ctl", "-D", s.Data(), "-m", "immediate", "stop")
	for i, a := range argv {
		argv[i] = quote(a)
	}
	script := fmt.Sprintf("while kill -0 %d 2>/dev/null; do sleep 1; done; %s >/dev/null 2>&1; rm -rf %s",
		os.Getpid(), strings.Join(argv, " "), quote(s.Dir))
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err == nil {
		go cmd.Wait() //nolint:errcheck // reaps the watchdog should it end first
	}
}

// quote quotes s for sh.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
