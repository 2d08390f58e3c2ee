package store_test

import (
	"os"
	"testing"

	"github.com/soudan/soudan/internal/paralleltest"
	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// TestMain runs up to 8 parallel tests at once: the store's parallel
// tests (the flipped bytes, the tip index against checking every tip)
// each open and commit bbolt files, and wait on the disk's syncs more
// than they compute. It gives the tests a PostgreSQL when they ask for
// one (the engine tests, and every test under SOUDAN_TEST_STORE=postgres).
func TestMain(m *testing.M) {
	paralleltest.Set(8)
	os.Exit(pgtest.Main(m))
}
