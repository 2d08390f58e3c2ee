package store

import (
	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/kvguard"
)

// KnownSchemaVersion is the schema version this binary migrates to.
var KnownSchemaVersion = len(migrations)

// OpenWithExtraMigrations opens path like Open, with one more migration
// after the real ones for each of extra; each calls its func when its
// transaction commits (a transaction's function may run more than once:
// SOUDAN_TEST_RETRY=1 runs each twice).
func OpenWithExtraMigrations(path string, opt Options, extra ...func()) (*Store, error) {
	list := append([]migration(nil), migrations...)
	for _, f := range extra {
		list = append(list, func(tx kv.Tx) error { tx.OnCommit(f); return nil })
	}
	return open(path, opt, list)
}

// LenientGuard makes nested transactions on s (data and inbox) fail with
// an error wrapping kvguard.ErrNested instead of ending the test binary,
// for tests that nest on purpose. It fails when s is not guarded.
func LenientGuard(s *Store) bool {
	d, ok := s.kv.(*kvguard.DB)
	if !ok {
		return false
	}
	d.Lenient()
	if in, ok := s.inbox.(*kvguard.DB); ok {
		in.Lenient()
	}
	return true
}
