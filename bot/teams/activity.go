package teams

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Activity types and invoke names the adapter handles.
const (
	typeMessage            = "message"
	typeInvoke             = "invoke"
	typeConversationUpdate = "conversationUpdate"
	invokeCardAction       = "adaptiveCard/action"
)

// Teams conversation types.
const (
	convPersonal = "personal"
	convGroup    = "groupChat"
	convChannel  = "channel"
)

// activity is the part of a Bot Framework activity the adapter reads. It
// is decoded from the raw JSON, not through msbotbuilder-go's
// schema.Activity, which drops the fields of mention entities and refuses
// a `value` that is not an object.
type activity struct {
	Type          string          `json:"type"`
	ID            string          `json:"id"`
	Timestamp     string          `json:"timestamp"`
	LocalTimezone string          `json:"localTimezone"`
	ServiceURL    string          `json:"serviceUrl"`
	ChannelID     string          `json:"channelId"`
	From          account         `json:"from"`
	Recipient     account         `json:"recipient"`
	Conversation  conversation    `json:"conversation"`
	Text          string          `json:"text"`
	Locale        string          `json:"locale"`
	RawEntities   json.RawMessage `json:"entities"`
	Value         json.RawMessage `json:"value"`
	Name          string          `json:"name"`
	ReplyToID     string          `json:"replyToId"`
	RawChannel    json.RawMessage `json:"channelData"`
	MembersAdded  []account       `json:"membersAdded"`

	// Decoded leniently by decodeActivity: a malformed entity or channel
	// data is skipped, never an error.
	entities    []entity
	channelData channelData
}

// account is a user or bot.
type account struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	AADObjectID string `json:"aadObjectId"`
}

// conversation is the conversation an activity belongs to.
type conversation struct {
	ID               string `json:"id"`
	ConversationType string `json:"conversationType"`
	TenantID         string `json:"tenantId"`
	IsGroup          bool   `json:"isGroup"`
}

// entity is a mention or the client's info (locale, time zone).
type entity struct {
	Type      string   `json:"type"`
	Text      string   `json:"text"`
	Mentioned *account `json:"mentioned"`
	Locale    string   `json:"locale"`
	Timezone  string   `json:"timezone"`
}

// channelData is the Teams part of channelData.
type channelData struct {
	Tenant  struct{ ID string } `json:"tenant"`
	Team    struct{ ID string } `json:"team"`
	Channel struct{ ID string } `json:"channel"`
}

// maxActivity bounds the size of an incoming activity.
const maxActivity = 1 << 20

// decodeActivity decodes a raw activity. It fails only when the JSON is
// not an object of the expected shape; unknown entity kinds and malformed
// entities or channel data are skipped.
func decodeActivity(b []byte) (*activity, error) {
	var act activity
	if err := json.Unmarshal(b, &act); err != nil {
		return nil, fmt.Errorf("decode activity: %w", err)
	}
	var raws []json.RawMessage
	if json.Unmarshal(act.RawEntities, &raws) == nil {
		for _, r := range raws {
			var e entity
			if json.Unmarshal(r, &e) == nil {
				act.entities = append(act.entities, e)
			}
		}
	}
	_ = json.Unmarshal(act.RawChannel, &act.channelData) // optional
	return &act, nil
}

// tenant is the Microsoft Entra tenant of the activity.
func (act *activity) tenant() string {
	if act.Conversation.TenantID != "" {
		return act.Conversation.TenantID
	}
	return act.channelData.Tenant.ID
}

// convType is the conversation's type: personal, groupChat or channel.
func (act *activity) convType() string {
	switch t := act.Conversation.ConversationType; t {
	case convPersonal, convGroup, convChannel:
		return t
	}
	return inferConvType(act.Conversation.ID, act.Conversation.IsGroup || act.channelData.Channel.ID != "")
}

// inferConvType guesses a conversation's type from its id, for activities
// and addresses that do not say: group chats are "19:…@thread.v2",
// channels other "19:…@thread.…" ids, and anything else is personal.
func inferConvType(id string, group bool) string {
	base, _ := splitConvID(id)
	switch {
	case strings.HasSuffix(base, "@thread.v2"):
		return convGroup
	case strings.HasPrefix(base, "19:") && strings.Contains(base, "@thread."):
		return convChannel
	case group:
		return convGroup
	}
	return convPersonal
}

// splitConvID splits a channel conversation id into the channel and the
// id of the thread's root: "19:x@thread.tacv2;messageid=17" → "19:x@thread.tacv2", "17".
func splitConvID(id string) (base, root string) {
	base, root, _ = strings.Cut(id, ";messageid=")
	return base, root
}

// time returns when the activity was sent, or now when it does not say.
func (act *activity) time(now func() time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, act.Timestamp); err == nil {
		return t
	}
	return now()
}

// clientInfo returns the client's locale and time zone, from the
// clientInfo entity where the activity has none of its own.
func (act *activity) clientInfo() (locale, tz string) {
	locale, tz = act.Locale, act.LocalTimezone
	for _, e := range act.entities {
		if e.Type != "clientInfo" {
			continue
		}
		if locale == "" {
			locale = e.Locale
		}
		if tz == "" {
			tz = e.Timezone
		}
	}
	return locale, tz
}

// hasValue reports whether the activity carries a card's value.
func (act *activity) hasValue() bool {
	v := strings.TrimSpace(string(act.Value))
	return v != "" && v != "null"
}
