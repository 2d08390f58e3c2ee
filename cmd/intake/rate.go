package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// rateMode offers fixed rates of events, each on a fresh bot and file.
type rateMode struct {
	rates               string
	step, grace, commit time.Duration
	backupAt            time.Duration // 0: no hot backup during the steps
}

// keptUp is the rule of the rate table: the load kept its pace, every
// event sent was acknowledged, every acknowledged question was stored
// with its routing (nothing lost), and the store p99 is under 3 s.
func keptUp(offered, sent int, t tally) bool {
	return sent >= offered*95/100 && t.Unacked == 0 && t.Lost == 0 && len(t.StoreLatency) == t.AckedQ && percentile(t.StoreLatency, 99) < 3*time.Second
}

func (r *rateMode) run(c *common, out io.Writer) error {
	var rates []float64
	for _, f := range strings.Split(r.rates, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || v <= 0 {
			return fmt.Errorf("bad -rates %q", r.rates)
		}
		rates = append(rates, v)
	}
	if r.backupAt > 0 {
		if c.platform != "slack" {
			return fmt.Errorf("-backup-at needs -platform slack")
		}
		if r.backupAt >= r.step {
			return fmt.Errorf("-backup-at %s is not within -step %s", r.backupAt, r.step)
		}
		c.backups = filepath.Join(c.dir, "backups")
		if err := os.MkdirAll(c.backups, 0o700); err != nil {
			return err
		}
	}
	if c.profile != "" {
		if err := os.MkdirAll(c.profile, 0o700); err != nil {
			return err
		}
	}
	commits, err := commitRate(c.dir, r.commit)
	if err != nil {
		return fmt.Errorf("bbolt commit rate: %w", err)
	}
	fmt.Fprintf(out, "raw bbolt: %.0f commits/s (one goroutine, one Put + commit each, %s, in %s)\n", commits, r.commit, c.dir)
	fmt.Fprintf(out, "rate mode: each step %s on a fresh bot, grace %s; %d preloaded consultations; replies %.0f%%\n\n", r.step, r.grace, c.preload, c.replies*100)
	fmt.Fprintln(out, "| offered/s | sent | acked | ack p50 ms | ack p99 ms | stored | store p50 ms | store p99 ms | first post p50 ms | first post p99 ms | stored questions/s ÷ bbolt commits/s | kept up |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	best := 0.0
	var finals []tally
	var backups []*hotBackup
	var profiles []string
	for i, rate := range rates {
		s, err := c.begin(fmt.Sprintf("rate-%d", i), false)
		if err != nil {
			return fmt.Errorf("rate %g: %w", rate, err)
		}
		offered := int(rate * r.step.Seconds())
		var hb chan *hotBackup
		if r.backupAt > 0 {
			hb = make(chan *hotBackup, 1)
			time.AfterFunc(r.backupAt, func() { hb <- takeHotBackup(s, c.backups) })
		}
		var prof *stepProfile
		if c.profile != "" {
			prof = startProfile(c.profile, fmt.Sprintf("rate-%d", i), s.cfg.addr, s.bot.cmd.Process.Pid, r.step)
		}
		sent := s.load.paced(rate, r.step, maxInFlight, nil)
		if hb != nil {
			backups = append(backups, <-hb)
		}
		s.load.wait(10 * time.Second)
		s.waitHandled(r.grace)
		if prof != nil {
			prof.end(s.cfg.addr)
		}
		t, err := s.finish(out)
		if err != nil {
			return err
		}
		finals = append(finals, t)
		kept := keptUp(offered, sent, t)
		if kept && rate > best {
			best = rate
		}
		storedRate := float64(len(t.StoreLatency)) / r.step.Seconds()
		if prof != nil {
			profiles = append(profiles, prof.report(rate, len(t.StoreLatency), len(t.StoreLatency)+t.AckedR-t.LostReplies))
		}
		fmt.Fprintf(out, "| %g | %d | %d | %.1f | %.1f | %d | %.1f | %.1f | %.1f | %.1f | %.3f | %v |\n", rate, sent, t.AckedQ+t.AckedR,
			ms(percentile(t.AckLatency, 50)), ms(percentile(t.AckLatency, 99)), len(t.StoreLatency),
			ms(percentile(t.StoreLatency, 50)), ms(percentile(t.StoreLatency, 99)),
			ms(percentile(t.HandleLatency, 50)), ms(percentile(t.HandleLatency, 99)), storedRate/commits, kept)
	}
	fmt.Fprintf(out, "\nhighest rate kept up with: %g events/s = %.3f of the raw bbolt commit rate\n\n", best, best/commits)
	if len(profiles) > 0 {
		fmt.Fprintf(out, "profiles (-profile):\n%s\n\n", strings.Join(profiles, "\n"))
	}
	fmt.Fprintln(out, "after each step the bot was stopped (SIGTERM) and its file read:")
	fmt.Fprintln(out, lossHeader)
	losses := 0
	for i, t := range finals {
		lossTable(out, fmt.Sprintf("%g/s", rates[i]), t)
		losses += t.losses()
	}
	if r.backupAt > 0 {
		fmt.Fprintf(out, "\nhot backups (/soudan admin backup %s into each step, opened after the run):\n%s\n", r.backupAt, backupHeader)
		for i, hb := range backups {
			bc, err := hb.check(c.dir)
			if err != nil {
				return fmt.Errorf("hot backup at %g/s: %w", rates[i], err)
			}
			fmt.Fprintf(out, "| %g | %s | %d | %d | %d | %d | %.1f | %.0f ms |\n", rates[i], r.backupAt, bc.Acked, bc.Handled, bc.Recorded, bc.Missing,
				float64(bc.Size)/(1<<20), ms(hb.took))
			losses += bc.Missing
		}
	}
	if losses > 0 {
		return errLoss
	}
	return nil
}
