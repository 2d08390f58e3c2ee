package teams

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/infracloudio/msbotbuilder-go/schema"

	"github.com/soudan/soudan/bot"
)

// A user's saved references expire refTTL after the user was last seen;
// a sighting that changes nothing rewrites them at most every refRefresh,
// which is all the expiry needs.
const (
	refTTL     = 180 * 24 * time.Hour
	refRefresh = 24 * time.Hour
)

// savedRefs is what the StateStore keeps of a user, under their id.
type savedRefs struct {
	// Ref is the conversation the user was last seen in: its service URL,
	// tenant and bot account reach the user after a restart.
	Ref schema.ConversationReference `json:"ref"`
	// Personal is the user's 1:1 chat with the bot, once known.
	Personal *schema.ConversationReference `json:"personal,omitempty"`
}

// known is a user's savedRefs as the StateStore holds them.
type known struct {
	doc   savedRefs
	raw   []byte    // as written; nil when read, or when the write failed
	saved time.Time // when written
}

// userRefs saves the conversation references of users in a StateStore,
// so that proactive messages after a restart reach users seen only in
// channels at their own service URL. A nil *userRefs saves nothing.
type userRefs struct {
	state bot.StateStore
	now   func() time.Time
	log   *slog.Logger

	mu    sync.Mutex // held across StateStore calls: saves stay in order
	users map[string]known
}

func newUserRefs(state bot.StateStore, now func() time.Time, log *slog.Logger) *userRefs {
	if state == nil {
		return nil
	}
	return &userRefs{state: state, now: now, log: log, users: map[string]known{}}
}

// learn saves r as the conversation userID was last seen in (and as their
// 1:1 chat when it is one), keeping what was saved before.
func (u *userRefs) learn(userID string, r schema.ConversationReference) {
	if u == nil || userID == "" || r.ServiceURL == "" || r.Conversation.ID == "" {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	k, ok := u.users[userID]
	if !ok {
		k.doc, _ = u.readLocked(userID) // a 1:1 chat learnt before a restart
	}
	doc := k.doc
	doc.Ref = r
	if r.Conversation.ConversationType == convPersonal {
		doc.Personal = &r
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return // a struct of strings always marshals
	}
	now := u.now()
	if bytes.Equal(raw, k.raw) && now.Sub(k.saved) < refRefresh {
		return
	}
	if err := u.state.PutAdapterState(platform, userID, raw, now.Add(refTTL)); err != nil {
		u.log.Warn("teams: save conversation reference", "user", userID, "err", err)
		raw = nil // try again at the next sighting
	}
	u.users[userID] = known{doc: doc, raw: raw, saved: now}
}

// lookup returns what is saved of userID, if anything.
func (u *userRefs) lookup(userID string) (savedRefs, bool) {
	if u == nil || userID == "" {
		return savedRefs{}, false
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if k, ok := u.users[userID]; ok {
		return k.doc, k.doc.Ref.ServiceURL != ""
	}
	doc, ok := u.readLocked(userID)
	if ok {
		u.users[userID] = known{doc: doc} // the next sighting refreshes it
	}
	return doc, ok
}

// readLocked reads userID's saved references from the StateStore.
func (u *userRefs) readLocked(userID string) (savedRefs, bool) {
	b, ok, err := u.state.AdapterState(platform, userID)
	if err != nil {
		u.log.Warn("teams: load conversation reference", "user", userID, "err", err)
		return savedRefs{}, false
	}
	var doc savedRefs
	if !ok || json.Unmarshal(b, &doc) != nil || doc.Ref.ServiceURL == "" {
		return savedRefs{}, false
	}
	return doc, true
}

// convKey is the StateStore key of a channel's or group chat's reference
// (user ids never start with it).
func convKey(conversationID string) string { return "conv:" + conversationID }

// learn remembers a conversation reference and the users it names, and
// saves it for its user, for each user mentioned in it, and for the
// conversation itself when it is not a 1:1 chat: messages queued for a
// channel's threads before a restart reach its service URL after it.
func (a *Adapter) learn(r schema.ConversationReference, mentioned ...account) {
	a.refs.remember(r, mentioned...)
	a.saved.learn(r.User.ID, r)
	if r.Conversation.ConversationType != convPersonal && r.Conversation.ID != "" {
		a.saved.learn(convKey(r.Conversation.ID), r)
	}
	for _, m := range mentioned {
		mr := r
		mr.User = schema.ChannelAccount{ID: m.ID, Name: m.Name, AadObjectID: m.AADObjectID}
		a.saved.learn(m.ID, mr)
	}
}

// savedFor returns what was saved of userID in tenant ("" for any) before
// the adapter started.
func (a *Adapter) savedFor(userID, tenant string) (savedRefs, bool) {
	doc, ok := a.saved.lookup(userID)
	if !ok || (tenant != "" && doc.Ref.Conversation.TenantID != "" && doc.Ref.Conversation.TenantID != tenant) {
		return savedRefs{}, false
	}
	return doc, true
}
