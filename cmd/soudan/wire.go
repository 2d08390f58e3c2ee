package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/admin"
	"github.com/soudan/soudan/handlers/broadcast"
	"github.com/soudan/soudan/handlers/connections"
	"github.com/soudan/soudan/handlers/consult"
	"github.com/soudan/soudan/handlers/help"
	"github.com/soudan/soudan/handlers/knowledge"
	"github.com/soudan/soudan/handlers/mentors"
	"github.com/soudan/soudan/handlers/reminders"
	"github.com/soudan/soudan/handlers/stats"
	"github.com/soudan/soudan/handlers/survey"
	"github.com/soudan/soudan/handlers/web"
	"github.com/soudan/soudan/internal/inbox"
	"github.com/soudan/soudan/internal/outbox"
	"github.com/soudan/soudan/store"
)

// botOptions are what the bot's parts are built from.
type botOptions struct {
	Kit       handlers.Config // Outbox is set by newBot
	Limits    map[string]outbox.Limit
	Consult   consult.Options
	Reminders reminders.Options // MaxRouted follows Consult's
	Admin     admin.Options
	Survey    survey.Options
	Stats     stats.Options
	Knowledge knowledge.Options
	Web       web.Options // Surveys, Programme and Connections are set by newBot
	// InboxDepth is how many recorded, unhandled events the inbox holds
	// before adapters refuse more; 0: inbox.DefaultMaxDepth.
	InboxDepth int
	// Replica names this process among replicas sharing a PostgreSQL
	// store; empty on a data file. The outbox leases its claims to it.
	Replica string
	// OnReceive and OnSendResult, when set, are told of every event
	// offered to the inbox and every outbox attempt (metrics); the kit's
	// Observe, of every event handled.
	OnReceive    func(platform, kind string)
	OnSendResult func(platform, result string, rateLimited bool)
}

// wiredBot is the bot's parts, wired together: the kit, every feature on
// one router, and the outbox worker that delivers what they send on their
// own initiative.
type wiredBot struct {
	kit      *handlers.Kit
	features []handlers.Feature
	router   *bot.Router
	intake   *inbox.Inbox // the durable inbox in front of the router: adapters dispatch to it
	out      *outbox.Worker
	pages    *web.Feature // the report pages behind /soudan report's links
}

// newBot builds the outbox worker, the kit and every feature, and
// registers them on a new router. Adding a capability is one line here.
func newBot(o botOptions) (*wiredBot, error) {
	if o.Limits == nil {
		o.Limits = outbox.DefaultLimits
	}
	b := &wiredBot{router: bot.NewRouter()}
	var err error
	obStore, lease, poll := o.outboxStore()
	b.out, err = outbox.New(outbox.Options{
		Store: obStore, Lease: lease, Poll: poll,
		Sender: o.Kit.Sender, Limits: o.Limits, Log: o.Kit.Log, Now: o.Kit.Now,
		OnSent: func(ctx context.Context, tx *store.Tx, it store.OutboxItem, at bot.Address) error {
			return b.kit.OnSent(ctx, tx, it, at)
		},
		OnBatchDone: func(ctx context.Context, batch store.OutboxBatch) { b.kit.OnBatchDone(ctx, batch) },
		OnResult:    o.OnSendResult,
	})
	if err != nil {
		return nil, fmt.Errorf("start outbox: %w", err)
	}
	o.Kit.Outbox = b.out
	if b.kit, err = handlers.New(o.Kit); err != nil {
		return nil, fmt.Errorf("start handlers: %w", err)
	}
	kn := knowledge.NewWith(b.kit, o.Knowledge)
	o.Consult.Related = kn
	cons, err := consult.New(b.kit, o.Consult)
	if err != nil {
		return nil, fmt.Errorf("start handlers: %w", err)
	}
	kn.Consultations = cons
	o.Reminders.MaxRouted = o.Consult.MaxRouted
	links := &reportLinks{}
	o.Survey.Links, o.Stats.Links = links, links
	surveys := survey.New(b.kit, o.Survey)
	o.Stats.Surveys = surveyRates{surveys}
	conns := connections.New(b.kit, connections.Options{})
	o.Stats.Connections = statsConnections{conns}
	st := stats.New(b.kit, o.Stats)
	o.Web.Surveys, o.Web.Programme, o.Web.Connections = surveys, programme{s: st, now: b.kit.Now}, webConnections{conns}
	b.pages = web.New(b.kit, o.Web)
	links.pages = b.pages
	b.features = []handlers.Feature{
		help.New(b.kit),
		cons,
		mentors.New(b.kit),
		admin.NewWith(b.kit, o.Admin),
		reminders.New(b.kit, cons, o.Reminders),
		broadcast.New(b.kit),
		kn,
		surveys,
		st,
		b.pages,
		conns,
	}
	b.kit.Register(b.router, b.features...)
	if b.intake, err = inbox.New(inbox.Options{Store: o.Kit.Store, Dispatcher: b.router, Log: o.Kit.Log, MaxDepth: o.InboxDepth, OnReceive: o.OnReceive, Replica: o.Replica}); err != nil {
		return nil, fmt.Errorf("start inbox: %w", err)
	}
	return b, nil
}

