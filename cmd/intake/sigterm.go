package main

import (
	"fmt"
	"io"
	"time"
)

// sigtermMode sends a burst, stops the bot with SIGTERM, restarts it and
// retries what was not acknowledged.
type sigtermMode struct {
	n, conc int
	quiet   time.Duration
}

func (m *sigtermMode) run(c *common, out io.Writer) error {
	if m.n < 1 || m.conc < 1 {
		return fmt.Errorf("want -n >= 1 and -concurrency >= 1")
	}
	s, err := c.begin("sigterm", false)
	if err != nil {
		return err
	}
	// A few questions first, answered before the burst, so that the
	// burst's replies have threads to go to.
	primed := s.load.paced(50, time.Second, maxInFlight, nil)
	s.load.wait(10 * time.Second)
	s.waitHandled(5 * time.Second)
	start := time.Now()
	s.load.burst(m.n, m.conc)
	burst := time.Since(start)
	before := account(s.load.snapshot(), s.fake.snapshot(), nil, 0)
	took, killed := s.bot.term(stopLimit)
	atStop := account(s.load.snapshot(), s.fake.snapshot(), nil, 0)
	if err := s.restart(); err != nil {
		return fmt.Errorf("restart: %w", err)
	}
	s.load.retry = true
	resent := s.load.resendUnacked()
	s.load.wait(settleLimit)
	s.waitHandled(m.quiet)
	t, err := s.finish(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "sigterm mode: after %d events at 50/s, a burst of %d events from %d senders took %s (%.0f/s); at SIGTERM %d acknowledged questions had no post yet; the bot stopped in %s (killed: %v) with %d still without one; %d unacknowledged resent after the restart; %d preloaded consultations\n\n",
		primed, m.n, m.conc, burst.Round(time.Millisecond), float64(m.n)/burst.Seconds(), before.Unhandled, took.Round(time.Millisecond), killed, atStop.Unhandled, resent, c.preload)
	fmt.Fprintln(out, lossHeader)
	lossTable(out, "sigterm", t)
	fmt.Fprintf(out, "\nack p50 %.1f ms, p99 %.1f ms; handling p50 %.1f ms, p99 %.1f ms\n", ms(percentile(t.AckLatency, 50)), ms(percentile(t.AckLatency, 99)),
		ms(percentile(t.HandleLatency, 50)), ms(percentile(t.HandleLatency, 99)))
	if t.losses() > 0 {
		return errLoss
	}
	return nil
}
