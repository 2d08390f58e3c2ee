package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgCluster is the PostgreSQL the replicas share: a throwaway cluster
// started from Debian's packages in the run's directory (as
// store/kv/pgkv/pgtest starts the tests' one), listening on a unix socket
// only. Unlike the tests' cluster it keeps fsync and synchronous commits
// on: the figures compare it with bbolt, which syncs every commit. The
// tool stops and starts it (pg_ctl) to cut the replicas off their
// database under load.
type pgCluster struct {
	bin, dir string
	as       []string // the command prefix that runs a program as the cluster's owner
	opts     string
}

// startPG makes and starts a cluster in dir/pg.
func startPG(dir string) (*pgCluster, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		return nil, fmt.Errorf("no /usr/lib/postgresql/*/bin/initdb: install Debian's postgresql, or pass -store postgres://…")
	}
	version := func(p string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return n
	}
	slices.SortFunc(found, func(a, b string) int { return version(b) - version(a) })
	p := &pgCluster{bin: filepath.Dir(found[0]), dir: filepath.Join(dir, "pg")}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres user to own the cluster: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(p.dir, uid, gid); err != nil {
			return nil, err
		}
		// The cluster's owner must reach its socket through dir.
		if err := os.Chmod(dir, 0o755); err != nil {
			return nil, err
		}
		p.as = []string{"runuser", "-u", "postgres", "--"}
	}
	if err := p.run("initdb", "-D", p.data(), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"); err != nil {
		return nil, err
	}
	p.opts = fmt.Sprintf("-k %s -c listen_addresses='' -c max_connections=300", p.dir)
	return p, p.start()
}

func (p *pgCluster) data() string { return filepath.Join(p.dir, "data") }

// url is the URL of database name on the cluster.
func (p *pgCluster) url(name string) string {
	return "postgres:///" + name + "?host=" + p.dir + "&user=postgres&sslmode=disable"
}

// run runs one of the server's programs as the cluster's owner.
func (p *pgCluster) run(prog string, args ...string) error {
	argv := append(append(slices.Clone(p.as), filepath.Join(p.bin, prog)), args...)
	out, err := exec.Command(argv[0], argv[1:]...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w\n%s", prog, err, out)
	}
	return nil
}

// start starts the server and waits until it accepts connections.
func (p *pgCluster) start() error {
	return p.run("pg_ctl", "-D", p.data(), "-l", filepath.Join(p.dir, "log"), "-w", "-t", "60", "-o", p.opts, "start")
}

// stop stops the server fast: connected replicas see their connections
// end, as when the database's machine goes away.
func (p *pgCluster) stop() error {
	return p.run("pg_ctl", "-D", p.data(), "-m", "fast", "-w", "stop")
}

// execSQL runs one statement on the database at url.
func execSQL(url, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}