// jobs are the periodic jobs of the kit and every feature.
func (b *wiredBot) jobs() []handlers.Job { return b.kit.Jobs(b.features...) }

// botOptions are the bot's options from the settings; sender reaches
// every platform served.
func (m *Main) botOptions(sender bot.Sender) botOptions {
	o := botOptions{
		Kit: handlers.Config{
			Store:         m.store,
			Sender:        sender,
			Log:           m.log,
			Now:           m.Now,
			Prefix:        botName,
			DefaultLocale: m.Config.Lang,
			Location:      m.Config.location,
			MaxText:       m.Config.MaxText,
			Admins:        m.Config.admins,
		},
		Consult:    consult.Options{MaxRouted: m.Config.MaxRouted, DefaultTopic: m.Config.DefaultTopic},
		Survey:     survey.Options{Scheduled: m.Config.surveySchedule, RemindEvery: m.Config.SurveyRemindEvery, FollowUp: m.Config.surveyFollowUp},
		Knowledge:  knowledge.Options{TipOfWeek: m.Config.tipWeek},
		InboxDepth: m.Config.InboxDepth,
		Web:        web.Options{BaseURL: m.reportBase},
	}
	if m.Config.replicated() {
		o.Replica = m.Config.replicaName()
	}
	if b := m.backups(); b != nil {
		o.Admin.Backup = b.write
	}
	o.Admin.RetentionMonths = m.Config.Retention
	// Surveys' raw responses age out with the consultations (their
	// tallies stay), and forgetting a person drops their survey rows.
	o.Admin.Purgers = append(o.Admin.Purgers, admin.Purger{Name: "survey responses", Purge: func(tx *store.Tx, before time.Time, limit int) (int, bool, error) {
		return tx.Surveys().PurgeResponses(before, limit)
	}})
	o.Admin.Purgers = append(o.Admin.Purgers, admin.Purger{Name: "search terms", Purge: func(tx *store.Tx, before time.Time, limit int) (int, bool, error) {
		return tx.PurgeSearchTerms(before, limit)
	}})
	o.Admin.Forgetters = append(o.Admin.Forgetters, admin.Forgetter{Name: "survey rows", Forget: func(tx *store.Tx, u store.User) (int, error) {
		return tx.Surveys().ForgetRows(u.ID)
	}})
	// Forgetting a person drops their connections data: membership, their
	// private list and their place on others', check-in answers, terms.
	o.Admin.Forgetters = append(o.Admin.Forgetters, admin.Forgetter{Name: "connections", Forget: func(tx *store.Tx, u store.User) (int, error) {
		return tx.ForgetConnections(u.ID)
	}})
	m.deliveryConfig(&o)
	return o
}

