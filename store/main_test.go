package store

import (
	"testing"

	"github.com/soudan/soudan/internal/paralleltest"
)

// TestMain runs up to 8 parallel tests at once: the store's parallel
// tests (the flipped bytes, the tip index against checking every tip)
// each open and commit bbolt files, and wait on the disk's syncs more
// than they compute.
func TestMain(m *testing.M) { paralleltest.Main(m, 8) }
