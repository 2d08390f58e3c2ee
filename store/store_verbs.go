package store

// The Store methods below are conveniences for callers that do one thing:
// each runs the Tx verb of the same name, with the same semantics, in a
// transaction of its own. A caller that changes several things in one
// commit (a consultation and the notices announcing it, an event claim and
// what it produced) calls Update and the verbs on its Tx instead, so they
// are stored together or not at all.

import (
	"errors"
	"time"
)

// one runs fn in a transaction begun by run (View, Update or batch) and
// returns its result, or the zero value and the error.
func one[A any](run func(func(*Tx) error) error, fn func(*Tx) (A, error)) (A, error) {
	var a A
	err := run(func(tx *Tx) (err error) {
		a, err = fn(tx)
		return err
	})
	if err != nil {
		var zero A
		return zero, err
	}
	return a, nil
}

// two is one for verbs with two results.
func two[A, B any](run func(func(*Tx) error) error, fn func(*Tx) (A, B, error)) (A, B, error) {
	var a A
	var b B
	err := run(func(tx *Tx) (err error) {
		a, b, err = fn(tx)
		return err
	})
	if err != nil {
		var za A
		var zb B
		return za, zb, err
	}
	return a, b, nil
}

// EnsureUser is Users.Ensure. Almost every call is a known sender whose
// name and locale have not changed: it answers those from a View, which
// costs no disk write, and takes an Update only to create or change.
func (s *Store) EnsureUser(k UserKey, name, locale string) (User, bool, error) {
	ensure := func(tx *Tx) (User, bool, error) { return tx.Users().Ensure(k, name, locale) }
	u, created, err := two(s.View, ensure)
	if errors.Is(err, ErrTxNotWritable) {
		return two(s.Update, ensure)
	}
	return u, created, err
}

// Users.

// User is Users.ByID in a View of its own.
func (s *Store) User(id uint64) (User, error) {
	return one(s.View, func(tx *Tx) (User, error) { return tx.Users().ByID(id) })
}

// UserByKey is Users.ByKey in a View of its own.
func (s *Store) UserByKey(k UserKey) (User, error) {
	return one(s.View, func(tx *Tx) (User, error) { return tx.Users().ByKey(k) })
}

// UsersByName is Users.ByName in a View of its own.
func (s *Store) UsersByName(name string) ([]User, error) {
	return one(s.View, func(tx *Tx) ([]User, error) { return tx.Users().ByName(name) })
}

// UsersWithRole is Users.WithRole in a View of its own.
func (s *Store) UsersWithRole(role string) ([]User, error) {
	return one(s.View, func(tx *Tx) ([]User, error) { return tx.Users().WithRole(role) })
}

// Users is Users.All in a View of its own.
func (s *Store) Users() ([]User, error) {
	return one(s.View, func(tx *Tx) ([]User, error) { return tx.Users().All() })
}

// CountUsers is Users.Count in a View of its own.
func (s *Store) CountUsers() (int, error) {
	return one(s.View, func(tx *Tx) (int, error) { return tx.Users().Count() })
}

// UpdateUser is Users.Update in an Update of its own.
func (s *Store) UpdateUser(id uint64, fn func(*User) error) (User, error) {
	return one(s.Update, func(tx *Tx) (User, error) { return tx.Users().Update(id, fn) })
}

// SetRole is Users.SetRole in an Update of its own.
func (s *Store) SetRole(id uint64, role string, on bool) (User, error) {
	return one(s.Update, func(tx *Tx) (User, error) { return tx.Users().SetRole(id, role, on) })
}

// Topics.

// CreateTopic is Topics.Create in an Update of its own.
func (s *Store) CreateTopic(t Topic) (Topic, error) {
	return one(s.Update, func(tx *Tx) (Topic, error) { return tx.Topics().Create(t) })
}

// Topic is Topics.ByID in a View of its own.
func (s *Store) Topic(id uint64) (Topic, error) {
	return one(s.View, func(tx *Tx) (Topic, error) { return tx.Topics().ByID(id) })
}

// Topics is Topics.All in a View of its own.
func (s *Store) Topics() ([]Topic, error) {
	return one(s.View, func(tx *Tx) ([]Topic, error) { return tx.Topics().All() })
}

