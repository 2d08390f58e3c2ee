package store_test

import (
	"os"
	"testing"

	"github.com/soudan/soudan/store/kv/pgkv/pgtest"
)

// TestMain gives the tests a PostgreSQL when they ask for one (the
// engine tests, and every test under SOUDAN_TEST_STORE=postgres).
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
