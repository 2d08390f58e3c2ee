package store

import (
	"bytes"
	"fmt"

	"github.com/soudan/soudan/store/kv"
)

// bktConsole holds the console adapter's state under consoleKey: one
// document the console encodes and decodes itself. The store keeps it so
// that the console's message ids, users and history survive a restart on
// the same file.
const bktConsole = "console"

// consoleKey is the key of the console's document in bktConsole.
var consoleKey = []byte("state")

// createConsoleBucket creates the console bucket of schema version 2.
func createConsoleBucket(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktConsole); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktConsole, err)
	}
	return nil
}

// LoadConsole returns the console state last saved with SaveConsole, or
// nil and no error when none was saved. The bytes stay valid after the
// transaction.
func (tx *Tx) LoadConsole() ([]byte, error) {
	// bbolt's value is only valid inside the transaction.
	return bytes.Clone(tx.bucket(bktConsole).Get(consoleKey)), nil
}

// SaveConsole replaces the saved console state with b. Saving nil forgets
// it, so that LoadConsole returns nil again.
func (tx *Tx) SaveConsole(b []byte) error {
	bk := tx.bucket(bktConsole)
	var err error
	if b == nil {
		err = bk.Delete(consoleKey)
	} else {
		err = bk.Put(consoleKey, b)
	}
	if err != nil {
		return fmt.Errorf("save console state: %w", err)
	}
	return nil
}