// TopicByName is Topics.ByName in a View of its own.
func (s *Store) TopicByName(name string) (Topic, error) {
	return one(s.View, func(tx *Tx) (Topic, error) { return tx.Topics().ByName(name) })
}

// TopicByChannel is Topics.ByChannel in a View of its own.
func (s *Store) TopicByChannel(platform, workspace, channel string) (Topic, error) {
	return one(s.View, func(tx *Tx) (Topic, error) { return tx.Topics().ByChannel(platform, workspace, channel) })
}

// DefaultTopic is Topics.Default in a View of its own.
func (s *Store) DefaultTopic() (Topic, error) {
	return one(s.View, func(tx *Tx) (Topic, error) { return tx.Topics().Default() })
}

// UpdateTopic is Topics.Update in an Update of its own.
func (s *Store) UpdateTopic(id uint64, fn func(*Topic) error) (Topic, error) {
	return one(s.Update, func(tx *Tx) (Topic, error) { return tx.Topics().Update(id, fn) })
}

// MapChannel is Topics.MapChannel in an Update of its own.
func (s *Store) MapChannel(topicID uint64, ch ChannelRef) (Topic, error) {
	return one(s.Update, func(tx *Tx) (Topic, error) { return tx.Topics().MapChannel(topicID, ch) })
}

// Mentors.

// PutMentor is Mentors.Put in an Update of its own.
func (s *Store) PutMentor(m Mentor) (Mentor, error) {
	return one(s.Update, func(tx *Tx) (Mentor, error) { return tx.Mentors().Put(m) })
}

// Mentor is Mentors.ByUser in a View of its own.
func (s *Store) Mentor(userID uint64) (Mentor, error) {
	return one(s.View, func(tx *Tx) (Mentor, error) { return tx.Mentors().ByUser(userID) })
}

// Mentors is Mentors.All in a View of its own.
func (s *Store) Mentors() ([]Mentor, error) {
	return one(s.View, func(tx *Tx) ([]Mentor, error) { return tx.Mentors().All() })
}

// MentorsByTopic is Mentors.ByTopic in a View of its own.
func (s *Store) MentorsByTopic(topicID uint64) ([]Mentor, error) {
	return one(s.View, func(tx *Tx) ([]Mentor, error) { return tx.Mentors().ByTopic(topicID) })
}

// UpdateMentor is Mentors.Update in an Update of its own.
func (s *Store) UpdateMentor(userID uint64, fn func(*Mentor) error) (Mentor, error) {
	return one(s.Update, func(tx *Tx) (Mentor, error) { return tx.Mentors().Update(userID, fn) })
}

// Consultations.

// CreateConsultation is Consultations.Create in an Update of its own.
func (s *Store) CreateConsultation(c Consultation) (Consultation, bool, error) {
	return two(s.Update, func(tx *Tx) (Consultation, bool, error) { return tx.Consultations().Create(c) })
}

// Consultation is Consultations.ByID in a View of its own.
func (s *Store) Consultation(id uint64) (Consultation, error) {
	return one(s.View, func(tx *Tx) (Consultation, error) { return tx.Consultations().ByID(id) })
}

// UpdateConsultation is Consultations.Update in an Update of its own.
func (s *Store) UpdateConsultation(id uint64, fn func(*Consultation) error) (Consultation, error) {
	return one(s.Update, func(tx *Tx) (Consultation, error) { return tx.Consultations().Update(id, fn) })
}

// AddConsultMessage is Consultations.AddMessage in an Update of its own.
func (s *Store) AddConsultMessage(id uint64, m ConsultMessage) (Consultation, bool, error) {
	return two(s.Update, func(tx *Tx) (Consultation, bool, error) { return tx.Consultations().AddMessage(id, m) })
}

// ConsultationByThread is Consultations.ByThread in a View of its own.
func (s *Store) ConsultationByThread(platform, workspace, channel, thread string) (Consultation, error) {
	return one(s.View, func(tx *Tx) (Consultation, error) {
		return tx.Consultations().ByThread(platform, workspace, channel, thread)
	})
}

