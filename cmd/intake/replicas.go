package main

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/soudan/soudan/store/kv/pgkv/pgcluster"
)

// replicasMode runs the bot on several replicas sharing one PostgreSQL
// database behind a round-robin load balancer, beside one replica on
// PostgreSQL and one on a bbolt file, at one offered rate; then, on the
// replicas, a fault run: one of them killed (SIGKILL) and restarted every
// few seconds under load, and PostgreSQL stopped for a while.
type replicasMode struct {
	rate        float64
	step, grace time.Duration
	replicas    int
	store       string // a PostgreSQL server the tool may create databases on; "": a harness cluster
	faultRate   float64
	faultLoad   time.Duration
	killEvery   time.Duration
	pgStop      time.Duration
	quiet       time.Duration
	pgLatency   time.Duration // see latencyProxy
	netPause    time.Duration // each replica's link to PostgreSQL paused this long, in turn
	netDrop     bool          // a pause ends by closing the connections
}

// setupRow is one line of the side-by-side table.
type setupRow struct {
	name  string
	sent  int
	t     tally
	step  time.Duration
	jobs  jobCount
	rate  float64
	fault string
}

func (r *replicasMode) run(c *common, out io.Writer) error {
	if c.platform != "slack" {
		return fmt.Errorf("replicas mode drives Slack's HTTP mode only")
	}
	if r.replicas < 2 || r.rate <= 0 {
		return fmt.Errorf("want -replicas >= 2 and -rate > 0")
	}
	pg, err := r.server(c)
	if err != nil {
		return err
	}
	if pg.ctl {
		defer pg.stop()
	}
	if r.pgLatency > 0 {
		if r.netPause > 0 {
			// Each replica's pausing proxy dials the cluster's socket,
			// past the latency proxy: the run would not be what it says.
			return fmt.Errorf("-pg-latency and -net-pause each put a proxy before PostgreSQL; use one at a time")
		}
		if !pg.ctl {
			return fmt.Errorf("-pg-latency needs the tool's own cluster, not -store")
		}
		px, err := startLatencyProxy(socketOf(pg.pgCluster), r.pgLatency)
		if err != nil {
			return err
		}
		defer px.close()
		pg.proxy = px
	}
	fmt.Fprintf(out, "PostgreSQL: %s\n", pg.describe())
	fmt.Fprintf(out, "replicas mode: %g events/s offered for %s on each setup, grace %s; %d preloaded consultations on every setup; replies %.0f%%\n\n", r.rate, r.step, r.grace, c.preload, c.replies*100)

	var rows []setupRow
	setups := []struct {
		name string
		n    int // 0: one bot on a bbolt file
	}{{"bbolt, 1 process", 0}, {"PostgreSQL, 1 replica", 1}, {fmt.Sprintf("PostgreSQL, %d replicas", r.replicas), r.replicas}}
	for i, st := range setups {
		var s *session
		if st.n == 0 {
			s, err = c.begin(fmt.Sprintf("replicas-bbolt-%d", i), false)
		} else {
			s, err = c.beginReplicas(pg, fmt.Sprintf("replicas-pg%d", st.n), st.n, false, "", false)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		sent := s.load.paced(r.rate, r.step, maxInFlight, nil)
		s.load.wait(10 * time.Second)
		s.waitHandled(r.grace)
		t, err := s.finish(out)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		rows = append(rows, setupRow{name: st.name, sent: sent, t: t, step: r.step, rate: r.rate})
	}
	if r.faultLoad > 0 {
		row, err := r.faults(c, pg, out)
		if err != nil {
			return err
		}
		rows = append(rows, row)
	}

	fmt.Fprintln(out, "| setup | offered/s | sent | acked | handled/s | ack p50 ms | ack p99 ms | handling p50 ms | handling p99 ms | first post p50 ms | first post p99 ms |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|---|---|")
	for _, row := range rows {
		t := row.t
		fmt.Fprintf(out, "| %s | %g | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", row.name, row.rate, row.sent, t.AckedQ+t.AckedR,
			float64(len(t.StoreLatency)+t.AckedR)/row.step.Seconds(),
			ms(percentile(t.AckLatency, 50)), ms(percentile(t.AckLatency, 99)),
			ms(percentile(t.StoreLatency, 50)), ms(percentile(t.StoreLatency, 99)),
			ms(percentile(t.HandleLatency, 50)), ms(percentile(t.HandleLatency, 99)))
	}
	fmt.Fprintln(out, "\nafter each run the bots were stopped (SIGTERM) and the store read:")
	fmt.Fprintln(out, lossHeader)
	losses := 0
	for _, row := range rows {
		lossTable(out, row.name, row.t)
		losses += row.t.losses()
	}
	for _, row := range rows {
		if row.fault == "" {
			continue
		}
		fmt.Fprintf(out, "\n%s: %s\n", row.name, row.fault)
		fmt.Fprintf(out, "scheduled jobs: %d periods run (%s), %d run more than once\n", len(row.jobs.done), row.jobs.summary(), row.jobs.twice())
		losses += row.jobs.twice()
	}
	if losses > 0 {
		return errLoss
	}
	return nil
}

// faults runs the fault run on r.replicas replicas: load at faultRate for
// faultLoad, retried like Slack does until acknowledged; one replica
// killed and restarted every killEvery; PostgreSQL stopped for pgStop a
// third of the way in.
func (r *replicasMode) faults(c *common, pg *pgServer, out io.Writer) (setupRow, error) {
	name := fmt.Sprintf("PostgreSQL, %d replicas, faults", r.replicas)
	if r.netPause > 0 && !pg.ctl {
		return setupRow{}, fmt.Errorf("-net-pause needs the tool's own cluster, not -store")
	}
	s, err := c.beginReplicas(pg, "replicas-faults", r.replicas, true, "info", r.netPause > 0)
	if err != nil {
		return setupRow{}, fmt.Errorf("%s: %w", name, err)
	}
	rnd := rand.New(rand.NewPCG(c.seed, 22))
	stop := make(chan struct{})
	sentc := make(chan int, 1)
	start := time.Now()
	go func() { sentc <- s.load.paced(r.faultRate, time.Hour, maxInFlight, stop) }()

	var (
		mu       sync.Mutex // holds the kills off while PostgreSQL restarts
		kills    int
		restarts []time.Duration
		pgNote   string
		wg       sync.WaitGroup
		failed   error
	)
	end := start.Add(r.faultLoad)
	if r.pgStop > 0 && pg.ctl {
		wg.Go(func() {
			time.Sleep(r.faultLoad / 3)
			mu.Lock()
			defer mu.Unlock()
			t0 := time.Now()
			if err := pg.stop(); err != nil {
				failed = fmt.Errorf("stop PostgreSQL: %w", err)
				return
			}
			time.Sleep(r.pgStop)
			if err := pg.start(); err != nil {
				failed = fmt.Errorf("start PostgreSQL again: %w", err)
				return
			}
			pgNote = fmt.Sprintf("PostgreSQL stopped (pg_ctl stop -m fast) %s into the load for %s (back after %s)", (t0.Sub(start)).Round(time.Second), r.pgStop, time.Since(t0).Round(100*time.Millisecond))
		})
	} else if r.pgStop > 0 {
		pgNote = "PostgreSQL not stopped: -store names a server the tool does not run"
	}
	var pauses []netPause
	if r.netPause > 0 {
		wg.Go(func() { pauses = r.pauseLinks(s, start, end) })
	}
	for r.killEvery > 0 && time.Now().Add(r.killEvery).Before(end) && failed == nil {
		time.Sleep(r.killEvery)
		mu.Lock()
		i := rnd.IntN(len(s.reps))
		s.reps[i].kill()
		kills++
		t0 := time.Now()
		// A replica that cannot reach its database at start exits; the
		// service manager starts it again (systemd Restart=always).
		var p *botProc
		for p == nil && time.Since(t0) < settleLimit {
			if p, err = startBot(s.cfgs[i]); err != nil {
				time.Sleep(500 * time.Millisecond)
			}
		}
		mu.Unlock()
		if p == nil {
			close(stop)
			s.load.wait(0)
			return setupRow{}, fmt.Errorf("restart replica %d: %w", i+1, err)
		}
		s.reps[i] = p
		restarts = append(restarts, time.Since(t0))
	}
	time.Sleep(time.Until(end))
	wg.Wait()
	close(stop)
	sent := <-sentc
	if failed != nil {
		s.load.wait(0)
		return setupRow{}, failed
	}
	loadTook := time.Since(start)
	s.load.wait(settleLimit)
	s.waitHandled(r.quiet)
	t, err := s.finish(out)
	if err != nil {
		return setupRow{}, err
	}
	var restart time.Duration
	for _, d := range restarts {
		restart += d
	}
	if len(restarts) > 0 {
		restart /= time.Duration(len(restarts))
	}
	note := fmt.Sprintf("%d events at %g/s over %s, retried until acknowledged; SIGKILL of one replica (chosen at random) %d times, every %s, restarted at once (to ready in %s on average)",
		sent, r.faultRate, loadTook.Round(time.Second), kills, r.killEvery, restart.Round(time.Millisecond))
	if r.killEvery <= 0 {
		note = fmt.Sprintf("%d events at %g/s over %s, retried until acknowledged; no kills", sent, r.faultRate, loadTook.Round(time.Second))
	}
	if pgNote != "" {
		note += "; " + pgNote
	}
	if len(pauses) > 0 {
		note += "; " + describePauses(pauses, s.lb.readiness(), r.netDrop)
	}
	jobs, err := countJobs(s.cfgs)
	if err != nil {
		return setupRow{}, err
	}
	return setupRow{name: name, sent: sent, t: t, step: loadTook, rate: r.faultRate, fault: note, jobs: jobs}, nil
}

// beginReplicas starts n replicas of the bot on a new database of pg,
// behind a new balancer, sets them up through it and checks one question
// end to end. logLevel is the replicas' (info: the jobs they run are
// counted from their logs).
// With proxied, each replica reaches the database through a TCP proxy of
// its own (pgcluster.Proxy), which the fault run pauses.
func (c *common) beginReplicas(pg *pgServer, name string, n int, retry bool, logLevel string, proxied bool) (*session, error) {
	dbURL, err := pg.newDB()
	if err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	if err := c.preloadPG(dbURL); err != nil {
		return nil, err
	}
	slackF, err := newFakeSlack()
	if err != nil {
		return nil, err
	}
	s := &session{c: c, fake: slackF, db: dbURL}
	addrs := make([]string, n)
	for i := range n {
		if addrs[i], err = freeAddr(); err != nil {
			s.abort()
			return nil, err
		}
		store := dbURL
		if proxied {
			p, err := pgcluster.NewProxy("unix", pg.Socket())
			if err != nil {
				s.abort()
				return nil, err
			}
			s.proxies = append(s.proxies, p)
			if store, err = p.URL(dbURL); err != nil {
				s.abort()
				return nil, err
			}
		}
		s.cfgs = append(s.cfgs, botConfig{bin: c.bin, db: filepath.Join(c.dir, fmt.Sprintf("%s-%d.unused.db", name, i+1)), addr: addrs[i], apiURL: slackF.url,
			logFile: filepath.Join(c.dir, fmt.Sprintf("%s-%d.log", name, i+1)), maxRouted: c.maxRouted, limits: c.limits,
			store: store, replica: fmt.Sprintf("replica-%d", i+1), logLevel: logLevel, listen: true})
	}
	// One at a time: the first creates the tables and runs the
	// migrations, the others find them done.
	for _, cfg := range s.cfgs {
		p, err := startBot(cfg)
		if err != nil {
			s.abort()
			return nil, err
		}
		s.reps = append(s.reps, p)
	}
	if s.lb, err = newBalancer(addrs); err != nil {
		s.abort()
		return nil, err
	}
	s.lb.checkReady()
	base := s.lb.url()
	if err := setup(base, slackF); err != nil {
		s.abort()
		return nil, fmt.Errorf("set up: %w", err)
	}
	s.load = newLoader(base, slackF, c.replies, retry, c.seed)
	if err := warmUp(s.load, slackF); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// pgServer is where the replicas' databases are created: the tool's own
// cluster (ctl: it can stop and start it) or a server named by -store.
type pgServer struct {
	*pgCluster        // nil for a server named by -store
	admin      string // URL of a database to connect to for CREATE DATABASE
	ctl        bool
	n          int
	proxy      *latencyProxy // nil: the replicas connect directly
}

// server returns the PostgreSQL of the run.
func (r *replicasMode) server(c *common) (*pgServer, error) {
	if r.store != "" {
		return &pgServer{admin: r.store}, nil
	}
	cl, err := startPG(c.dir)
	if err != nil {
		return nil, err
	}
	return &pgServer{pgCluster: cl, admin: cl.url("postgres"), ctl: true}, nil
}

func (p *pgServer) describe() string {
	if p.ctl && p.proxy != nil {
		return fmt.Sprintf("a cluster of Debian's PostgreSQL started by the tool in its directory (fsync and synchronous_commit on, as bbolt syncs every commit), reached through a loopback proxy that holds each answer %s", p.proxy.d)
	}
	if p.ctl {
		return "a cluster of Debian's PostgreSQL started by the tool in its directory (unix socket, fsync and synchronous_commit on, as bbolt syncs every commit)"
	}
	u, err := url.Parse(p.admin)
	if err != nil {
		return "the server of -store"
	}
	return "the server of -store, host " + u.Host + u.Query().Get("host")
}

// newDB creates an empty database on the server and returns its URL.
func (p *pgServer) newDB() (string, error) {
	p.n++
	name := fmt.Sprintf("intake_%d_%d", os.Getpid(), p.n)
	if err := execSQL(p.admin, "CREATE DATABASE "+name); err != nil {
		return "", err
	}
	u, err := url.Parse(p.admin)
	if err != nil {
		return "", err
	}
	if p.proxy != nil {
		return p.proxy.url(name), nil
	}
	u.Path = "/" + name
	return u.String(), nil
}

// jobCount counts the scheduled jobs the replicas ran, by period, from
// their logs ("scheduler: job done ... period=KEY").
type jobCount struct {
	done map[string]int
}

var jobDoneRE = regexp.MustCompile(`msg="scheduler: job done".* period=(\S+)`)

// countJobs reads the replicas' logs.
func countJobs(cfgs []botConfig) (jobCount, error) {
	jc := jobCount{done: map[string]int{}}
	for _, cfg := range cfgs {
		f, err := os.Open(cfg.logFile)
		if err != nil {
			return jc, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if m := jobDoneRE.FindStringSubmatch(sc.Text()); m != nil {
				jc.done[m[1]]++
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return jc, err
		}
	}
	return jc, nil
}

// twice is how many periods ran more than once.
func (jc jobCount) twice() int {
	n := 0
	for _, c := range jc.done {
		if c > 1 {
			n++
		}
	}
	return n
}

// summary lists the periods with their counts.
func (jc jobCount) summary() string {
	keys := make([]string, 0, len(jc.done))
	for k := range jc.done {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " ×" + strconv.Itoa(jc.done[k])
	}
	return strings.Join(parts, ", ")
}
