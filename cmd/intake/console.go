package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/soudan/soudan/store"
)

// consoleMode kills the console with SIGKILL at random lines of a script
// of questions and restarts it on the same file: every question whose
// echo was printed (the console's acknowledgement) must be routed exactly
// once in the end.
type consoleMode struct {
	questions int
	kills     int
}

// consoleAck is how long the tool waits for one line's echo.
const consoleAck = 10 * time.Second

// consoleRun is one run of `soudan console` fed line by line.
type consoleRun struct {
	cmd   *exec.Cmd
	in    io.WriteCloser
	lines chan string // stdout lines
}

func startConsole(bin, db string) (*consoleRun, error) {
	cmd := exec.Command(bin, "console", "-db", db, "-demo", "-console-user", "admin")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &consoleRun{cmd: cmd, in: in, lines: make(chan string, 1024)}
	go func() {
		defer close(r.lines)
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			r.lines <- sc.Text()
		}
	}()
	return r, nil
}

// send writes one question line as user and waits for its echo; it
// reports false when the console died or did not echo in time.
func (r *consoleRun) send(user, text string) bool {
	if _, err := fmt.Fprintf(r.in, ":as %s\n%s\n", user, text); err != nil {
		return false
	}
	deadline := time.After(consoleAck)
	for {
		select {
		case l, ok := <-r.lines:
			if !ok {
				return false
			}
			if strings.HasPrefix(l, "["+user+" → DM]") {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// kill ends the process with SIGKILL and waits for it.
func (r *consoleRun) kill() {
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	_ = r.cmd.Wait()
}

// stop closes the input and waits for the console to end.
func (r *consoleRun) stop() error {
	_ = r.in.Close()
	for range r.lines {
	}
	return r.cmd.Wait()
}

func (k *consoleMode) run(c *common, out io.Writer) error {
	db := filepath.Join(c.dir, "console.db")
	rng := rand.New(rand.NewPCG(c.seed, 7))
	killAt := map[int]bool{}
	for len(killAt) < min(k.kills, k.questions) {
		killAt[rng.IntN(k.questions)] = true
	}
	r, err := startConsole(c.bin, db)
	if err != nil {
		return err
	}
	echoed := map[string]bool{} // markers of the questions the console acknowledged
	kills := 0
	for i := 0; i < k.questions; i++ {
		marker := fmt.Sprintf("q-%06d", i+1)
		user := fmt.Sprintf("u%03d", i%200)
		if !r.send(user, "キャリアパスについて相談したいです "+marker) {
			return fmt.Errorf("question %d: the console did not acknowledge it", i+1)
		}
		echoed[marker] = true
		if killAt[i] {
			// Right after the echo: the line is recorded, maybe not yet
			// routed.
			r.kill()
			kills++
			if r, err = startConsole(c.bin, db); err != nil {
				return err
			}
		}
	}
	if err := r.stop(); err != nil {
		return fmt.Errorf("the last console run: %w", err)
	}
	// One more start handles whatever the last stop left, then ends.
	if r, err = startConsole(c.bin, db); err != nil {
		return err
	}
	if err := r.stop(); err != nil {
		return err
	}
	lost, dup, unrouted, err := checkConsoleFile(db, echoed)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "console mode: %d questions from 200 users, SIGKILL right after %d of their echoes, restarted each time\n\n", k.questions, kills)
	fmt.Fprintln(out, "| questions acknowledged | lost | duplicated consultations | not routed |")
	fmt.Fprintln(out, "|---|---|---|---|")
	fmt.Fprintf(out, "| %d | %d | %d | %d |\n", len(echoed), lost, dup, unrouted)
	if lost+dup+unrouted > 0 {
		return errLoss
	}
	return nil
}

// checkConsoleFile counts, among the acknowledged questions, those with no
// consultation, more than one, or one routed to nobody.
func checkConsoleFile(db string, echoed map[string]bool) (lost, dup, unrouted int, err error) {
	st, err := store.Open(db, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		return 0, 0, 0, err
	}
	defer st.Close()
	count := map[string]int{}
	routed := map[string]bool{}
	err = st.View(func(tx *store.Tx) error {
		cs, err := tx.Consultations().ByState()
		if err != nil {
			return err
		}
		for _, c := range cs {
			m := markerRE.FindString(c.Question())
			count[m]++
			routed[m] = routed[m] || len(c.Routed) > 0
		}
		return nil
	})
	for m := range echoed {
		switch n := count[m]; {
		case n == 0:
			lost++
		case n > 1:
			dup += n - 1
		case !routed[m]:
			unrouted++
		}
	}
	return lost, dup, unrouted, err
}