// ConsultationsByAsker is Consultations.ByAsker in a View of its own.
func (s *Store) ConsultationsByAsker(userID uint64) ([]Consultation, error) {
	return one(s.View, func(tx *Tx) ([]Consultation, error) { return tx.Consultations().ByAsker(userID) })
}

// ConsultationsByMentor is Consultations.ByMentor in a View of its own.
func (s *Store) ConsultationsByMentor(userID uint64) ([]Consultation, error) {
	return one(s.View, func(tx *Tx) ([]Consultation, error) { return tx.Consultations().ByMentor(userID) })
}

// ConsultationsByState is Consultations.ByState in a View of its own.
func (s *Store) ConsultationsByState(states ...State) ([]Consultation, error) {
	return one(s.View, func(tx *Tx) ([]Consultation, error) { return tx.Consultations().ByState(states...) })
}

// ActiveLoad is Mentors.ActiveLoad in a View of its own.
func (s *Store) ActiveLoad() (map[uint64]int, error) {
	return one(s.View, func(tx *Tx) (map[uint64]int, error) { return tx.Mentors().ActiveLoad() })
}

// MentorLoad is Mentors.Load in a View of its own.
func (s *Store) MentorLoad(ids ...uint64) (map[uint64]int, error) {
	return one(s.View, func(tx *Tx) (map[uint64]int, error) { return tx.Mentors().Load(ids...) })
}

// Platform events, scheduler periods and the audit log.

// MarkEvent is Events.Mark in an Update of its own.
func (s *Store) MarkEvent(id, ref string) (bool, error) {
	return one(s.Update, func(tx *Tx) (bool, error) { return tx.Events().Mark(id, ref) })
}

// SeenEvent is Events.Seen in a View of its own.
func (s *Store) SeenEvent(id string) (string, bool, error) {
	return two(s.View, func(tx *Tx) (string, bool, error) { return tx.Events().Seen(id) })
}

// FinishEvent is Events.Finish in an Update of its own.
func (s *Store) FinishEvent(id string) error {
	return s.Update(func(tx *Tx) error { return tx.Events().Finish(id) })
}

// EventDone is Events.Done in a View of its own.
func (s *Store) EventDone(id string) (bool, error) {
	return one(s.View, func(tx *Tx) (bool, error) { return tx.Events().Done(id) })
}

// PurgeEvents is Events.Purge in an Update of its own.
func (s *Store) PurgeEvents(before time.Time) (int, error) {
	return one(s.Update, func(tx *Tx) (int, error) { return tx.Events().Purge(before) })
}

// ClaimPeriod is Tx.ClaimPeriod in an Update of its own.
func (s *Store) ClaimPeriod(key string) (bool, error) {
	return one(s.Update, func(tx *Tx) (bool, error) { return tx.ClaimPeriod(key) })
}

// PeriodClaimedAt is Tx.PeriodClaimedAt in a View of its own.
func (s *Store) PeriodClaimedAt(key string) (time.Time, bool, error) {
	return two(s.View, func(tx *Tx) (time.Time, bool, error) { return tx.PeriodClaimedAt(key) })
}

// AppendAudit is Tx.AppendAudit in an Update of its own.
func (s *Store) AppendAudit(e AuditEntry) (AuditEntry, error) {
	return one(s.Update, func(tx *Tx) (AuditEntry, error) { return tx.AppendAudit(e) })
}

// AuditLog is Tx.AuditLog in a View of its own.
func (s *Store) AuditLog(limit int) ([]AuditEntry, error) {
	return one(s.View, func(tx *Tx) ([]AuditEntry, error) { return tx.AuditLog(limit) })
}

// Outbox.

// EnqueueOutbox is Outbox.Enqueue in an Update of its own.
func (s *Store) EnqueueOutbox(b *OutboxBatch, items []OutboxItem) (OutboxBatch, []OutboxItem, error) {
	return two(s.Update, func(tx *Tx) (OutboxBatch, []OutboxItem, error) { return tx.Outbox().Enqueue(b, items) })
}

// OutboxItem is Outbox.Item in a View of its own.
func (s *Store) OutboxItem(id uint64) (OutboxItem, error) {
	return one(s.View, func(tx *Tx) (OutboxItem, error) { return tx.Outbox().Item(id) })
}

