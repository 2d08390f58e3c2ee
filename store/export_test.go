package store

import "github.com/soudan/soudan/store/kv"

// KnownSchemaVersion is the schema version this binary migrates to.
var KnownSchemaVersion = len(migrations)

// OpenWithExtraMigrations opens path like Open, with one more migration
// after the real ones for each of extra; each calls its func.
func OpenWithExtraMigrations(path string, opt Options, extra ...func()) (*Store, error) {
	list := append([]migration(nil), migrations...)
	for _, f := range extra {
		list = append(list, func(kv.Tx) error { f(); return nil })
	}
	return open(path, opt, list)
}
