package pgkv_test

import (
	"context"
	"os"
	"testing"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/kvtest"
	"github.com/soudan/soudan/store/kv/pgkv"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// open opens a new empty database for t.
func open(t *testing.T) *pgkv.DB {
	t.Helper()
	db, err := pgkv.Open(context.Background(), pgtest.URL(t), pgkv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the seam's conformance suite on a real PostgreSQL.
func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.DB { return open(t) })
}