// OutboxItemByKey is Outbox.ItemByKey in a View of its own.
func (s *Store) OutboxItemByKey(key string) (OutboxItem, error) {
	return one(s.View, func(tx *Tx) (OutboxItem, error) { return tx.Outbox().ItemByKey(key) })
}

// OutboxBatch is Outbox.Batch in a View of its own.
func (s *Store) OutboxBatch(id uint64) (OutboxBatch, error) {
	return one(s.View, func(tx *Tx) (OutboxBatch, error) { return tx.Outbox().Batch(id) })
}

// OutboxBatches is Outbox.Batches in a View of its own.
func (s *Store) OutboxBatches(kind string, limit int) ([]OutboxBatch, error) {
	return one(s.View, func(tx *Tx) ([]OutboxBatch, error) { return tx.Outbox().Batches(kind, limit) })
}

// ReleaseBatch is Outbox.ReleaseBatch in an Update of its own.
func (s *Store) ReleaseBatch(id uint64, notBefore time.Time) (OutboxBatch, error) {
	return one(s.Update, func(tx *Tx) (OutboxBatch, error) { return tx.Outbox().ReleaseBatch(id, notBefore) })
}

// ClaimDueSkipping is Outbox.ClaimDueSkipping in an Update of its own.
// A claim that takes nothing rolls back: no disk sync for a look that
// found nothing to send.
func (s *Store) ClaimDueSkipping(now time.Time, n int, skip func(string) bool, accept func(OutboxItem) bool) ([]OutboxItem, error) {
	var items []OutboxItem
	err := s.Update(func(tx *Tx) (err error) {
		if items, err = tx.Outbox().ClaimDueSkipping(now, n, skip, accept); err == nil && len(items) == 0 {
			return errNothingClaimed
		}
		return err
	})
	if errors.Is(err, errNothingClaimed) {
		return nil, nil
	}
	return items, err
}

// errNothingClaimed rolls back a claim that took nothing.
var errNothingClaimed = errors.New("nothing claimed")

// ClaimDue is Outbox.ClaimDue in an Update of its own.
func (s *Store) ClaimDue(now time.Time, n int, accept func(OutboxItem) bool) ([]OutboxItem, error) {
	return one(s.Update, func(tx *Tx) ([]OutboxItem, error) { return tx.Outbox().ClaimDue(now, n, accept) })
}

// NextDue is Outbox.NextDue in a View of its own.
func (s *Store) NextDue() (time.Time, bool, error) {
	return two(s.View, func(tx *Tx) (time.Time, bool, error) { return tx.Outbox().NextDue() })
}

// OutboxPendingCount is Outbox.PendingCount in a View of its own.
func (s *Store) OutboxPendingCount() (int, error) {
	return one(s.View, func(tx *Tx) (int, error) { return tx.Outbox().PendingCount(), nil })
}

// InDoubt is Outbox.InDoubt in a View of its own.
func (s *Store) InDoubt() ([]OutboxItem, error) {
	return one(s.View, func(tx *Tx) ([]OutboxItem, error) { return tx.Outbox().InDoubt() })
}

// MarkSent is Outbox.MarkSent in an Update of its own, which bbolt may share with concurrent marks
// (DB.Batch) so that many deliveries finishing at once cost one disk sync.
func (s *Store) MarkSent(id uint64, result []byte) (OutboxItem, error) {
	return one(s.batch, func(tx *Tx) (OutboxItem, error) { return tx.Outbox().MarkSent(id, result) })
}

// MarkRetry is Outbox.MarkRetry in an Update of its own, which bbolt may share with concurrent marks
// (DB.Batch) so that many deliveries finishing at once cost one disk sync.
func (s *Store) MarkRetry(id uint64, reason string, next time.Time, maybeDelivered bool) (OutboxItem, error) {
	return one(s.batch, func(tx *Tx) (OutboxItem, error) { return tx.Outbox().MarkRetry(id, reason, next, maybeDelivered) })
}

// MarkFailed is Outbox.MarkFailed in an Update of its own, which bbolt may share with concurrent marks
// (DB.Batch) so that many deliveries finishing at once cost one disk sync.
func (s *Store) MarkFailed(id uint64, reason string) (OutboxItem, error) {
	return one(s.batch, func(tx *Tx) (OutboxItem, error) { return tx.Outbox().MarkFailed(id, reason) })
}

