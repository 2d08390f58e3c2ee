package main

import (
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/bot/console"
	"github.com/soudan/soudan/scheduler"
	"github.com/soudan/soudan/store"
)

// storePorts is the data file as the adapters, the console and the
// scheduler see it: they keep a little state there through small
// interfaces of their own, since none of them imports the store. Each
// method is one transaction.
type storePorts struct{ st *store.Store }

var (
	_ bot.StateStore    = storePorts{}
	_ console.State     = storePorts{}
	_ scheduler.Claimer = storePorts{}
)

// PutAdapterState keeps value under platform's key until expires.
func (p storePorts) PutAdapterState(platform, key string, value []byte, expires time.Time) error {
	return p.st.Update(func(tx *store.Tx) error { return tx.PutAdapterState(platform, key, value, expires) })
}

// AdapterState returns the unexpired value under platform's key.
func (p storePorts) AdapterState(platform, key string) (value []byte, ok bool, err error) {
	err = p.st.View(func(tx *store.Tx) (err error) {
		value, ok, err = tx.AdapterState(platform, key)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return value, ok, nil
}

// LoadConsole returns the console's saved document, or nil.
func (p storePorts) LoadConsole() (doc []byte, err error) {
	err = p.st.View(func(tx *store.Tx) (err error) {
		doc, err = tx.LoadConsole()
		return err
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// SaveConsole replaces the console's saved document.
func (p storePorts) SaveConsole(doc []byte) error {
	return p.st.Update(func(tx *store.Tx) error { return tx.SaveConsole(doc) })
}

// ClaimPeriod claims a job's period, reporting whether this call was the
// first to claim it.
func (p storePorts) ClaimPeriod(key string) (first bool, err error) {
	err = p.st.Update(func(tx *store.Tx) (err error) {
		first, err = tx.ClaimPeriod(key)
		return err
	})
	if err != nil {
		return false, err
	}
	return first, nil
}
