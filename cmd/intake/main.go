// Command intake measures how soudan takes in Slack events, and what it
// loses when it is killed or stopped. It drives the real binary (built
// from ./cmd/soudan, or -bin) as a subprocess in Slack HTTP mode over
// loopback: signed Events API requests in, a fake Slack Web API that
// records every post out, a data file in a temporary directory.
//
//	go run ./cmd/intake rate -rates 50,100,200,500 [-preload 10000]
//	go run ./cmd/intake crash -rate 50 -kills 20
//	go run ./cmd/intake sigterm -n 2000
//	go run ./cmd/intake console -questions 200 -kills 20
//	go run ./cmd/intake rate -platform teams -rates 100,500
//	go run ./cmd/intake rate -rates 500 -step 20s -backup-at 10s
//	go run ./cmd/intake replicas -rate 200 -replicas 3 -kill-every 3s -pg-stop 10s
//	go run ./cmd/intake replicas -rate 100 -fault-load 0 -pg-latency 1ms [-preload 100000]
//
// Each run sets the bot up as people would (the admin adds a topic and
// maps the channel with signed slash commands; 20 mentors register through
// the profile modal's view_submission), checks one question end to end,
// then sends message events in the mapped channel: new questions, and
// about 20% mentor replies in the threads the bot answered.
//
//   - rate: fixed offered rates, each on a fresh bot and file for -step;
//     ack latency (the HTTP response), store latency (ack to the commit
//     that stored the consultation with its routing, read from the file),
//     first post latency (the bot's answer in the thread or a mentor card,
//     which waits for the platform's rates) and the highest rate kept up
//     with (all acknowledged, all stored, store p99 < 3 s), beside the raw
//     bbolt commit rate of the same disk.
//     With -backup-at, each step also takes a hot backup mid-load
//     (/soudan admin backup) and opens it: every event acknowledged before
//     the command was sent must be in it, handled or recorded in the inbox.
//   - crash: SIGKILL at random moments -kills times under load, restarted
//     on the same file; unacknowledged events are retried like Slack does
//     (same event_id, X-Slack-Retry-Num) until acknowledged.
//   - sigterm: a burst, SIGTERM, restart, the unacknowledged retried.
//   - console: questions typed into `soudan console -demo`, SIGKILL right
//     after some of their echoes, restarted on the same file; every
//     echoed question must end routed exactly once.
//   - replicas: one rate on one bot on a bbolt file, one replica on
//     PostgreSQL and -replicas replicas on one PostgreSQL database behind
//     the tool's round-robin load balancer, side by side; then a fault
//     run on the replicas: one SIGKILLed and restarted every -kill-every,
//     PostgreSQL stopped for -pg-stop (a cluster the tool starts from
//     Debian's packages, or -store's server without that fault). Besides
//     the losses below it counts the scheduled jobs the replicas ran, by
//     period, from their logs: each period must run once, and prints the
//     replicas' round trips to PostgreSQL per handled event (their
//     /metrics). -preload fills every database alike (soudan migrate);
//     -pg-latency holds each answer of the database, as if it were a
//     network hop away.
//
// With -platform teams the same modes run with Teams: the binary serves
// Teams unauthenticated (SOUDAN_TEAMS_ADDR on loopback, no app id: it
// accepts activities whose serviceUrl is on this machine) against a fake
// Bot Framework connector that records every activity the bot posts and
// every conversation it creates, and is the bot's HTTP proxy, so a call
// beyond loopback is refused and reported. The admin adds the topic in
// their 1:1 chat ("/soudan admin topic add") and maps the channel by
// mentioning the bot in it; each mentor asks for the form in their chat
// and submits the card (an adaptiveCard/action invoke with the inputs in
// the Action.Execute's data). Questions are top-level channel posts, and
// replies posts in their threads ("19:…;messageid=<root>"); an activity's
// id is its message's, sent again unchanged on a retry. The adapter puts
// no delivery key on what it posts and cannot check an in-doubt send, so
// a mentor card's key is made of the mentor's chat and the question's
// marker: the same card twice in one chat is a duplicated delivery.
//
// After the bot stopped, the data file is read with the store package
// and every acknowledged event accounted for: lost (no consultation),
// duplicated consultations, stranded (stored, never posted about), lost
// replies (not a message of its consultation), duplicated deliveries (two
// posts with one delivery key) and duplicated thread answers. The exit
// status is 1 when any is found.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
)

// errLoss is returned when a run found losses or duplicates.
var errLoss = errors.New("losses or duplicates found")

func main() {
	err := run(os.Args[1:], os.Stdout)
	if errors.Is(err, errLoss) {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(2)
	}
}

const usage = `usage: intake rate|crash|sigterm|console|replicas [flags]   (intake <mode> -h lists the flags)`