// RecordResults is Outbox.RecordResults in an Update of its own (one disk
// sync for every result in it), followed in the same transaction by also
// (nil for nothing): what the deliveries make true, such as where a card
// landed, commits with them.
func (s *Store) RecordResults(results []OutboxResult, also func(*Tx) error) ([]OutboxItem, []OutboxBatch, error) {
	return two(s.Update, func(tx *Tx) ([]OutboxItem, []OutboxBatch, error) {
		items, done, err := tx.Outbox().RecordResults(results)
		if err == nil && also != nil {
			err = also(tx)
		}
		return items, done, err
	})
}

// CancelBatch is Outbox.CancelBatch in an Update of its own.
func (s *Store) CancelBatch(id uint64) (OutboxBatch, int, error) {
	return two(s.Update, func(tx *Tx) (OutboxBatch, int, error) { return tx.Outbox().CancelBatch(id) })
}

// BatchReport is Outbox.BatchReport in a View of its own.
func (s *Store) BatchReport(id uint64, maxFailures int) (OutboxReport, error) {
	return one(s.View, func(tx *Tx) (OutboxReport, error) { return tx.Outbox().BatchReport(id, maxFailures) })
}

// PurgeOutbox is Outbox.Purge in an Update of its own.
func (s *Store) PurgeOutbox(before time.Time) (int, error) {
	return one(s.Update, func(tx *Tx) (int, error) { return tx.Outbox().Purge(before) })
}

// Calendar, console and adapter state.

// AddClosedDay is Tx.AddClosedDay in an Update of its own.
func (s *Store) AddClosedDay(d ClosedDay) (ClosedDay, error) {
	return one(s.Update, func(tx *Tx) (ClosedDay, error) { return tx.AddClosedDay(d) })
}

// RemoveClosedDay is Tx.RemoveClosedDay in an Update of its own.
func (s *Store) RemoveClosedDay(date string) error {
	return s.Update(func(tx *Tx) error { return tx.RemoveClosedDay(date) })
}

// ClosedDays is Tx.ClosedDays in a View of its own.
func (s *Store) ClosedDays() ([]ClosedDay, error) {
	return one(s.View, func(tx *Tx) ([]ClosedDay, error) { return tx.ClosedDays() })
}

// LoadConsole is Tx.LoadConsole in a View of its own.
func (s *Store) LoadConsole() ([]byte, error) {
	return one(s.View, func(tx *Tx) ([]byte, error) { return tx.LoadConsole() })
}

// SaveConsole is Tx.SaveConsole in an Update of its own.
func (s *Store) SaveConsole(b []byte) error {
	return s.Update(func(tx *Tx) error { return tx.SaveConsole(b) })
}

// PutAdapterState is Tx.PutAdapterState in an Update of its own.
func (s *Store) PutAdapterState(platform, key string, value []byte, expires time.Time) error {
	return s.Update(func(tx *Tx) error { return tx.PutAdapterState(platform, key, value, expires) })
}

// AdapterState is Tx.AdapterState in a View of its own.
func (s *Store) AdapterState(platform, key string) ([]byte, bool, error) {
	return two(s.View, func(tx *Tx) ([]byte, bool, error) { return tx.AdapterState(platform, key) })
}

// PurgeAdapterState is Tx.PurgeAdapterState in an Update of its own.
func (s *Store) PurgeAdapterState(now time.Time) (int, error) {
	return one(s.Update, func(tx *Tx) (int, error) { return tx.PurgeAdapterState(now) })
}

// Departments and surveys.

// Departments is Departments.All in a View of its own.
func (s *Store) Departments() ([]Department, error) {
	return one(s.View, func(tx *Tx) ([]Department, error) { return tx.Departments().All() })
}

// DepartmentByName is Departments.ByName in a View of its own.
func (s *Store) DepartmentByName(name string) (Department, error) {
	return one(s.View, func(tx *Tx) (Department, error) { return tx.Departments().ByName(name) })
}

// Surveys is Surveys.All in a View of its own.
func (s *Store) Surveys() ([]Survey, error) {
	return one(s.View, func(tx *Tx) ([]Survey, error) { return tx.Surveys().All() })
}
