// Package pgtest gives tests a real PostgreSQL: the server named by
// SOUDAN_TEST_POSTGRES, or else a throwaway one it starts from Debian's
// postgresql package, once per test binary, with a new empty database for
// every test.
//
// A test binary that uses it calls Main from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
//
// and each test asks URL for its database. When neither a server nor the
// package can be had, URL skips the test saying what to install; with
// SOUDAN_TEST_POSTGRES_REQUIRED=1 (CI sets it) it fails instead, so that a
// machine without PostgreSQL cannot pass for one that ran the suite.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables the harness reads.
const (
	// EnvURL names a server to use instead of starting one: a URL
	// whose user may create and drop databases.
	EnvURL = "SOUDAN_TEST_POSTGRES"
	// EnvRequired, when "1", turns a skip for want of PostgreSQL into a
	// failure.
	EnvRequired = "SOUDAN_TEST_POSTGRES_REQUIRED"
)

var (
	inMain  atomic.Bool
	once    sync.Once
	srv     *server // the server started, nil when none was
	admin   string  // a URL of the server's maintenance database
	unavail string  // why there is no server, when there is none
	seq     atomic.Int64
)

// Main runs the binary's tests and stops the server the harness started
// for them, if it did. Call it from TestMain.
func Main(m *testing.M) int {
	inMain.Store(true)
	code := m.Run()
	if srv != nil {
		if err := srv.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		}
	}
	return code
}

// URL returns the URL of a new, empty database for t, dropped when t and
// its cleanups end. It skips t (fails it under SOUDAN_TEST_POSTGRES_REQUIRED=1)
// when no PostgreSQL can be had.
func URL(t testing.TB) string {
	t.Helper()
	server := ServerURL(t)
	name := fmt.Sprintf("soudan_test_%d_%d", os.Getpid(), seq.Add(1))
	if err := exec1(server, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		if err := exec1(server, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return withDatabase(server, name)
}

// ServerURL returns the URL of the server's maintenance database, for a
// test that runs tests in a child process on the same server (set as its
// SOUDAN_TEST_POSTGRES). It skips or fails t as URL does.
func ServerURL(t testing.TB) string {
	t.Helper()
	if !inMain.Load() && os.Getenv(EnvURL) == "" {
		// A server of the harness's own must be stopped when the binary
		// ends, which only Main can do; a server named by EnvURL need not.
		t.Fatalf("pgtest.URL needs pgtest.Main in the package's TestMain (it stops the server it starts), or %s", EnvURL)
	}
	once.Do(setUp)
	if admin == "" {
		if os.Getenv(EnvRequired) == "1" {
			t.Fatalf("PostgreSQL is required (%s=1) but %s", EnvRequired, unavail)
		}
		t.Skipf("PostgreSQL tests skipped: %s. Install Debian's postgresql package (apt-get install postgresql) or set %s to a server's URL", unavail, EnvURL)
	}
	return admin
}

// Exec runs one statement on its own connection to url: for a test that
// acts on the server, say dropping a database under a running bot.
func Exec(url, sql string) error { return exec1(url, sql) }

// exec1 runs one statement on its own connection.
func exec1(url, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns raw naming the database name instead of its own.
func withDatabase(raw, name string) string {
	if u, err := url.Parse(raw); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return raw + " dbname=" + name // in a key=value string the later keyword wins
}

// setUp finds a server: SOUDAN_TEST_POSTGRES, or one it starts.
func setUp() {
	if u := os.Getenv(EnvURL); u != "" {
		if err := exec1(u, "SELECT 1"); err != nil {
			unavail = fmt.Sprintf("%s=%q does not answer: %v", EnvURL, u, err)
			return
		}
		admin = u
		return
	}
	bin, err := findBinaries()
	if err != nil {
		unavail = err.Error()
		return
	}
	s, err := start(bin)
	if err != nil {
		unavail = fmt.Sprintf("starting a throwaway PostgreSQL from %s failed: %v", bin, err)
		return
	}
	srv, admin = s, s.url()
}

// findBinaries returns the bin directory of the newest PostgreSQL that
// Debian's packages installed.
func findBinaries() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return "", fmt.Errorf("%s is not set and no /usr/lib/postgresql/*/bin/initdb is installed", EnvURL)
	}
	version := func(p string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return n
	}
	slices.SortFunc(found, func(a, b string) int { return version(b) - version(a) })
	return filepath.Dir(found[0]), nil
}

// server is a throwaway cluster: its data directory and unix socket live
// in dir, and it listens on no TCP port.
type server struct {
	bin, dir string
	as       []string // the command prefix that runs a program as the cluster's owner
}

func (s *server) data() string { return filepath.Join(s.dir, "data") }

func (s *server) url() string {
	return "postgres:///postgres?host=" + s.dir + "&user=postgres&sslmode=disable"
}

// start makes and starts a cluster. initdb and postgres refuse to run as
// root, so under root they run as the postgres user, which owns the
// directory.
func start(bin string) (*server, error) {
	dir, err := os.MkdirTemp("", "soudan-pg-")
	if err != nil {
		return nil, err
	}
	s := &server{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs the postgres user to own the cluster: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		runuser, err := exec.LookPath("runuser")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("running as root needs runuser (util-linux): %w", err)
		}
		s.as = []string{runuser, "-u", "postgres", "--"}
	}
	if err := s.run("initdb", "-D", s.data(), "-U", "postgres", "--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// Durability is worth nothing in a throwaway cluster: without fsync
	// the tests measure soudan, not the disk.
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", dir)
	if err := s.run("pg_ctl", "-D", s.data(), "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\n%s", err, log)
	}
	s.watch()
	return s, nil
}

// run runs one of the server's programs as the cluster's owner.
func (s *server) run(prog string, args ...string) error {
	argv := append(append(slices.Clone(s.as), filepath.Join(s.bin, prog)), args...)
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", prog, err, out)
	}
	return nil
}

// stop stops the server at once (nothing in it is worth a checkpoint)
// and removes its directory.
func (s *server) stop() error {
	err := s.run("pg_ctl", "-D", s.data(), "-m", "immediate", "-w", "stop")
	if rerr := os.RemoveAll(s.dir); err == nil {
		err = rerr
	}
	return err
}
