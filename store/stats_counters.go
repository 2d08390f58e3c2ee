package store

import (
	"encoding/binary"
	"fmt"
)

// bktMonthly holds per-month counters: "YYYY-MM" 0x00 key -> varint.
// It is created on first use, so it needs no migration.
const bktMonthly = "stats.monthly"

// CounterDeflected counts consultations their asker resolved with a tip
// offered when they asked (self-service deflection).
const CounterDeflected = "deflected"

// AddMonthly adds n to the counter key of month ("2026-11").
func (tx *Tx) AddMonthly(month, key string, n int64) error {
	if err := tx.writable(); err != nil {
		return err
	}
	b, err := tx.tx.CreateBucketIfNotExists([]byte(bktMonthly))
	if err != nil {
		return fmt.Errorf("add monthly %s %s: %w", month, key, err)
	}
	k := []byte(joinKey(month, key))
	v, _ := binary.Varint(b.Get(k))
	if err := b.Put(k, binary.AppendVarint(nil, v+n)); err != nil {
		return fmt.Errorf("add monthly %s %s: %w", month, key, err)
	}
	return nil
}

// Monthly returns the counter key of month; 0 if it was never added to.
func (tx *Tx) Monthly(month, key string) int64 {
	b := tx.bucket(bktMonthly)
	if b == nil {
		return 0
	}
	v, _ := binary.Varint(b.Get([]byte(joinKey(month, key))))
	return v
}
