package inbox_test

import (
	"os"
	"testing"

	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// TestMain gives the tests a PostgreSQL when they ask for one: under
// SOUDAN_TEST_STORE=postgres the inbox's tests run on that engine, where
// its records go through a connection pool of their own.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
