package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// metrics are the Prometheus metrics of /metrics, on a registry of their
// own (not the global default). Labels are platforms, message kinds and
// results: never a user, a department or any text.
type metrics struct {
	reg         *prometheus.Registry
	received    *prometheus.CounterVec
	handled     *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	sends       *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
}

// messageKinds are the kinds a message may have, for the labels set up
// before the first event.
var messageKinds = []bot.Kind{bot.KindPost, bot.KindCommand, bot.KindAction, bot.KindReaction, bot.KindFormSubmit, bot.KindHome}

// newMetrics makes the metrics and registers them, with the Go runtime's
// and the process's, with every series of the platforms served at zero.
func newMetrics(platforms []string) *metrics {
	mt := &metrics{
		reg: prometheus.NewRegistry(),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "soudan_events_received_total",
			Help: "Events the platforms offered to the inbox (retries and refused events included), by platform and kind.",
		}, []string{"platform", "kind"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "soudan_events_handled_total",
			Help: "Events handled, by platform, kind and result: ok, refused (the user was told why) or error (an incident).",
		}, []string{"platform", "kind", "result"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "soudan_handler_duration_seconds",
			Help:    "How long handling one event took, by platform and kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"platform", "kind"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "soudan_outbox_sends_total",
			Help: "Outbox delivery attempts, by platform and result: sent, retry or failed.",
		}, []string{"platform", "result"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "soudan_platform_rate_limited_total",
			Help: "Sends the platform refused for its rate (HTTP 429, Retry-After), by platform.",
		}, []string{"platform"}),
	}
	mt.reg.MustRegister(mt.received, mt.handled, mt.duration, mt.sends, mt.rateLimited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, p := range platforms {
		for _, k := range messageKinds {
			mt.received.WithLabelValues(p, k.String())
			for _, r := range []string{handlers.ResultOK, handlers.ResultRefused, handlers.ResultError} {
				mt.handled.WithLabelValues(p, k.String(), r)
			}
		}
		for _, r := range []string{outbox.ResultSent, outbox.ResultRetry, outbox.ResultFailed} {
			mt.sends.WithLabelValues(p, r)
		}
		mt.rateLimited.WithLabelValues(p)
	}
	return mt
}

// watch adds the gauges read at each scrape: the inbox's depth, the
// outbox's pending items (a count over an index range) and the store's
// commits.
func (mt *metrics) watch(st *store.Store, inboxDepth func() int) {
	mt.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "soudan_inbox_depth",
			Help: "Events recorded in the inbox and not handled yet.",
		}, func() float64 { return float64(inboxDepth()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "soudan_outbox_pending",
			Help: "Outbox messages waiting to be sent (due or not).",
		}, func() float64 {
			var n int
			err := st.View(func(tx *store.Tx) error {
				n = tx.Outbox().PendingCount()
				return nil
			})
			if err != nil {
				return -1
			}
			return float64(n)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "soudan_survey_rounds_open",
			Help: "Survey rounds open for answers.",
		}, func() float64 {
			var n int
			err := st.View(func(tx *store.Tx) error {
				rs, err := tx.Surveys().OpenRounds()
				n = len(rs)
				return err
			})
			if err != nil {
				return -1
			}
			return float64(n)
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "soudan_store_commits_total",
			Help: "Write transactions of the data file (each one disk sync).",
		}, func() float64 { return float64(st.Commits()) }),
	)
}

// onReceive is the inbox's OnReceive hook.
func (mt *metrics) onReceive(platform, kind string) {
	mt.received.WithLabelValues(platform, kind).Inc()
}

// observe is the kit's Observe hook. The duration comes first, so that a
// scrape that sees the event handled sees its duration too.
func (mt *metrics) observe(platform, kind, result string, took time.Duration) {
	mt.duration.WithLabelValues(platform, kind).Observe(took.Seconds())
	mt.handled.WithLabelValues(platform, kind, result).Inc()
}

// onSend is the outbox's OnResult hook.
func (mt *metrics) onSend(platform, result string, rateLimited bool) {
	mt.sends.WithLabelValues(platform, result).Inc()
	if rateLimited {
		mt.rateLimited.WithLabelValues(platform).Inc()
	}
}
