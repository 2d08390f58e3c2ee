// Command searchbench measures soudan's tip search at scale: it imports N
// generated Japanese and English tips into a fresh bbolt file (in batches
// of -batch tips per transaction), compacts a copy of it as `soudan
// compact` would, then, for the file as imported and for the compacted
// copy, starts itself again as a server would start on that file and runs
// -queries generated searches there, reporting the import time, the
// files' sizes, the p50, p95 and p99 search latency and the serving
// process's resident memory.
//
//	go run ./cmd/searchbench -n 100000
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/store"
)

// dense chooses the harsher vocabulary (see generator).
var dense bool

func main() {
	n := flag.Int("n", 100000, "tips to import")
	batch := flag.Int("batch", 1000, "tips per transaction")
	queries := flag.Int("queries", 2000, "searches to time")
	dir := flag.String("dir", "", "directory for the data files (default: a temporary one, removed after)")
	serve := flag.String("serve", "", "(internal) search FILE and report, as the serving process")
	cpuprofile := flag.String("cpuprofile", "", "with -serve: write a CPU profile of the searches to FILE")
	flag.BoolVar(&dense, "dense", false, "draw words from the synonym dictionary alone: the most common words in nearly every tip")
	flag.Parse()
	var err error
	if *serve != "" {
		err = serveSearches(*serve, *queries, *cpuprofile)
	} else {
		err = run(*n, *batch, *queries, *dir)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

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
	g := newGenerator(rand.New(rand.NewPCG(1, 2)), dense)
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
			st.Close()
			return fmt.Errorf("import: %w", err)
		}
	}
	imported := time.Since(start)
	if err := st.Close(); err != nil {
		return err
	}
	compacted := filepath.Join(dir, "compacted.db")
	before, after, err := store.Compact(path, compacted, time.Second)
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	fmt.Printf("tips %d, import %v (%.0f tips/s, %d per transaction)\n", n, imported.Round(time.Millisecond), float64(n)/imported.Seconds(), batch)
	fmt.Printf("data file %.1f MB, compacted %.1f MB\n", float64(before)/(1<<20), float64(after)/(1<<20))
	for _, f := range []struct{ name, path string }{{"as imported", path}, {"compacted", compacted}} {
		fmt.Printf("serving the file %s:\n", f.name)
		args := []string{"-serve", f.path, "-queries", fmt.Sprint(queries)}
		if dense {
			args = append(args, "-dense")
		}
		cmd := exec.Command(os.Args[0], args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return err
		}
	}
	return nil
}

// serveSearches opens path as a server would and times queries searches.
func serveSearches(path string, queries int, profile string) error {
	st, err := store.Open(path, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	g := newGenerator(rand.New(rand.NewPCG(1, 2)), dense) // the vocabulary of the tips
	g.reseed(rand.New(rand.NewPCG(3, 4)))
	qs := make([]string, queries)
	for i := range qs {
		qs[i] = g.query()
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
	fmt.Printf("  searches %d, from a cold start (%d with no hit, %.1f hits each): p50 %v, p95 %v, p99 %v, max %v\n",
		len(qs), empty, float64(hits)/float64(len(qs)), pct(0.50), pct(0.95), pct(0.99), lat[len(lat)-1].Round(10*time.Microsecond))
	rss, hwm, anon, file := memory()
	fmt.Printf("  serving process: RSS %s (heap and other own memory %s, mapped data file pages %s), peak %s\n", rss, anon, file, hwm)
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

// memory returns VmRSS, VmHWM and the RSS's parts, from /proc/self/status:
// RssAnon is the process's own memory (the Go heap), RssFile the pages of
// the data file it has mapped (bbolt reads the file through mmap; the
// kernel may drop these clean pages under memory pressure).
func memory() (rss, hwm, anon, file string) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?", "?", "?", "?"
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
		case "RssAnon:":
			anon = f[1] + " kB"
		case "RssFile:":
			file = f[1] + " kB"
		}
	}
	return rss, hwm, anon, file
}
