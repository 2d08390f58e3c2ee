package store

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// TestMain runs up to parallelTests parallel tests at once unless
// -test.parallel says otherwise, not one per CPU: the store's parallel
// tests (the flipped bytes, the tip index against checking every tip)
// each open and commit bbolt files, and wait on the disk's syncs more
// than they compute.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", strconv.Itoa(max(parallelTests, runtime.GOMAXPROCS(0)))); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}

// parallelTests is how many tests run at once by default (see TestMain).
const parallelTests = 8
