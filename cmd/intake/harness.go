package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/soudan/soudan/store/kv/pgkv/pgcluster"
)

// Defaults of the modes' durations.
const (
	defaultStep   = 10 * time.Second
	defaultGrace  = 10 * time.Second
	defaultCommit = 2 * time.Second
	defaultUpMin  = 300 * time.Millisecond
	defaultUpMax  = 2500 * time.Millisecond
	defaultQuiet  = 20 * time.Second
	stopLimit     = 30 * time.Second // SIGTERM, then SIGKILL
	settleLimit   = 60 * time.Second // retries after the load, at most
	maxInFlight   = 4000
)

// common are the flags of every mode and what they prepare.
type common struct {
	bin, dir, limits string
	platform         string // slack or teams
	replies          float64
	maxRouted        int
	preload          int
	seed             uint64

	tmp         bool
	preloadFile string
	// backups, when set, is the bots' -backup-dir (rate -backup-at).
	backups string
	// profile, when set, is where rate -profile writes each step's
	// profiles; the bots then serve Go's profiler (-listen, -pprof).
	profile string
}

// prepare makes the directory, builds the binary and the preloaded file.
func (c *common) prepare() error {
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "soudan-intake-")
		if err != nil {
			return err
		}
		c.dir, c.tmp = dir, true
	} else if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	if c.bin == "" {
		bin, err := buildBinary(c.dir)
		if err != nil {
			return err
		}
		c.bin = bin
	}
	if c.preload > 0 {
		c.preloadFile = filepath.Join(c.dir, "preload.db")
		took, err := preload(c.preloadFile, c.preload, 500)
		if err != nil {
			return err
		}
		st, _ := os.Stat(c.preloadFile)
		fmt.Fprintf(os.Stderr, "preloaded %d consultations in %s (%d MB)\n", c.preload, took.Round(time.Millisecond), st.Size()>>20)
	}
	return nil
}

func (c *common) cleanup() {
	if c.tmp {
		os.RemoveAll(c.dir)
	}
}

// session is one data file, one fake platform API (Slack's Web API or a
// Teams connector) and the bot running on them.
type session struct {
	c    *common
	fake recorder
	cfg  botConfig
	bot  *botProc
	load *loader
	// Several replicas on one PostgreSQL database (replicas mode): then
	// bot and cfg are unused.
	reps []*botProc
	cfgs []botConfig
	lb   *balancer
	// db is the replicas' database as the tool reaches it; proxies, when
	// the replicas reach it through them (-net-pause), one per replica.
	db      string
	proxies []*pgcluster.Proxy
}

// closeProxies stops the replicas' proxies.
func (s *session) closeProxies() {
	for _, p := range s.proxies {
		p.Close()
	}
	s.proxies = nil
}

// begin starts a bot on a new data file (a copy of the preloaded one),
// sets it up and checks one question end to end.
func (c *common) begin(name string, retry bool) (*session, error) {
	var (
		fake             recorder
		slackF           *fakeSlack
		teamsF           *fakeTeams
		apiURL, teamsURL string
		err              error
	)
	if c.platform == "teams" {
		if teamsF, err = newFakeTeams(); err != nil {
			return nil, err
		}
		fake, teamsURL = teamsF, teamsF.url
	} else {
		if slackF, err = newFakeSlack(); err != nil {
			return nil, err
		}
		fake, apiURL = slackF, slackF.url
	}
	s := &session{c: c, fake: fake}
	addr, err := freeAddr()
	if err != nil {
		fake.close()
		return nil, err
	}
	s.cfg = botConfig{bin: c.bin, db: filepath.Join(c.dir, name+".db"), addr: addr, apiURL: apiURL, teams: teamsURL != "", proxy: strings.TrimSuffix(teamsURL, "/"),
		logFile: filepath.Join(c.dir, name+".log"), maxRouted: c.maxRouted, limits: c.limits, backupDir: c.backups, pprof: c.profile != ""}
	if c.preloadFile != "" {
		if err := copyFile(c.preloadFile, s.cfg.db); err != nil {
			return nil, err
		}
	}
	if s.bot, err = startBot(s.cfg); err != nil {
		fake.close()
		return nil, err
	}
	base := "http://" + addr
	if teamsF != nil {
		err = setupTeams(base, teamsF)
	} else {
		err = setup(base, slackF)
	}
	if err != nil {
		s.abort()
		return nil, fmt.Errorf("set up: %w", err)
	}
	s.load = newLoader(base, fake, c.replies, retry, c.seed)
	s.load.teams = teamsURL
	if err := warmUp(s.load, fake); err != nil {
		s.abort()
		return nil, err
	}
	return s, nil
}

