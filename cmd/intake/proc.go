package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// buildBinary builds ./cmd/soudan into dir and returns its path.
func buildBinary(dir string) (string, error) {
	bin := filepath.Join(dir, "soudan")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/soudan/soudan/cmd/soudan")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/soudan: %w", err)
	}
	return bin, nil
}

// freeAddr returns a loopback address with a port free now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// botProc is one run of the soudan binary.
type botProc struct {
	cmd    *exec.Cmd
	addr   string
	health string // the path that answers 200 once the bot is ready
	teams  bool   // Teams has no /healthz: any answer on the port will do
	done   chan struct{}
	err    error
}

// botConfig is how every run of the binary is started.
type botConfig struct {
	bin, db, addr, apiURL, logFile string
	teams                          bool   // serve Teams unauthenticated on addr, not Slack
	proxy                          string // Teams: HTTP(S)_PROXY of the bot, the fake connector
	maxRouted                      int
	limits                         string // SOUDAN_DELIVERY_LIMITS, "" for the default
	backupDir                      string // SOUDAN_BACKUP_DIR, "" for none
	store                          string // SOUDAN_STORE: a postgres:// URL instead of the file db
	replica                        string // SOUDAN_REPLICA, with store
	logLevel                       string // SOUDAN_LOG_LEVEL; "" for warn
	// pprof serves everything on addr as the one shared listener
	// (-listen) with Go's profiler mounted (-pprof), for rate -profile.
	pprof bool
	// listen serves everything on addr through SOUDAN_LISTEN, as the
	// deploy files do: /metrics is served there (and /livez, not the
	// Slack adapter's /healthz).
	listen bool
}

// startBot starts the binary in Slack HTTP mode and waits until its
// listener answers (at most 30 s).
func startBot(c botConfig) (*botProc, error) {
	logf, err := os.OpenFile(c.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	args := []string{"serve"}
	health := "/healthz"
	if c.pprof {
		// The profiler is served only on the shared listener, which
		// answers /livez rather than the Slack adapter's /healthz.
		args = append(args, "-listen", c.addr, "-pprof")
		health = "/livez"
	}
	cmd := exec.Command(c.bin, args...)
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "SOUDAN_") || c.teams && strings.Contains(strings.ToLower(strings.SplitN(kv, "=", 2)[0]), "proxy") {
			continue
		}
		cmd.Env = append(cmd.Env, kv)
	}
	level := c.logLevel
	if level == "" {
		level = "warn"
	}
	cmd.Env = append(cmd.Env, "SOUDAN_DB="+c.db, "SOUDAN_LOG_LEVEL="+level, fmt.Sprintf("SOUDAN_MAX_ROUTED=%d", c.maxRouted))
	if c.teams {
		// No app id: unauthenticated, accepting activities whose service
		// URL is on this machine (the fake connector).
		// Its calls beyond loopback (a service URL it falls back on) go
		// to the fake as a proxy, which counts and refuses them; Go does
		// not proxy loopback, so the fake connector is called directly.
		cmd.Env = append(cmd.Env, "SOUDAN_TEAMS_ADDR="+c.addr, "SOUDAN_ADMINS=teams:"+teamsUser(adminUser),
			"HTTP_PROXY="+c.proxy, "HTTPS_PROXY="+c.proxy)
	} else {
		addrVar := "SOUDAN_HTTP_ADDR="
		if c.listen {
			addrVar = "SOUDAN_LISTEN="
		}
		cmd.Env = append(cmd.Env, addrVar+c.addr, "SOUDAN_SLACK_API_URL="+c.apiURL,
			"SOUDAN_SLACK_SIGNING_SECRET="+signingSecret, "SOUDAN_SLACK_BOT_TOKEN="+botToken,
			"SOUDAN_ADMINS=slack:"+adminUser)
	}
	if c.limits != "" {
		cmd.Env = append(cmd.Env, "SOUDAN_DELIVERY_LIMITS="+c.limits)
	}
	if c.backupDir != "" {
		cmd.Env = append(cmd.Env, "SOUDAN_BACKUP_DIR="+c.backupDir)
	}
	if c.store != "" {
		cmd.Env = append(cmd.Env, "SOUDAN_STORE="+c.store, "SOUDAN_REPLICA="+c.replica)
	}
	if c.listen {
		health = "/livez"
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", c.bin, err)
	}
	p := &botProc{cmd: cmd, addr: c.addr, health: health, teams: c.teams, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	if err := p.waitReady(30 * time.Second); err != nil {
		p.kill()
		return nil, fmt.Errorf("%w (log: %s)", err, c.logFile)
	}
	return p, nil
}

// waitReady polls the listener's health path until it answers (Teams: until
// the listener answers at all; it serves only POST /api/messages).
func (p *botProc) waitReady(limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("soudan exited at start: %v", p.err)
		default:
		}
		if resp, err := client.Get("http://" + p.addr + p.health); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || p.teams {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("soudan did not answer " + p.health + " within " + limit.String())
}

// kill sends SIGKILL and waits for the process to end.
func (p *botProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// term sends SIGTERM and waits at most limit for the process to end (then
// kills it); it returns how long the stop took and whether it was killed.
func (p *botProc) term(limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	select {
	case <-p.done:
		return time.Since(start), false
	case <-ctx.Done():
		p.kill()
		return time.Since(start), true
	}
}
