package store

// OpenAtSchema opens path like Open, migrating it only up to the given
// schema version, so tests can make files of an older release.
func OpenAtSchema(path string, opt Options, version int) (*Store, error) {
	return open(path, opt, migrations[:version])
}
