package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// ParseID reads a consultation or record id: "12", "#12" or "＃１２".
func ParseID(s string) (uint64, bool) {
	s = strings.TrimSpace(text.Normalize(s))
	s = strings.TrimPrefix(s, "#")
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id > 0
}

// CheckText refuses empty and over-long user text.
func (k *Kit) CheckText(s string) error {
	if strings.TrimSpace(s) == "" {
		return bot.Errorf(bot.CodeInvalid, "error.empty_text")
	}
	if n := Runes(s); n > k.Config.MaxText {
		return bot.Errorf(bot.CodeInvalid, "error.too_long", "Max", k.Config.MaxText, "Len", n)
	}
	return nil
}

// Clean makes user text safe to relay: mass mentions neutralised, control
// characters dropped, surrounding space trimmed.
func Clean(s string) string { return strings.TrimSpace(bot.Neutralize(s)) }

// UserByPlatformID finds or creates the store user for a platform id seen
// in a mention, looking up their profile where the adapter can.
func (k *Kit) UserByPlatformID(ctx context.Context, at bot.Address, id string) (store.User, error) {
	key := store.UserKey{Platform: at.Platform, Workspace: at.Workspace, PlatformID: id}
	if u, err := Read(k, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(key) }); err == nil {
		return u, nil
	}
	name, locale := id, ""
	if lk, ok := bot.SenderFor(k.Send, at.Platform).(bot.UserLookup); ok {
		if pu, err := lk.LookupUser(ctx, id); err == nil {
			name, locale = pu.Name, LangOf(pu.Locale, "")
		}
	}
	var u store.User
	err := k.Store.Update(func(tx *store.Tx) (err error) {
		u, _, err = tx.Users().Ensure(key, name, locale)
		return err
	})
	if err != nil {
		return u, fmt.Errorf("user for mention: %w", err)
	}
	return u, nil
}

// Linker returns the link capability of the platform's sender, if any.
func (k *Kit) Linker(platform string) (bot.Linker, bool) {
	l, ok := bot.SenderFor(k.Send, platform).(bot.Linker)
	return l, ok
}

// UsageError is the refusal of a command used the wrong way, showing its
// usage line from the catalog.
func (k *Kit) UsageError(u store.User, usageKey string) *bot.Error {
	return bot.Errorf(bot.CodeUsage, "admin.error.usage", "Usage", k.T(u, usageKey))
}

// DescribeAudit registers the catalog key that names an audit action in
// the audit log; a feature calls it from Register for the actions it
// writes.
func (k *Kit) DescribeAudit(action, key string) { k.auditKeys[action] = key }

// AuditLabel is how the audit log names action to u.
func (k *Kit) AuditLabel(u store.User, action string) string {
	if key, ok := k.auditKeys[action]; ok {
		return k.T(u, key)
	}
	return action
}

// Audit appends an admin action to the audit log.
func (k *Kit) Audit(actor store.User, action, detail string) error {
	return k.Store.Update(func(tx *store.Tx) error { return AuditTx(tx, actor, action, detail) })
}

// AuditTx appends an admin action to the audit log in tx, with the change
// it records.
func AuditTx(tx *store.Tx, actor store.User, action, detail string) error {
	if _, err := tx.AppendAudit(store.AuditEntry{UserID: actor.ID, Action: action, Detail: detail}); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// ParseChannel reads a channel argument: Slack's "<#C123|name>" or a
// "#name" (full-width ＃ too).
func ParseChannel(s string) (store.ChannelRef, bool) {
	s = strings.TrimSpace(s)
	if inner, ok := strings.CutPrefix(s, "<#"); ok {
		inner, ok = strings.CutSuffix(inner, ">")
		id, name, _ := strings.Cut(inner, "|")
		if !ok || id == "" || strings.ContainsAny(id, " <>#") {
			return store.ChannelRef{}, false
		}
		if name != "" {
			name = "#" + name
		}
		return store.ChannelRef{Channel: id, Name: name}, true
	}
	if rest, ok := strings.CutPrefix(s, "＃"); ok {
		s = "#" + rest
	}
	if len(s) < 2 || s[0] != '#' || strings.ContainsAny(s[1:], "#<>") {
		return store.ChannelRef{}, false
	}
	return store.ChannelRef{Channel: s, Name: s}, true
}

// ChannelLabel is how a channel is shown to users.
func ChannelLabel(ch store.ChannelRef) string {
	if ch.Name != "" {
		return Clean(ch.Name)
	}
	return Clean(ch.Channel)
}

// OneLine joins s's lines and runs of space into one line.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// AppendUnique appends id to ids unless it is there already.
func AppendUnique(ids []uint64, id uint64) []uint64 {
	if slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}

// ListText joins names for u with the catalog's list separator, cleaned,
// or says noneKey's text when there are none.
func (k *Kit) ListText(u store.User, names []string, noneKey string) string {
	if len(names) == 0 {
		return k.T(u, noneKey)
	}
	return Clean(strings.Join(names, k.T(u, "people.list_sep")))
}
