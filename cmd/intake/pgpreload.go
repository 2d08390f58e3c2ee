package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

// preloadPG copies the preloaded data file, when there is one, into the
// new empty database at url with the binary's own migrate command: the
// replicas on PostgreSQL then start on the same history as the bot on a
// copy of the file, so that the cost per event as history grows is
// measured on both engines alike.
func (c *common) preloadPG(url string) error {
	if c.preloadFile == "" {
		return nil
	}
	start := time.Now()
	cmd := exec.Command(c.bin, "migrate", "-from", c.preloadFile, "-to", url)
	cmd.Stdout, cmd.Stderr = nil, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("preload into PostgreSQL (soudan migrate): %w", err)
	}
	// migrate gathers the planner's statistics of the copy (ANALYZE)
	// before it returns: without them the first seconds under load would
	// measure autovacuum's pass.
	fmt.Fprintf(os.Stderr, "copied %d preloaded consultations into PostgreSQL in %s\n", c.preload, time.Since(start).Round(time.Millisecond))
	return nil
}
