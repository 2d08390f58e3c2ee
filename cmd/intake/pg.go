package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/soudan/soudan/store/kv/pgkv/pgcluster"
)

// pgCluster is the PostgreSQL the replicas share: a throwaway cluster
// started from Debian's packages in the run's directory (as
// store/kv/pgkv/pgtest starts the tests' one), listening on a unix socket
// only. Unlike the tests' cluster it keeps fsync and synchronous commits
// on: the figures compare it with bbolt, which syncs every commit. The
// tool stops and starts it (pg_ctl) to cut the replicas off their
// database under load.
type pgCluster struct{ *pgcluster.Cluster }

// startPG makes and starts a cluster in dir/pg.
func startPG(dir string) (*pgCluster, error) {
	bin, err := pgcluster.Binaries()
	if err != nil {
		return nil, fmt.Errorf("%w: install it, or pass -store postgres://…", err)
	}
	pg := filepath.Join(dir, "pg")
	if err := os.MkdirAll(pg, 0o700); err != nil {
		return nil, err
	}
	if os.Geteuid() == 0 {
		// The cluster's owner (postgres) must reach its socket through dir.
		if err := os.Chmod(dir, 0o755); err != nil {
			return nil, err
		}
	}
	c, err := pgcluster.Init(bin, pg, true)
	if err != nil {
		return nil, err
	}
	p := &pgCluster{c}
	return p, p.start()
}

// url is the URL of database name on the cluster.
func (p *pgCluster) url(name string) string { return p.URL(name) }

// start starts the server and waits until it accepts connections.
func (p *pgCluster) start() error { return p.Start() }

// stop stops the server fast: connected replicas see their connections
// end, as when the database's machine goes away.
func (p *pgCluster) stop() error { return p.Stop("fast") }

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
