// Package paralleltest runs a package's parallel tests more at once than
// there are CPUs. go test runs GOMAXPROCS parallel tests at a time, right
// for tests that compute; soudan's tests mostly wait, on bbolt's disk
// syncs, the outbox's timers and the fake platforms' round trips, so on 2
// CPUs a package of them takes three to five times longer than it needs.
package paralleltest

import (
	"flag"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// Main runs m's tests, n parallel tests at once (GOMAXPROCS if that is
// more) unless -test.parallel says otherwise, and exits with their code.
// Call it from TestMain, after any other setup.
func Main(m *testing.M, n int) {
	Set(n)
	os.Exit(m.Run())
}

// Set makes n parallel tests at once the default (GOMAXPROCS if that is
// more) unless -test.parallel says otherwise, for a TestMain that runs
// m itself (e.g. through pgtest.Main).
func Set(n int) {
	if err := setDefault(n); err != nil {
		panic(err)
	}
}

// setDefault sets -test.parallel to n, at least GOMAXPROCS, unless the
// command line set it.
func setDefault(n int) error {
	if !flag.Parsed() {
		flag.Parse()
	}
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if set {
		return nil
	}
	return flag.Set("test.parallel", strconv.Itoa(max(n, runtime.GOMAXPROCS(0))))
}
