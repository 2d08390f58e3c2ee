package store

// A transaction's domain verbs are grouped by the entity they work on:
// tx.Users().ByID(id), tx.Outbox().Enqueue(b, items). Each view is a
// value holding the transaction, so reaching one costs nothing and its
// verbs are the Tx's: they commit or roll back with it, see its snapshot
// and stamp its Now. The grouping keeps every type's method set small
// enough to read (internal/archtest holds each under 120), and a verb's
// name no longer repeats its entity (Users().ByName, not UsersByName).

// Outbox is the transaction's view of the outbox: proactive messages,
// their batches, claims and results (outbox*.go).
type Outbox struct {
	tx *Tx
	// lease is what ClaimDue writes on the items it claims (Leased).
	lease outboxLease
}

// Outbox returns the transaction's outbox verbs.
func (tx *Tx) Outbox() Outbox { return Outbox{tx: tx} }

// Events is the transaction's view of the platform event ids it has seen,
// which make every handler idempotent (events.go).
type Events struct{ tx *Tx }

// Events returns the transaction's event-id verbs.
func (tx *Tx) Events() Events { return Events{tx} }

// Surveys is the transaction's view of survey definitions, rounds,
// invitations, responses, tallies and releases (survey*.go, surveys.go).
type Surveys struct{ tx *Tx }

// Surveys returns the transaction's survey verbs.
func (tx *Tx) Surveys() Surveys { return Surveys{tx} }

// Users is the transaction's view of users and their roles (users.go).
type Users struct{ tx *Tx }

// Users returns the transaction's user verbs.
func (tx *Tx) Users() Users { return Users{tx} }

// Departments is the transaction's view of departments and their members
// (departments.go).
type Departments struct{ tx *Tx }

// Departments returns the transaction's department verbs.
func (tx *Tx) Departments() Departments { return Departments{tx} }

// Topics is the transaction's view of consultation topics and the
// channels mapped to them (topics.go).
type Topics struct{ tx *Tx }

// Topics returns the transaction's topic verbs.
func (tx *Tx) Topics() Topics { return Topics{tx} }

// Mentors is the transaction's view of mentor profiles and their load
// (mentors.go, mentor_load.go).
type Mentors struct{ tx *Tx }

// Mentors returns the transaction's mentor verbs.
func (tx *Tx) Mentors() Mentors { return Mentors{tx} }

// Consultations is the transaction's view of consultations, their
// messages and the queries over them (consultation*.go).
type Consultations struct{ tx *Tx }

// Consultations returns the transaction's consultation verbs.
func (tx *Tx) Consultations() Consultations { return Consultations{tx} }
