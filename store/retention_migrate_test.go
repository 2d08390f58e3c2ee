package store

import (
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/kv/boltkv"
)

// A file written before the closed index gets its finished consultations
// filed by the migration, so the first purge finds them.
func TestRetentionMigrationIndexesOldFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	closed := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	err = st.Update(func(tx *Tx) error {
		u, _, err := tx.Users().Ensure(UserKey{Platform: "slack", PlatformID: "U1"}, "田中", "ja")
		if err != nil {
			return err
		}
		for _, s := range []State{StateResolved, StateOpen} {
			if _, _, err := tx.Consultations().Create(Consultation{AskerID: u.ID, State: s, ClosedAt: closed}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Back to the schema before the migration: no closed index.
	version := -1
	for i, m := range migrations {
		if funcName(m) == funcName(createRetentionBuckets) {
			version = i
		}
	}
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = boltkv.Wrap(db).Update(func(tx kv.Tx) error {
		for _, b := range []string{bktConsByClosed, bktPurged} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bktMeta).Put([]byte(schemaKey), []byte(strconv.Itoa(version)))
	})
	db.Close()
	if err != nil || version < 0 {
		t.Fatalf("downgrade: %v (version %d)", err, version)
	}

	st, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int
	if err := st.Update(func(tx *Tx) (err error) { n, _, err = tx.PurgeConsultations(closed.Add(time.Hour), 10); return err }); err != nil || n != 1 {
		t.Errorf("purge after the migration: %d, %v; want the one resolved consultation", n, err)
	}
}

// funcName names a migration, to find its place in the list whatever
// number it has.
func funcName(m migration) string { return runtime.FuncForPC(reflect.ValueOf(m).Pointer()).Name() }
