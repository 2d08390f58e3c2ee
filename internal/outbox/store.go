package outbox

import (
	"time"

	"github.com/soudan/soudan/store"
)

// Store is what a Worker needs of the store: enqueuing, claiming due items
// and recording the results of attempts, many at once. *store.Store
// implements it; each method is the store.Tx verb of the same name in a
// transaction of its own.
type Store interface {
	EnqueueOutbox(b *store.OutboxBatch, items []store.OutboxItem) (store.OutboxBatch, []store.OutboxItem, error)
	ClaimDueSkipping(now time.Time, n int, skip func(conversation string) bool, accept func(store.OutboxItem) bool) ([]store.OutboxItem, error)
	NextDue() (time.Time, bool, error)
	InDoubt() ([]store.OutboxItem, error)
	RecordResults(results []store.OutboxResult, also func(*store.Tx) error) ([]store.OutboxItem, []store.OutboxBatch, error)
	OutboxBatch(id uint64) (store.OutboxBatch, error)
	CancelBatch(id uint64) (store.OutboxBatch, int, error)
}

var _ Store = (*store.Store)(nil)
