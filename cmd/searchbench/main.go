// Command searchbench measures soudan's tip search at scale: it imports N
// generated Japanese and English tips into a fresh bbolt file (in batches
// of -batch tips per transaction, as `soudan import tips` would), then runs
// -queries generated searches and reports the import time, the p50, p95
// and p99 search latency, the data file's size and the process's resident
// memory while serving.
//
//	go run ./cmd/searchbench -n 100000
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/store"
)

func main() {
	n := flag.Int("n", 100000, "tips to import")
	batch := flag.Int("batch", 1000, "tips per transaction")
	queries := flag.Int("queries", 2000, "searches to time")
	dir := flag.String("dir", "", "directory for the data file (default: a temporary one, removed after)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the searches to FILE")
	flag.Parse()
	profile = *cpuprofile
	if err := run(*n, *batch, *queries, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

// profile is the file for a CPU profile of the searches, if any.
var profile string

func run(n, batch, queries int, dir string) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "searchbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	path := filepath.Join(dir, "searchbench.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	g := newGenerator(rng)

	start := time.Now()
	for done := 0; done < n; done += batch {
		err := st.Update(func(tx *store.Tx) error {
			for i := done; i < min(done+batch, n); i++ {
				if _, err := tx.CreateTip(g.tip()); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	imported := time.Since(start)
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()

	qs := make([]string, queries)
	for i := range qs {
		qs[i] = g.query()
	}
	// One warm-up pass over a tenth of them: a server has its pages cached.
	for _, q := range qs[:queries/10] {
		if _, err := search(st, q); err != nil {
			return err
		}
	}
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	lat := make([]time.Duration, len(qs))
	hits, empty := 0, 0
	for i, q := range qs {
		t0 := time.Now()
		k, err := search(st, q)
		lat[i] = time.Since(t0)
		if err != nil {
			return err
		}
		hits += k
		if k == 0 {
			empty++
		}
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))].Round(10 * time.Microsecond) }
	rss, hwm := memory()
	fmt.Printf("tips %d, import %v (%.0f tips/s, %d per transaction)\n", n, imported.Round(time.Millisecond), float64(n)/imported.Seconds(), batch)
	fmt.Printf("data file %.1f MB\n", float64(fi.Size())/(1<<20))
	fmt.Printf("searches %d (%d with no hit, %.1f hits each): p50 %v, p95 %v, p99 %v, max %v\n",
		len(qs), empty, float64(hits)/float64(len(qs)), pct(0.50), pct(0.95), pct(0.99), lat[len(lat)-1].Round(10*time.Microsecond))
	fmt.Printf("RSS while serving %s, peak (import included) %s\n", rss, hwm)
	return nil
}

// search runs one search for the default 5 results, as /soudan tip search
// does, and returns how many it found.
func search(st *store.Store, q string) (int, error) {
	var k int
	err := st.View(func(tx *store.Tx) error {
		hits, err := tx.SearchTips(q, 5)
		k = len(hits)
		return err
	})
	return k, err
}

// memory returns VmRSS and VmHWM from /proc/self/status.
func memory() (rss, hwm string) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?", "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "VmRSS:":
			rss = f[1] + " kB"
		case "VmHWM:":
			hwm = f[1] + " kB"
		}
	}
	return rss, hwm
}
