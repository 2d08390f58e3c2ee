//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// holdLock takes the lock bbolt takes on a data file it opens for writing
// (an exclusive flock on the file), without reading the file, so that a
// damaged one can be held too. It waits at most timeout; ok is false when
// another process holds the lock all that time.
func holdLock(path string, timeout time.Duration) (release func() error, ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, false, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f.Close, true, nil // closing the file releases its lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) || time.Now().After(deadline) {
			f.Close()
			if err != nil && !errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, false, err
			}
			return nil, false, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}
