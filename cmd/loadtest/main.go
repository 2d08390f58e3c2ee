// Command loadtest measures soudan's delivery engine (handlers/outbox)
// against a fake chat platform that enforces a rate limit R, with N
// recipients of one broadcast:
//
//	go run ./cmd/loadtest -n 30000 -rate 500
//
// It runs the worker as a real subprocess on a bbolt file, twice: once
// undisturbed, reporting the completion time against N/R, and once killed
// with SIGKILL mid-way and restarted on the same file, reporting the
// duplicates and missing deliveries the platform saw (targets: 0 and 0).
// The fake platform answers 429 with Retry-After past R and can tell
// whether a delivery key was posted, as bot.DeliveryChecker asks.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/soudan/soudan/internal/outbox"
)

// workerEnv marks the subprocess the driver starts as the worker.
const workerEnv = "SOUDAN_LOADTEST_WORKER"

func main() {
	if os.Getenv(workerEnv) == "1" {
		if err := workerMain(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest worker:", err)
			os.Exit(1)
		}
		return
	}
	if err := drive(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// settings are the driver's flags.
type settings struct {
	n           int
	perSecond   float64
	concurrency int
	killAt      float64 // fraction of n posted when the worker is killed
	dir         string
}

// result is one run's outcome.
type result struct {
	tally
	missing int
	killed  int           // posts when the worker was killed; 0 when it was not
	wall    time.Duration // worker start to batch done, restarts included
}

// drive runs the clean and the killed run and prints the report.
func drive(args []string, out io.Writer) error {
	var s settings
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.IntVar(&s.n, "n", 30000, "recipients")
	fs.Float64Var(&s.perSecond, "rate", 500, "the fake platform's rate limit R, messages per second (the worker is configured with the same)")
	fs.IntVar(&s.concurrency, "concurrency", outbox.DefaultConcurrency, "sends in flight")
	fs.Float64Var(&s.killAt, "kill-at", 0.5, "kill the second run's worker when this fraction of N was posted")
	fs.StringVar(&s.dir, "dir", "", "directory for the data files (default: a temporary one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if s.n < 2 || s.perSecond <= 0 || s.killAt <= 0 || s.killAt >= 1 {
		return errors.New("want -n >= 2, -rate > 0 and 0 < -kill-at < 1")
	}
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "soudan-loadtest-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		s.dir = dir
	}
	fmt.Fprintf(out, "N=%d R=%g/s concurrency=%d (ideal N/R = %s)\n", s.n, s.perSecond, s.concurrency, ideal(s))
	clean, err := run(s, "clean.db", false)
	if err != nil {
		return fmt.Errorf("clean run: %w", err)
	}
	fmt.Fprintf(out, "clean:  %d posts in %s (first to last): %.3f of the limit; wall %s; 429s %d; duplicates %d; missing %d\n",
		clean.Posts, clean.Span.Round(time.Millisecond), ratio(s, clean), clean.wall.Round(time.Millisecond), clean.Throttled, clean.Duplicates, clean.missing)
	killed, err := run(s, "killed.db", true)
	if err != nil {
		return fmt.Errorf("killed run: %w", err)
	}
	fmt.Fprintf(out, "killed: SIGKILL after %d posts, restarted on the same file: %d unique posts; duplicates %d; missing %d; delivery checks %d; 429s %d; wall %s (longest pause between posts %s, the restart included)\n",
		killed.killed, killed.Unique, killed.Duplicates, killed.missing, killed.Checks, killed.Throttled, killed.wall.Round(time.Millisecond), killed.Stall.Round(time.Millisecond))
	if clean.Duplicates+clean.missing+killed.Duplicates+killed.missing > 0 {
		return errors.New("duplicates or missing deliveries")
	}
	return nil
}

// ideal is N/R.
func ideal(s settings) time.Duration {
	return time.Duration(float64(s.n) / s.perSecond * float64(time.Second))
}

// ratio is the achieved rate over R, from the first post to the last.
func ratio(s settings, r result) float64 {
	if r.Span <= 0 {
		return 0
	}
	return float64(r.Posts-1) / r.Span.Seconds() / s.perSecond
}

// run starts a fake platform and the worker on a new data file; with kill
// it kills the worker once mid-way and starts it again.
func run(s settings, file string, kill bool) (result, error) {
	p := newPlatform(s.perSecond)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	db := filepath.Join(s.dir, file)
	start := time.Now()
	var res result
	w, err := startWorker(s, db, base)
	if err != nil {
		return result{}, err
	}
	if kill {
		for p.tally().Posts < int(s.killAt*float64(s.n)) && !w.exited() {
			time.Sleep(2 * time.Millisecond)
		}
		if err := w.cmd.Process.Kill(); err != nil && !w.exited() {
			return result{}, fmt.Errorf("kill worker: %w", err)
		}
		<-w.done
		res.killed = p.tally().Posts
		if w, err = startWorker(s, db, base); err != nil {
			return result{}, err
		}
	}
	<-w.done
	if w.err != nil {
		return result{}, fmt.Errorf("worker: %w\n%s", w.err, w.stderr)
	}
	res.wall = time.Since(start)
	res.tally = p.tally()
	res.missing = p.missing(s.n)
	return res, nil
}

// worker is a running worker subprocess.
type worker struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	done   chan struct{}
	err    error
}

func (w *worker) exited() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// startWorker starts this program as the worker on db.
func startWorker(s settings, db, base string) (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-db", db, "-platform", base, "-n", strconv.Itoa(s.n),
		"-rate", strconv.FormatFloat(s.perSecond, 'f', -1, 64), "-concurrency", strconv.Itoa(s.concurrency))
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	w := &worker{cmd: cmd, stderr: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	go func() {
		w.err = cmd.Wait()
		close(w.done)
	}()
	return w, nil
}
