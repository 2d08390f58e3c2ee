package store

import (
	"slices"
	"time"

	"github.com/soudan/soudan/store/text"
)

// Roles a user can hold. Mentorship is a profile, not a role.
const (
	RoleAdmin   = "admin"
	RoleManager = "manager" // department manager: receives survey reports
	RoleHR      = "hr"      // HR care staff
)

// Postings of a mentor or member.
const (
	PostingHQ       = "hq"
	PostingOverseas = "overseas"
	PostingOther    = "other"
)

// UserKey identifies a user on one platform.
type UserKey struct {
	Platform   string
	Workspace  string
	PlatformID string
}

// User is a person the bot knows, on one platform.
type User struct {
	ID         uint64 `json:"id"`
	Platform   string `json:"platform"`
	Workspace  string `json:"workspace,omitempty"`
	PlatformID string `json:"platform_id"`
	Name       string `json:"name"`
	Locale     string `json:"locale,omitempty"` // "ja" or "en"
	TZ         string `json:"tz,omitempty"`

	Department string   `json:"department,omitempty"`
	JoinYear   int      `json:"join_year,omitempty"`
	JobType    string   `json:"job_type,omitempty"`
	Posting    string   `json:"posting,omitempty"`
	Roles      []string `json:"roles,omitempty"`
	// ManagerOf are the departments a manager (RoleManager) manages (a
	// 部長 may manage several 課), as an admin or the directory import
	// names them; compare them with text.SameName (User.Manages).
	ManagerOf DepartmentNames `json:"manager_of,omitempty"`

	// DM is where to reach the user directly: a DM channel id, and for
	// Teams the serialized conversation reference.
	DMChannel string `json:"dm_channel,omitempty"`
	DMRef     []byte `json:"dm_ref,omitempty"`

	// Deleted marks what is left of a user an admin forgot (ForgetUser):
	// the id, so that records pointing at it still read, and no personal
	// data.
	Deleted bool `json:"deleted,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Key returns the user's platform key.
func (u User) Key() UserKey {
	return UserKey{Platform: u.Platform, Workspace: u.Workspace, PlatformID: u.PlatformID}
}

// Manages reports whether the user is a manager of department
// (text.SameName).
func (u User) Manages(department string) bool {
	return u.HasRole(RoleManager) && slices.ContainsFunc(u.ManagerOf, func(d string) bool { return text.SameName(d, department) })
}

// HasRole reports whether the user holds role.
func (u User) HasRole(role string) bool {
	for _, r := range u.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// ChannelRef names a channel on a platform.
type ChannelRef struct {
	Platform  string `json:"platform"`
	Workspace string `json:"workspace,omitempty"`
	Channel   string `json:"channel"`
	Name      string `json:"name,omitempty"` // display name, e.g. "#career"
}

// Topic is a subject mentors volunteer for and questions are routed by.
type Topic struct {
	ID       uint64       `json:"id"`
	Name     string       `json:"name"`
	Aliases  []string     `json:"aliases,omitempty"`
	Channels []ChannelRef `json:"channels,omitempty"` // consultation channels mapped to the topic
	Default  bool         `json:"default,omitempty"`  // where questions go when no topic matches
	Demo     bool         `json:"demo,omitempty"`     // seeded by --demo
	// Knobs for reminders and escalation; zero means the global default.
	// Hours are working hours (the business calendar), days are calendar
	// days without activity.
	RemindAfterHours   int `json:"remind_after_hours,omitempty"`
	EscalateAfterHours int `json:"escalate_after_hours,omitempty"`
	ResolveAfterDays   int `json:"resolve_after_days,omitempty"` // answered: ask the asker to resolve
	CloseAfterDays     int `json:"close_after_days,omitempty"`   // answered: close it

	CreatedAt time.Time `json:"created_at"`
}

// Names are the topic's name and aliases.
func (t Topic) Names() []string { return append([]string{t.Name}, t.Aliases...) }

// Mentor is a user's volunteer-mentor profile.
type Mentor struct {
	UserID       uint64    `json:"user_id"`
	JoinYear     int       `json:"join_year,omitempty"`
	JobType      string    `json:"job_type,omitempty"`
	Career       string    `json:"career,omitempty"`
	Posting      string    `json:"posting,omitempty"`       // PostingHQ, PostingOverseas, PostingOther
	PostingPlace string    `json:"posting_place,omitempty"` // e.g. "在米国大使館"
	Topics       []uint64  `json:"topics,omitempty"`        // topic ids
	Message      string    `json:"message,omitempty"`       // one line: "ask me about ..."
	Availability string    `json:"availability,omitempty"`  // free text: "平日夜", "weekends"
	Paused       bool      `json:"paused,omitempty"`
	LeaveFrom    time.Time `json:"leave_from,omitempty"`
	LeaveUntil   time.Time `json:"leave_until,omitempty"`
	Demo         bool      `json:"demo,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Available reports whether the mentor takes consultations at t.
func (m Mentor) Available(t time.Time) bool {
	if m.Paused {
		return false
	}
	if !m.LeaveFrom.IsZero() && !t.Before(m.LeaveFrom) && (m.LeaveUntil.IsZero() || t.Before(m.LeaveUntil)) {
		return false
	}
	return true
}

// State is a consultation's state.
type State string

// Consultation states: open -> answered -> resolved, or closed; resolved and
// closed consultations can be reopened by their asker.
const (
	StateOpen     State = "open"
	StateAnswered State = "answered"
	StateResolved State = "resolved"
	StateClosed   State = "closed"
)

// Active reports whether the consultation still waits for something.
func (s State) Active() bool { return s == StateOpen || s == StateAnswered }

// MessageKind is the kind of a consultation's message.
type MessageKind string

// Consultation message kinds.
const (
	MsgQuestion MessageKind = "question" // the asker's first message
	MsgFollowUp MessageKind = "followup" // the asker adds to the question
	MsgAnswer   MessageKind = "answer"   // someone else answers
	MsgComment  MessageKind = "comment"  // resolution comments, notes
)

// ConsultMessage is one message of a consultation.
type ConsultMessage struct {
	ID       int         `json:"id"` // position, from 1
	Kind     MessageKind `json:"kind"`
	AuthorID uint64      `json:"author_id"`
	Text     string      `json:"text"`
	EventID  string      `json:"event_id,omitempty"` // platform event that added it
	At       time.Time   `json:"at"`
}

// StateChange records one transition.
type StateChange struct {
	From State     `json:"from,omitempty"`
	To   State     `json:"to"`
	By   uint64    `json:"by,omitempty"` // user id; 0 for the system
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// Thread is a place where a consultation is discussed: the public thread
// (a channel post and its replies) or a DM card's thread. Replies posted in
// any of them belong to the consultation.
type Thread struct {
	Platform  string `json:"platform"`
	Workspace string `json:"workspace,omitempty"`
	Channel   string `json:"channel"`
	Thread    string `json:"thread"`
	UserID    uint64 `json:"user_id,omitempty"` // whose DM this is; 0 for a channel
}

// Consultation is one question and everything that happened to it.
type Consultation struct {
	ID        uint64 `json:"id"`
	TopicID   uint64 `json:"topic_id"`
	AskerID   uint64 `json:"asker_id"`
	Anonymous bool   `json:"anonymous,omitempty"`
	// FromChannel marks an anonymous question typed in a channel (a slash
	// command or a form there): it is never posted in any channel, so not
	// in the one it came from, which is not kept.
	FromChannel bool  `json:"from_channel,omitempty"`
	State       State `json:"state"`
	// EventID is the platform event that created the consultation; the
	// store creates at most one consultation per event id.
	EventID string `json:"event_id,omitempty"`

	// Public is the channel thread where the question was posted, if any.
	Public *Thread `json:"public,omitempty"`
	// Threads are every thread that belongs to the consultation: the
	// public one, the asker's DM confirmation, each mentor's DM card.
	Threads []Thread `json:"threads,omitempty"`

	Routed       []uint64 `json:"routed,omitempty"`       // mentors asked
	TakenBy      uint64   `json:"taken_by,omitempty"`     // mentor who took it
	Participants []uint64 `json:"participants,omitempty"` // people brought in by mention

	Messages []ConsultMessage `json:"messages"`
	History  []StateChange    `json:"history"`

	Rating  *int   `json:"rating,omitempty"` // 0-10, set at resolution
	Comment string `json:"comment,omitempty"`

	// Reminders are the reminder stages done, so each is done once per
	// stay in a state (a reopened consultation starts again).
	Reminders []ReminderMark `json:"reminders,omitempty"`

	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	AnsweredAt time.Time `json:"answered_at,omitempty"`
	ClosedAt   time.Time `json:"closed_at,omitempty"` // resolved or closed
}

// Question returns the consultation's first message text.
func (c Consultation) Question() string {
	if len(c.Messages) == 0 {
		return ""
	}
	return c.Messages[0].Text
}

// ReminderMark records a reminder stage done for a consultation:
// "remind", "escalate", "ask_resolve".
type ReminderMark struct {
	Stage string    `json:"stage"`
	At    time.Time `json:"at"`
}

// AuditEntry records an admin action.
type AuditEntry struct {
	ID     uint64    `json:"id"`
	At     time.Time `json:"at"`
	UserID uint64    `json:"user_id"`
	Action string    `json:"action"` // "grant", "revoke", "topic.add", "topic.map", ...
	Detail string    `json:"detail"`
}
