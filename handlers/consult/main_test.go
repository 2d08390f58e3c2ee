package consult

import (
	"testing"

	"github.com/soudan/soudan/internal/paralleltest"
)

// TestMain runs up to 8 tests at once: each has its own environment
// (testenv: a bbolt file, a router, a fake adapter) and waits on its
// commits more than it computes.
func TestMain(m *testing.M) { paralleltest.Main(m, 8) }
