package handlers

import (
	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// DMAddress is where to reach u directly.
func DMAddress(u store.User) bot.Address {
	return bot.Address{Platform: u.Platform, Workspace: u.Workspace, User: u.PlatformID, Ref: u.DMRef}
}

// ThreadAddress is where to post into th.
func ThreadAddress(th store.Thread) bot.Address {
	return bot.Address{Platform: th.Platform, Workspace: th.Workspace, Channel: th.Channel, Thread: th.Thread}
}

// UserThread is the user's own thread of c (their DM card or
// confirmation), if they have one.
func UserThread(c store.Consultation, userID uint64) (store.Thread, bool) {
	for _, th := range c.Threads {
		if th.UserID == userID && userID != 0 {
			return th, true
		}
	}
	return store.Thread{}, false
}

// OwnThread is where to reach u about c: their thread of it, else their
// DM.
func OwnThread(c store.Consultation, u store.User) bot.Address {
	if th, ok := UserThread(c, u.ID); ok {
		return ThreadAddress(th)
	}
	return DMAddress(u)
}

// ServedPlatforms are the platforms the bot sends to, or nil when it
// cannot tell (a single sender, as in tests).
func (k *Kit) ServedPlatforms() map[string]bool {
	mux, ok := k.Send.(bot.Mux)
	if !ok {
		return nil
	}
	out := map[string]bool{}
	for p := range mux {
		out[p] = true
	}
	return out
}
