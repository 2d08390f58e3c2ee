package teams

import (
	"encoding/json"
	"sync"

	"github.com/infracloudio/msbotbuilder-go/schema"
)

// channelIDTeams is the Bot Framework channel id of Microsoft Teams.
const channelIDTeams = "msteams"

// refOf returns the conversation reference of an incoming activity: the
// conversation (its base id, without a thread), the user, the bot, the
// tenant and the service URL to send to. Handlers keep it as
// Address.Ref; it is the library's ConversationReference, as JSON.
func refOf(act *activity) schema.ConversationReference {
	base, _ := splitConvID(act.Conversation.ID)
	channel := act.ChannelID
	if channel == "" {
		channel = channelIDTeams
	}
	return schema.ConversationReference{
		User: schema.ChannelAccount{ID: act.From.ID, Name: act.From.Name, AadObjectID: act.From.AADObjectID},
		Bot:  schema.ChannelAccount{ID: act.Recipient.ID, Name: act.Recipient.Name},
		Conversation: schema.ConversationAccount{
			ID:               base,
			ConversationType: act.convType(),
			TenantID:         act.tenant(),
			IsGroup:          act.convType() != convPersonal,
		},
		ChannelID:  channel,
		ServiceURL: act.ServiceURL,
	}
}

// encodeRef serialises a reference for Address.Ref.
func encodeRef(r schema.ConversationReference) []byte {
	b, err := json.Marshal(r)
	if err != nil {
		return nil // a struct of strings always marshals
	}
	return b
}

// decodeRef reads Address.Ref; ok is false when it is empty or not a
// reference.
func decodeRef(b []byte) (schema.ConversationReference, bool) {
	var r schema.ConversationReference
	if len(b) == 0 || json.Unmarshal(b, &r) != nil || r.ServiceURL == "" {
		return schema.ConversationReference{}, false
	}
	return r, true
}

// refs remembers what the adapter has seen, for proactive sends: every
// conversation, each user's 1:1 conversation with the bot, the service URL
// of each tenant, and the names of users. It is safe for concurrent use.
type refs struct {
	mu       sync.Mutex
	convs    map[string]schema.ConversationReference // by conversation id
	personal map[string]schema.ConversationReference // 1:1 conversation, by user id
	service  map[string]string                       // service URL by tenant
	bots     map[string]schema.ChannelAccount        // the bot's account, by tenant
	users    map[string]schema.ChannelAccount        // by user id
}

func newRefs() *refs {
	return &refs{
		convs:    map[string]schema.ConversationReference{},
		personal: map[string]schema.ConversationReference{},
		service:  map[string]string{},
		bots:     map[string]schema.ChannelAccount{},
		users:    map[string]schema.ChannelAccount{},
	}
}

// remember records a conversation reference and the users it names.
func (rs *refs) remember(r schema.ConversationReference, mentioned ...account) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	c := r.Conversation
	if c.ID != "" {
		rs.convs[c.ID] = r
	}
	if c.ConversationType == convPersonal && r.User.ID != "" {
		rs.personal[r.User.ID] = r
	}
	if c.TenantID != "" && r.ServiceURL != "" {
		rs.service[c.TenantID] = r.ServiceURL
	}
	if c.TenantID != "" && r.Bot.ID != "" {
		rs.bots[c.TenantID] = r.Bot
	}
	rs.user(r.User)
	for _, m := range mentioned {
		rs.user(schema.ChannelAccount{ID: m.ID, Name: m.Name, AadObjectID: m.AADObjectID})
	}
}

// rememberUser records what the connector said of a user.
func (rs *refs) rememberUser(u schema.ChannelAccount) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.user(u)
}

// user records a user's account, keeping what is known when the new one
// is partial. The caller holds rs.mu.
func (rs *refs) user(u schema.ChannelAccount) {
	if u.ID == "" {
		return
	}
	old := rs.users[u.ID]
	if u.Name == "" {
		u.Name = old.Name
	}
	if u.AadObjectID == "" {
		u.AadObjectID = old.AadObjectID
	}
	rs.users[u.ID] = u
}

// conv returns the reference of a conversation.
func (rs *refs) conv(id string) (schema.ConversationReference, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.convs[id]
	return r, ok
}

// personalOf returns the user's 1:1 conversation with the bot.
func (rs *refs) personalOf(userID string) (schema.ConversationReference, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	r, ok := rs.personal[userID]
	return r, ok
}

// serviceURL returns the service URL last seen for the tenant.
func (rs *refs) serviceURL(tenant string) (string, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	s, ok := rs.service[tenant]
	return s, ok
}

// botIn returns the bot's account as seen in the tenant.
func (rs *refs) botIn(tenant string) (schema.ChannelAccount, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	b, ok := rs.bots[tenant]
	return b, ok
}

// userAccount returns what is known of a user.
func (rs *refs) userAccount(id string) (schema.ChannelAccount, bool) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	u, ok := rs.users[id]
	return u, ok
}
