package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestMetricValueReadsAnUnlabelledCounter(t *testing.T) {
	text := `# HELP soudan_store_commits_total Write transactions committed.
# TYPE soudan_store_commits_total counter
soudan_store_commits_total_created 1.7e+09
soudan_store_commits 3
soudan_store_commits_total 1234
`
	got, err := metricValue(strings.NewReader(text), "soudan_store_commits_total")
	if err != nil || got != 1234 {
		t.Errorf("metricValue = %v, %v; want 1234", got, err)
	}
	if _, err := metricValue(strings.NewReader("other 1\n"), "soudan_store_commits_total"); err == nil {
		t.Error("metricValue found a metric that is not there")
	}
}

func TestProcessCPUCountsThisProcesssWork(t *testing.T) {
	before := processCPU(os.Getpid())
	// Spin until the kernel has counted at least two ticks more, or give up.
	deadline := time.Now().Add(5 * time.Second)
	x := 0
	for processCPU(os.Getpid()) < before+2*clockTick && time.Now().Before(deadline) {
		for i := range 1_000_000 {
			x += i
		}
	}
	if after := processCPU(os.Getpid()); after < before+2*clockTick {
		t.Errorf("processCPU went from %s to %s over 5 s of spinning (x=%d)", before, after, x)
	}
	if got := processCPU(-1); got != 0 {
		t.Errorf("processCPU of no process = %s, want 0", got)
	}
}