// run runs one mode.
func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	mode, args := args[0], args[1:]
	fs := flag.NewFlagSet("intake "+mode, flag.ContinueOnError)
	var c common
	fs.StringVar(&c.bin, "bin", "", "the soudan binary (default: go build ./cmd/soudan)")
	fs.StringVar(&c.platform, "platform", "slack", "slack (signed Events API requests) or teams (Bot Framework activities, unauthenticated local mode)")
	fs.StringVar(&c.dir, "dir", "", "directory for data files and logs, kept (default: a temporary one, removed)")
	fs.Float64Var(&c.replies, "replies", 0.2, "share of the events that are mentor replies in a question's thread")
	fs.IntVar(&c.maxRouted, "max-routed", 3, "SOUDAN_MAX_ROUTED: mentors asked per question")
	fs.StringVar(&c.limits, "delivery-limits", "", "SOUDAN_DELIVERY_LIMITS (default: the bot's)")
	fs.IntVar(&c.preload, "preload", 0, "first write this many consultations into the data file (10% active)")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed")
	var m interface {
		run(*common, io.Writer) error
	}
	switch mode {
	case "rate":
		r := &rateMode{}
		fs.StringVar(&r.rates, "rates", "50,100,200,500", "offered rates, events per second, comma-separated")
		fs.DurationVar(&r.step, "step", defaultStep, "how long each rate is offered")
		fs.DurationVar(&r.grace, "grace", defaultGrace, "after a step, how long to wait for the bot to handle what it acknowledged")
		fs.DurationVar(&r.commit, "commit", defaultCommit, "how long to measure the raw bbolt commit rate")
		fs.StringVar(&c.profile, "profile", "", "write into this directory, for each step, a CPU profile of the bot over the middle half of the step (rate-N.cpu.pb.gz) and its data-file commits per stored question (the bot then serves everything on one -listen address, with -pprof)")
		fs.DurationVar(&r.backupAt, "backup-at", 0, "this long into each step, take a hot backup (/soudan admin backup, as the admin) and check that it holds every event acknowledged before it was asked for (0: none; Slack only)")
		m = r
	case "crash":
		k := &crashMode{}
		fs.Float64Var(&k.rate, "rate", 50, "offered events per second")
		fs.IntVar(&k.kills, "kills", 20, "how many times to SIGKILL the bot")
		fs.DurationVar(&k.upMin, "up-min", defaultUpMin, "shortest time up before a kill")
		fs.DurationVar(&k.upMax, "up-max", defaultUpMax, "longest time up before a kill")
		fs.DurationVar(&k.quiet, "quiet", defaultQuiet, "longest wait at the end for the bot to handle what it acknowledged")
		m = k
	case "sigterm":
		s := &sigtermMode{}
		fs.IntVar(&s.n, "n", 2000, "events in the burst")
		fs.IntVar(&s.conc, "concurrency", 64, "senders of the burst")
		fs.DurationVar(&s.quiet, "quiet", defaultQuiet, "longest wait at the end for the bot to handle what it acknowledged")
		m = s
	case "console":
		k := &consoleMode{}
		fs.IntVar(&k.questions, "questions", 200, "questions typed into the console")
		fs.IntVar(&k.kills, "kills", 20, "how many times to SIGKILL the console right after an echo")
		m = k
	case "replicas":
		r := &replicasMode{}
		fs.Float64Var(&r.rate, "rate", 200, "offered events per second on each setup (bbolt, 1 replica, -replicas replicas)")
		fs.DurationVar(&r.step, "step", defaultStep, "how long the rate is offered on each setup")
		fs.DurationVar(&r.grace, "grace", defaultGrace, "after a setup's load, how long to wait for the bots to handle what they acknowledged")
		fs.IntVar(&r.replicas, "replicas", 3, "replicas sharing one PostgreSQL database behind the tool's round-robin load balancer")
		fs.DurationVar(&r.pgLatency, "pg-latency", 0, "hold every answer of PostgreSQL this long (a loopback proxy in front of the tool's cluster): a database one network hop away; 0: the unix socket")
		fs.StringVar(&r.store, "store", "", "a postgres:// URL of a server where the tool may CREATE DATABASE (empty: start a cluster of Debian's PostgreSQL in -dir, which the fault run can stop)")
		fs.Float64Var(&r.faultRate, "fault-rate", 100, "fault run: offered events per second")
		fs.DurationVar(&r.faultLoad, "fault-load", 40*time.Second, "fault run: how long the load lasts (0: no fault run)")
		fs.DurationVar(&r.killEvery, "kill-every", 3*time.Second, "fault run: SIGKILL one replica, chosen at random, this often, and restart it (0: none)")
		fs.DurationVar(&r.pgStop, "pg-stop", 10*time.Second, "fault run: stop PostgreSQL for this long, a third of the way in (0: never; needs the tool's own cluster)")
		fs.DurationVar(&r.quiet, "quiet", defaultQuiet, "fault run: longest wait at the end for the bots to handle what they acknowledged")
		fs.DurationVar(&r.netPause, "net-pause", 0, "fault run: put a TCP proxy between each replica and PostgreSQL and, one replica at a time, stop forwarding (without closing) for this long, then forward again (0: no proxies; needs the tool's own cluster)")
		fs.BoolVar(&r.netDrop, "net-drop", false, "fault run with -net-pause: end each pause by closing the paused replica's connections instead of forwarding again")
		m = r
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(out, usage)
		return nil
	default:
		return fmt.Errorf("unknown mode %q\n%s", mode, usage)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.platform != "slack" && c.platform != "teams" {
		return fmt.Errorf("bad -platform %q: want slack or teams", c.platform)
	}
	if err := c.prepare(); err != nil {
		return err
	}
	defer c.cleanup()
	fmt.Fprintf(out, "machine: %d CPUs (nproc), %s, %s/%s, %s\n", runtime.NumCPU(), cpuModel(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if c.platform == "teams" {
		fmt.Fprintln(out, "platform: teams (Bot Framework activities, unauthenticated local mode, fake connector on loopback)")
	}
	return m.run(&c, out)
}

// cpuModel is the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "CPU model unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "CPU model unknown"
}
