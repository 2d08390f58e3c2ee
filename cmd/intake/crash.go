package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"time"
)

// crashMode kills the bot with SIGKILL at random moments under load.
type crashMode struct {
	rate                float64
	kills               int
	upMin, upMax, quiet time.Duration
}

func (k *crashMode) run(c *common, out io.Writer) error {
	if k.kills < 1 || k.upMax < k.upMin || k.rate <= 0 {
		return fmt.Errorf("want -kills >= 1, -rate > 0 and -up-max >= -up-min")
	}
	s, err := c.begin("crash", true)
	if err != nil {
		return err
	}
	rnd := rand.New(rand.NewPCG(c.seed, 7))
	stop := make(chan struct{})
	sentc := make(chan int, 1)
	go func() { sentc <- s.load.paced(k.rate, time.Hour, maxInFlight, stop) }()
	start := time.Now()
	var down time.Duration
	for i := range k.kills {
		up := k.upMin + time.Duration(rnd.Int64N(int64(k.upMax-k.upMin)+1))
		time.Sleep(up)
		s.bot.kill()
		t0 := time.Now()
		if err := s.restart(); err != nil {
			close(stop)
			s.load.wait(0)
			return fmt.Errorf("restart %d: %w", i+1, err)
		}
		down += time.Since(t0)
	}
	time.Sleep(2 * time.Second) // load on the last run too
	close(stop)
	sent := <-sentc
	loadTook := time.Since(start)
	s.load.wait(settleLimit)
	s.waitHandled(k.quiet)
	t, err := s.finish(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "crash mode: %d events offered at %g/s over %s, SIGKILL %d times (up %s-%s between kills; restart to ready %s on average), retried until acknowledged; %d preloaded consultations\n\n",
		sent, k.rate, loadTook.Round(time.Millisecond), k.kills, k.upMin, k.upMax, (down / time.Duration(k.kills)).Round(time.Millisecond), c.preload)
	fmt.Fprintln(out, lossHeader)
	lossTable(out, "crash", t)
	fmt.Fprintf(out, "\nack p50 %.1f ms, p99 %.1f ms; handling p50 %.1f ms, p99 %.1f ms\n", ms(percentile(t.AckLatency, 50)), ms(percentile(t.AckLatency, 99)),
		ms(percentile(t.HandleLatency, 50)), ms(percentile(t.HandleLatency, 99)))
	if t.losses() > 0 {
		return errLoss
	}
	return nil
}
