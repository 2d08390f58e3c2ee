//go:build !unix

package store

import (
	"errors"
	"time"

	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// holdLock takes the lock of the data file at path by opening it with
// bbolt, waiting at most timeout; ok is false when another process holds
// it all that time. A damaged file fails with ErrDamaged.
func holdLock(path string, timeout time.Duration) (release func() error, ok bool, err error) {
	defer guard(&err, "", nil)()
	db, err := bbolt.Open(path, fileMode, &bbolt.Options{Timeout: timeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return db.Close, true, nil
}
