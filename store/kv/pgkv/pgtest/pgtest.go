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
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/soudan/soudan/store/kv/pgkv/pgcluster"
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
	bin, err := pgcluster.Binaries()
	if err != nil {
		return "", fmt.Errorf("%s is not set and %w", EnvURL, err)
	}
	return bin, nil
}

// server is a throwaway cluster: its data directory and unix socket live
// in its directory, and it listens on no TCP port.
type server struct{ *pgcluster.Cluster }

func (s *server) url() string { return s.URL("postgres") }

// start makes and starts a cluster in a new temporary directory, with
// nothing synced: the tests measure soudan, not the disk.
func start(bin string) (*server, error) {
	dir, err := os.MkdirTemp("", "soudan-pg-")
	if err != nil {
		return nil, err
	}
	c, err := pgcluster.Init(bin, dir, false)
	if err == nil {
		err = c.Start()
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &server{c}
	s.watch()
	return s, nil
}

// stop stops the server at once (nothing in it is worth a checkpoint)
// and removes its directory.
func (s *server) stop() error {
	err := s.Stop("immediate")
	if rerr := os.RemoveAll(s.Dir); err == nil {
		err = rerr
	}
	return err
}