// restart starts the bot again on the same file.
func (s *session) restart() error {
	var err error
	s.bot, err = startBot(s.cfg)
	return err
}

func (s *session) abort() {
	if s.bot != nil {
		s.bot.kill()
	}
	for _, p := range s.reps {
		if p != nil {
			p.kill()
		}
	}
	if s.lb != nil {
		s.lb.close()
	}
	s.closeProxies()
	s.fake.close()
}

// waitHandled waits at most limit until every acknowledged question has a
// post and no event is being sent, then a further second.
func (s *session) waitHandled(limit time.Duration) {
	waitFor(limit, func() bool {
		t := account(s.load.snapshot(), s.fake.snapshot(), nil, 0)
		return t.Unhandled == 0
	})
	time.Sleep(time.Second)
}

// finish stops the bot (SIGTERM), reads the data file and counts the run.
func (s *session) finish(out io.Writer) (tally, error) {
	where := s.cfg.db
	if s.lb != nil {
		where = s.db
		s.engineReport(out)
		for i, p := range s.reps {
			if _, killed := p.term(stopLimit); killed {
				fmt.Fprintf(out, "  (replica %d did not stop within %s of SIGTERM; killed)\n", i+1, stopLimit)
			}
		}
		s.lb.close()
		s.closeProxies()
	} else if _, killed := s.bot.term(stopLimit); killed {
		fmt.Fprintf(out, "  (the bot did not stop within %s of SIGTERM; killed)\n", stopLimit)
	}
	if ft, ok := s.fake.(*fakeTeams); ok {
		if n, host := ft.outsideCalls(); n > 0 {
			fmt.Fprintf(out, "  (the bot tried %d calls beyond loopback, first to %s: refused by the tool, which is its proxy)\n", n, host)
		}
	}
	s.fake.close()
	consults, routed, err := readConsults(where)
	if err != nil {
		return tally{}, err
	}
	posts := s.fake.snapshot()
	events := s.load.snapshot()
	t := account(events, posts, consults, routed)
	inboxed, err := readInboxed(where)
	if err != nil {
		return tally{}, err
	}
	settleInboxed(&t, events, consults, inboxed)
	if keys := duplicateKeys(posts, 5); len(keys) > 0 {
		fmt.Fprintf(out, "  (delivery keys posted more than once, first %d: %s)\n", len(keys), strings.Join(keys, ", "))
	}
	order, err := readOutboxOrder(where, posts)
	if err != nil {
		return tally{}, err
	}
	var first []string
	if t.OutOfOrder, first = outOfOrder(posts, order, 5); len(first) > 0 {
		fmt.Fprintf(out, "  (posts out of their thread's order, first %d: %s)\n", len(first), strings.Join(first, "; "))
	}
	return t, nil
}

// duplicateKeys names, in the order of their first post, at most n
// delivery keys posted more than once, each with its count.
func duplicateKeys(posts []post, n int) []string {
	count := map[string]int{}
	var order []string
	for _, p := range posts {
		if p.Key == "" {
			continue
		}
		if count[p.Key] == 0 {
			order = append(order, p.Key)
		}
		count[p.Key]++
	}
	var out []string
	for _, k := range order {
		if count[k] > 1 && len(out) < n {
			out = append(out, fmt.Sprintf("%s ×%d", k, count[k]))
		}
	}
	return out
}

// lossTable prints the loss columns of a tally.
func lossTable(out io.Writer, label string, t tally) {
	fmt.Fprintf(out, "| %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |\n",
		label, t.AckedQ, t.AckedR, t.Unacked, t.Retried, t.Lost, t.Inboxed, t.Duplicated, t.Stranded, t.Queued, t.LostReplies, t.DuplicatedDeliveries, t.DuplicatedAcks, t.OutOfOrder, t.Cards, t.CardsExpected)
}

const lossHeader = "| run | acked questions | acked replies | never acked | retried | lost | in the inbox at the stop | duplicated consultations | stranded | posts still queued | lost replies | duplicated deliveries | duplicated thread answers | posts out of order | cards posted | cards routed |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
