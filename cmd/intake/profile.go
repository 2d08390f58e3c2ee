package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// stepProfile is what rate -profile takes of one step: a CPU profile of
// the bot over the middle half of the step, and the data file's commits
// (soudan_store_commits_total) at its start and end, so that a change
// to the handling path is judged by where the time goes and how many
// commits one event costs, on the run it also measures.
type stepProfile struct {
	file          string // where the CPU profile went
	err           error  // why there is none
	before, after float64
	done          chan struct{}
}

// startProfile starts taking a step's profile from the bot at addr; the
// step lasts step from now. Call end when the load stops.
func startProfile(dir, name, addr string, step time.Duration) *stepProfile {
	p := &stepProfile{file: filepath.Join(dir, name+".cpu.pb.gz"), done: make(chan struct{})}
	p.before, p.err = storeCommits(addr)
	go func() {
		defer close(p.done)
		// The middle half: past the bot's warm-up, before the load stops.
		time.Sleep(step / 4)
		secs := max(int((step / 2).Seconds()), 1)
		if err := fetchTo(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs), p.file, time.Duration(secs)*time.Second+30*time.Second); err != nil && p.err == nil {
			p.err = err
		}
	}()
	return p
}

// end waits for the CPU profile and reads the commit counter again; call
// it after the step's events are handled and before the bot stops.
func (p *stepProfile) end(addr string) {
	<-p.done
	after, err := storeCommits(addr)
	if p.err == nil {
		p.after, p.err = after, err
	}
}

// report is one line about the step's profile: the commits per stored
// question, or why the profile is missing.
func (p *stepProfile) report(rate float64, stored int) string {
	if p.err != nil {
		return fmt.Sprintf("%g/s: no profile: %v", rate, p.err)
	}
	commits := p.after - p.before
	per := 0.0
	if stored > 0 {
		per = commits / float64(stored)
	}
	return fmt.Sprintf("%g/s: %.0f data-file commits for %d stored questions (%.2f each, replies and deliveries included); CPU profile %s", rate, commits, stored, per, p.file)
}

// fetchTo writes the body of a GET of url into file.
func fetchTo(url, file string, timeout time.Duration) error {
	client := &http.Client{Timeout: timeout}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// storeCommits reads soudan_store_commits_total from the bot's /metrics.
func storeCommits(addr string) (float64, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return metricValue(resp.Body, "soudan_store_commits_total")
}

// metricValue finds the value of an unlabelled metric in Prometheus's
// text format.
func metricValue(r io.Reader, name string) (float64, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			return strconv.ParseFloat(strings.TrimSpace(rest), 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no %s in the metrics", name)
}
