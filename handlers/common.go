package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
)

// dmAddress is where to reach u directly.
func dmAddress(u store.User) bot.Address {
	return bot.Address{Platform: u.Platform, Workspace: u.Workspace, User: u.PlatformID, Ref: u.DMRef}
}

// sendDM enqueues r for u's direct conversation with the bot; onSent
// ("" for none) names what to record once it is delivered.
func (a *App) sendDM(ctx context.Context, u store.User, r bot.Reply, onSent string) error {
	if err := a.deliver(ctx, dmAddress(u), r, onSent); err != nil {
		return fmt.Errorf("send DM to user %d: %w", u.ID, err)
	}
	return nil
}

// notifyAdmins tells every admin something, each in their language. With
// a non-empty dkey each admin's message gets the delivery key dkey:<admin>.
func (a *App) notifyAdmins(ctx context.Context, dkey, key string, kv ...any) {
	admins, err := a.st.UsersWithRole(store.RoleAdmin)
	if err != nil {
		a.log.Error("list admins", "err", err)
		return
	}
	for _, ad := range admins {
		r := bot.Reply{Text: a.T(ad, key, kv...)}
		if dkey != "" {
			r.Key = dkey + ":" + strconv.FormatUint(ad.ID, 10)
		}
		if err := a.sendDM(ctx, ad, r, ""); err != nil {
			a.log.Warn("notify admin", "user_id", ad.ID, "err", err)
		}
	}
}

// parseID reads a consultation or record id: "12", "#12" or "＃１２".
func parseID(s string) (uint64, bool) {
	s = strings.TrimSpace(store.Normalize(s))
	s = strings.TrimPrefix(s, "#")
	id, err := strconv.ParseUint(s, 10, 64)
	return id, err == nil && id > 0
}

// checkText refuses empty and over-long user text.
func (a *App) checkText(s string) error {
	if strings.TrimSpace(s) == "" {
		return bot.Errorf("empty", "error.empty_text")
	}
	if n := runes(s); n > a.cfg.MaxText {
		return bot.Errorf("too_long", "error.too_long", "Max", a.cfg.MaxText, "Len", n)
	}
	return nil
}

// clean makes user text safe to relay: mass mentions neutralised, control
// characters dropped, surrounding space trimmed.
func clean(s string) string { return strings.TrimSpace(bot.Neutralize(s)) }

// userByPlatformID finds or creates the store user for a platform id seen
// in a mention, looking up their profile where the adapter can.
func (a *App) userByPlatformID(ctx context.Context, at bot.Address, id string) (store.User, error) {
	k := store.UserKey{Platform: at.Platform, Workspace: at.Workspace, PlatformID: id}
	if u, err := a.st.UserByKey(k); err == nil {
		return u, nil
	}
	name, locale := id, ""
	if lk, ok := bot.SenderFor(a.send, at.Platform).(bot.UserLookup); ok {
		if pu, err := lk.LookupUser(ctx, id); err == nil {
			name, locale = pu.Name, langOf(pu.Locale, "")
		}
	}
	u, _, err := a.st.EnsureUser(k, name, locale)
	if err != nil {
		return u, fmt.Errorf("user for mention: %w", err)
	}
	return u, nil
}

// linker returns the link capability of the platform's sender, if any.
func (a *App) linker(platform string) (bot.Linker, bool) {
	l, ok := bot.SenderFor(a.send, platform).(bot.Linker)
	return l, ok
}
