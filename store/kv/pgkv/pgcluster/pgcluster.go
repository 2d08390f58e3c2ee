// Package pgcluster starts a throwaway PostgreSQL cluster from Debian's
// packages: its data directory and unix socket in one directory, no TCP
// port. The tests' server (pgtest) and the load tool's (cmd/intake) are
// both one; they differ only in durability.
package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
)

// ErrNoServer means no PostgreSQL server programs are installed.
var ErrNoServer = errors.New("no /usr/lib/postgresql/*/bin/initdb is installed (Debian's postgresql package)")

// Binaries returns the bin directory of the newest PostgreSQL Debian's
// packages installed.
func Binaries() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return "", ErrNoServer
	}
	version := func(p string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return n
	}
	slices.SortFunc(found, func(a, b string) int { return version(b) - version(a) })
	return filepath.Dir(found[0]), nil
}

// Cluster is a cluster made by Init in Dir.
type Cluster struct {
	Bin, Dir string
	as       []string // the command prefix that runs a program as the cluster's owner
	opts     string   // the server's options
}

// Init makes a cluster in dir (which must exist) with the programs in
// bin. initdb and postgres refuse to run as root, so under root they run
// as the postgres user, which is given dir. A durable cluster syncs as a
// production server does (fsync, synchronous commits); otherwise nothing
// is synced, for tests that measure soudan rather than the disk.
func Init(bin, dir string, durable bool) (*Cluster, error) {
	c := &Cluster{Bin: bin, Dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres user to own the cluster: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			return nil, fmt.Errorf("running as root needs runuser (util-linux): %w", err)
		}
		c.as = []string{runuser, "-u", "postgres", "--"}
	}
	args := []string{"-D", c.Data(), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"}
	c.opts = fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=300", dir)
	if !durable {
		args = append(args, "--no-sync")
		c.opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	}
	if err := c.Run("initdb", args...); err != nil {
		return nil, err
	}
	return c, nil
}

// Data is the cluster's data directory.
func (c *Cluster) Data() string { return filepath.Join(c.Dir, "data") }

// Log is the server's log file.
func (c *Cluster) Log() string { return filepath.Join(c.Dir, "log") }

// URL is the URL of database name on the cluster, through its socket.
func (c *Cluster) URL(name string) string {
	return "postgres:///" + name + "?host=" + c.Dir + "&user=postgres&sslmode=disable"
}

// Command is the command line that runs one of the server's programs as
// the cluster's owner.
func (c *Cluster) Command(prog string, args ...string) []string {
	return append(append(slices.Clone(c.as), filepath.Join(c.Bin, prog)), args...)
}

// Run runs one of the server's programs as the cluster's owner.
func (c *Cluster) Run(prog string, args ...string) error {
	argv := c.Command(prog, args...)
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", prog, err, out)
	}
	return nil
}

// Start starts the server and waits until it accepts connections; a
// failure comes with the server's log.
func (c *Cluster) Start() error {
	if err := c.Run("pg_ctl", "-D", c.Data(), "-l", c.Log(), "-w", "-t", "60", "-o", c.opts, "start"); err != nil {
		log, _ := os.ReadFile(c.Log())
		return fmt.Errorf("%w\n%s", err, log)
	}
	return nil
}

// Stop stops the server in mode ("fast": connections end as when the
// machine goes away; "immediate": no checkpoint, for a throwaway one).
func (c *Cluster) Stop(mode string) error {
	return c.Run("pg_ctl", "-D", c.Data(), "-m", mode, "-w", "stop")
}
