package outbox_test

import (
	"os"
	"testing"

	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// TestMain gives the worker's tests a PostgreSQL when they ask for one:
// under SOUDAN_TEST_STORE=postgres every store they open is a database
// there, where a claim's transaction may be retried for real.
func TestMain(m *testing.M) {
	os.Exit(pgtest.Main(m))
}
