package main

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// Several replicas on one PostgreSQL database (-store): each names itself
// (-replica) in its logs, its metrics and the leases of the outbox items
// it claims.
const (
	// replicaLease is how long an outbox item a replica claimed stays
	// its own: longer than a send can take (its rate wait, the send's
	// timeout, outbox.DefaultSendTimeout, and recording its result), so
	// that only a replica that stopped or lost the database mid-send has
	// its items taken over, a minute or two after it stopped.
	replicaLease = 4 * outbox.DefaultSendTimeout // two minutes
	// replicaPoll is how often a replica's outbox worker looks for items
	// the other replicas queued: a commit wakes the worker of its own
	// process only. A look is one indexed read of the earliest due item
	// (NextDue); a second of delay on proactive messages another replica
	// queued, at one read per replica per second, is cheaper and simpler
	// than LISTEN/NOTIFY behind the key-value seam (a held connection per
	// replica, and a seam that grows a notification channel bbolt does
	// not need). The replica that queued an item is woken at once, and
	// usually claims it first.
	replicaPoll = time.Second
)

// replicaName is this process's name among the replicas: -replica, else
// hostname-pid. A name that stays the same across restarts (a systemd
// instance name, a pod's) lets a restarted replica settle its own items
// in flight at once instead of after their lease.
func (cfg *Config) replicaName() string {
	if cfg.Replica != "" {
		return cfg.Replica
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "soudan"
	}
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}

// replicated reports whether this process may share its store with other
// replicas: a store on PostgreSQL. A data file is one process's alone.
func (cfg *Config) replicated() bool { return cfg.Store != "" }

// withReplica adds the replica's name to every log line of a replicated
// process, so that the logs of several replicas gathered in one place
// tell them apart.
func withReplica(log *slog.Logger, cfg *Config) *slog.Logger {
	if !cfg.replicated() {
		return log
	}
	return log.With("replica", cfg.replicaName())
}

// outboxStore is the outbox worker's store and the options that go with
// it: leased claims and a short poll on a replicated store.
func (o botOptions) outboxStore() (outbox.Store, time.Duration, time.Duration) {
	if o.Replica == "" {
		return outbox.Transactional(o.Kit.Store), 0, 0
	}
	return outbox.Leased(o.Kit.Store, o.Replica, replicaLease), replicaLease, replicaPoll
}

// registerReplica adds soudan_replica_info{replica, engine} 1 to reg: which
// replica a scrape reached, and on which engine.
func registerReplica(reg *prometheus.Registry, replica string, st *store.Store) {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "soudan_replica_info",
		Help: "This process: its replica name (-replica, else hostname-pid) and its store's engine (bbolt or postgres). Always 1.",
	}, []string{"replica", "engine"})
	g.WithLabelValues(replica, st.Engine()).Set(1)
	reg.MustRegister(g)
}