// resume handles, through the adapters, the events an earlier run recorded
// and did not handle (a crash, a kill, a stop), and logs how many.
func (b *wiredBot) resume(ctx context.Context, log *slog.Logger, pending []store.InboxEntry, adapters ...bot.Adapter) {
	if len(pending) == 0 {
		return
	}
	byPlatform := make(map[string]bot.Adapter, len(adapters))
	for _, a := range adapters {
		byPlatform[a.Platform()] = a
	}
	n := b.intake.Resume(ctx, pending, byPlatform)
	log.Info("inbox: handled the events recorded before the restart", "count", n, "recorded", len(pending))
}

// retryKeptEvery is how often the inbox looks whether the database
// answers again, when it holds events it could not handle without it.
const retryKeptEvery = 2 * time.Second

// retryKept handles, once the database answers again, the events the
// inbox kept while it did not (a PostgreSQL restart), until ctx ends.
func (b *wiredBot) retryKept(ctx context.Context, adapters ...bot.Adapter) {
	byPlatform := make(map[string]bot.Adapter, len(adapters))
	for _, a := range adapters {
		byPlatform[a.Platform()] = a
	}
	b.intake.RetryKept(ctx, byPlatform, retryKeptEvery)
}

// keepAlive renews a replica's inbox heartbeat and takes over the events
// of replicas whose heartbeat lapsed, until ctx ends (nothing for a
// single process).
func (b *wiredBot) keepAlive(ctx context.Context, adapters ...bot.Adapter) {
	byPlatform := make(map[string]bot.Adapter, len(adapters))
	for _, a := range adapters {
		byPlatform[a.Platform()] = a
	}
	b.intake.KeepAlive(ctx, byPlatform)
}

// surveyRates gives the statistics the survey rounds' response rates.
type surveyRates struct{ s *survey.Feature }

func (r surveyRates) SurveyRates(ctx context.Context, month string) ([]stats.SurveyRate, error) {
	rates, err := r.s.RoundRates(ctx, month)
	out := make([]stats.SurveyRate, 0, len(rates))
	for _, x := range rates {
		out = append(out, stats.SurveyRate{Name: x.Name, Sent: x.Sent, Responded: x.Responded, Hidden: x.Hidden})
	}
	return out, err
}

// statsConnections gives the statistics the connections figures of a
// quarter: every department, as /soudan stats is for admins.
type statsConnections struct{ c *connections.Feature }

func (s statsConnections) ConnectionsQuarter(ctx context.Context, q string) (stats.ConnQuarter, error) {
	f, err := s.c.AllFigures(ctx, q, 0)
	if err != nil {
		return stats.ConnQuarter{}, err
	}
	out := stats.ConnQuarter{Quarter: f.Quarter, K: f.K, Org: statsRow(f.Org)}
	for _, d := range f.Departments {
		out.Departments = append(out.Departments, statsRow(d))
	}
	return out, nil
}

func statsRow(r connections.FigureRow) stats.ConnRow {
	return stats.ConnRow{Name: r.Name, Shown: r.Shown, OneOnOnes: r.OneOnOnes, Groups: r.Groups, Met: r.Met,
		MentorsShown: r.MentorsShown, NewHires: r.NewHires, Mentored: r.Mentored}
}

// webConnections gives the report pages the connections figures a
// person may see (the feature decides who sees what).
type webConnections struct{ c *connections.Feature }

func (w webConnections) ConnectionsQuarter(ctx context.Context, u store.User, q string) (web.ConnQuarter, error) {
	f, err := w.c.Figures(ctx, u, q, 0)
	if err != nil {
		return web.ConnQuarter{}, err
	}
	out := web.ConnQuarter{Quarter: f.Quarter, From: f.From, To: f.To, K: f.K, Org: webRow(f.Org)}
	for _, d := range f.Departments {
		out.Departments = append(out.Departments, webRow(d))
	}
	return out, nil
}

func webRow(r connections.FigureRow) web.ConnRow {
	return web.ConnRow{Name: r.Name, Shown: r.Shown, People: r.People, Active: r.Active, OneOnOnes: r.OneOnOnes, Groups: r.Groups,
		Met: r.Met, MentorsShown: r.MentorsShown, NewHires: r.NewHires, Mentored: r.Mentored}
}
