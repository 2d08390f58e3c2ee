package console

import (
	"encoding/json"
	"strconv"
)

// State keeps the console's state between runs: cmd/soudan implements it
// on the bot's data file. The console owns the document's format (a
// versioned JSON object); State only keeps its bytes.
type State interface {
	// LoadConsole returns the document last saved, or nil and no error
	// when none was.
	LoadConsole() ([]byte, error)
	// SaveConsole replaces the saved document.
	SaveConsole([]byte) error
}

// load restores the saved state, if any, before the console starts. When
// it cannot (the document is corrupt, of an unknown version, or cannot be
// read) the console starts afresh and load returns the notice to print;
// message numbers then continue from the saved counter when it can still
// be read, else from the clock, so they still never repeat.
func (a *Adapter) load() *notice {
	if a.opt.State == nil {
		return nil
	}
	raw, err := a.opt.State.LoadConsole()
	if err == nil && raw == nil {
		return nil
	}
	var d *stateDoc
	if err == nil {
		d, err = decodeState(raw)
	}
	if err == nil {
		a.restoreLocked(d)
		return nil
	}
	a.printed = fallbackCounter(raw, a.opt.Now().Unix())
	a.changes++ // save the fresh state, so that the notice is not repeated
	return &notice{key: msgReset, args: []any{oneLine(err.Error())}}
}

// fallbackCounter is the message counter after a reset: the saved "next"
// when the document still has a readable one, else now (Unix seconds),
// larger than any count of messages printed before.
func fallbackCounter(raw []byte, now int64) int {
	var head struct {
		Next json.Number `json:"next"`
	}
	if json.Unmarshal(raw, &head) == nil {
		if n, err := strconv.Atoi(string(head.Next)); err == nil && n >= 0 && n <= maxNext {
			return n
		}
	}
	return int(max(now, 0))
}

// restoreLocked makes a decoded document the console's state.
func (a *Adapter) restoreLocked(d *stateDoc) {
	a.printed = d.Next
	for _, su := range d.Users {
		u := &user{name: su.Name, locale: su.Locale, chose: su.Chose, conv: conv{channel: su.Channel, thread: su.Thread}}
		u.restored = u.conv != dmConv(u.name)
		a.users[su.Name] = u
	}
	for _, ss := range d.History {
		m := ss.shown()
		a.history = append(a.history, m)
		a.byID[m.id] = m
	}
}

// save saves the state when it changed since the last save. It marshals
// and writes without holding a.mu; saveMu keeps saves in order, so an
// older state never overwrites a newer one. The first failure of a run of
// failures is printed as a console message.
func (a *Adapter) save() {
	if a.opt.State == nil {
		return
	}
	a.saveMu.Lock()
	a.mu.Lock()
	if a.changes == a.saved {
		a.mu.Unlock()
		a.saveMu.Unlock()
		return
	}
	snap := a.snapshotLocked()
	a.mu.Unlock()
	err := a.opt.State.SaveConsole(snap.encode())
	if err == nil {
		a.saved = snap.changes
	}
	report := err != nil && !a.saveFailed
	a.saveFailed = err != nil
	a.saveMu.Unlock()
	if report {
		a.mu.Lock()
		a.noticeLocked(&notice{key: msgSaveFailed, args: []any{oneLine(err.Error())}})
		a.mu.Unlock()
	}
}
