package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the garbage collector's target when GOGC is not set.
// soudan's live heap is small (tens of MB: the store is a memory-mapped
// file, not heap) while every event allocates (JSON records, messages,
// replies), so Go's default of 100 collects every few megabytes: at 1,000
// events/s the collector took about 15 % of the process's CPU (measured
// with -pprof, docs/measurements/2026-12-07-intake.md). 400 lets the heap
// grow to five times what is live between collections, a few tens of MB
// more, for a quarter of the collections. GOMEMLIMIT, when set, still
// makes the collector run sooner near that limit.
const gcPercent = 400

// tuneGC sets gcPercent unless the operator set GOGC, which wins.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	debug.SetGCPercent(gcPercent)
}
