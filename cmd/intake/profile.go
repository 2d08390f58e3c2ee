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
//
// It also counts the CPU time the bot and this tool (the load generator
// and the fake platform, which share the machine with the bot) used over
// the step, so that a rate the bot does not keep up with can be told
// apart from a machine that has no CPU left for it.
type stepProfile struct {
	file          string // where the CPU profile went
	err           error  // why there is none
	before, after float64
	done          chan struct{}

	pid               int
	start, stop       time.Time
	botCPU0, botCPU   time.Duration // the bot's user+system CPU time, at the start and over the step
	toolCPU0, toolCPU time.Duration // this process's, likewise
}

// startProfile starts taking a step's profile from the bot at addr; the
// step lasts step from now. Call end when the load stops.
func startProfile(dir, name, addr string, pid int, step time.Duration) *stepProfile {
	p := &stepProfile{file: filepath.Join(dir, name+".cpu.pb.gz"), done: make(chan struct{}), pid: pid, start: time.Now()}
	p.before, p.err = storeCommits(addr)
	p.botCPU0, p.toolCPU0 = processCPU(pid), processCPU(os.Getpid())
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

// end counts the CPU time used since the start, waits for the CPU
// profile and reads the commit counter again; call it once the step's
// events are handled, before the bot stops, so that the CPU and the
// commits counted are those of every event the step acknowledged.
func (p *stepProfile) end(addr string) {
	p.stop = time.Now()
	p.botCPU, p.toolCPU = processCPU(p.pid)-p.botCPU0, processCPU(os.Getpid())-p.toolCPU0
	<-p.done
	after, err := storeCommits(addr)
	if p.err == nil {
		p.after, p.err = after, err
	}
}

// report is one line about the step's profile: the commits per stored
// question, or why the profile is missing.
func (p *stepProfile) report(rate float64, stored, acked int) string {
	wall := p.stop.Sub(p.start).Seconds()
	cpu := fmt.Sprintf("CPU over the %.1f s of load and drain: the bot %.1f s (%.0f %% of one core; %.2f ms per handled event), the tool (load and fake platform) %.1f s (%.0f %%)",
		wall, p.botCPU.Seconds(), 100*p.botCPU.Seconds()/wall, perEvent(p.botCPU, acked), p.toolCPU.Seconds(), 100*p.toolCPU.Seconds()/wall)
	if p.err != nil {
		return fmt.Sprintf("%g/s: %s; no profile: %v", rate, cpu, p.err)
	}
	commits := p.after - p.before
	per := 0.0
	if stored > 0 {
		per = commits / float64(stored)
	}
	return fmt.Sprintf("%g/s: %s; %.0f data-file commits for %d stored questions (%.2f each, replies and deliveries included); CPU profile %s", rate, cpu, commits, stored, per, p.file)
}

// perEvent is d per event in milliseconds; 0 without events.
func perEvent(d time.Duration, events int) float64 {
	if events == 0 {
		return 0
	}
	return float64(d.Milliseconds()) / float64(events)
}

// clockTick is the unit of /proc/PID/stat's CPU times (USER_HZ, 100 on
// Linux whatever the kernel's own tick).
const clockTick = 10 * time.Millisecond

// processCPU is the user and system CPU time process pid has used, from
// /proc (0 where there is none: the counts are then missing, not wrong).
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: the fields
	// counted are after its closing parenthesis (utime and stime are the
	// 14th and 15th fields of the line, the 12th and 13th after it).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * clockTick
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
