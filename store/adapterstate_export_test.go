package store

import "reflect"

// AdapterStateSchema is the schema version whose migration creates the
// adapter state bucket, wherever it sits in the list.
var AdapterStateSchema = func() int {
	want := reflect.ValueOf(migration(createAdapterStateBucket)).Pointer()
	for i, m := range migrations {
		if reflect.ValueOf(m).Pointer() == want {
			return i + 1
		}
	}
	return 0
}()
