package slack

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/soudan/soudan/bot"
)

// userTTL is how long a users.info answer is reused.
const userTTL = time.Hour

// maxCachedUsers bounds the cache; past it, expired entries are dropped
// and then the whole cache is cleared.
const maxCachedUsers = 10000

// userCache keeps users.info answers.
type userCache struct {
	now func() time.Time

	mu    sync.Mutex
	users map[string]cachedUser
}

type cachedUser struct {
	user    bot.User
	fetched time.Time
}

func newUserCache(now func() time.Time) *userCache {
	return &userCache{now: now, users: map[string]cachedUser{}}
}

func (c *userCache) get(id string) (bot.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.users[id]
	if !ok || c.now().Sub(u.fetched) > userTTL {
		return bot.User{}, false
	}
	return u.user, true
}

func (c *userCache) put(u bot.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.users) >= maxCachedUsers {
		for k, v := range c.users {
			if now.Sub(v.fetched) > userTTL {
				delete(c.users, k)
			}
		}
		if len(c.users) >= maxCachedUsers {
			clear(c.users)
		}
	}
	c.users[u.ID] = cachedUser{user: u, fetched: now}
}

// LookupUser returns the user's name, language ("ja", "en", or Slack's
// locale tag for others) and time zone from users.info, cached for an
// hour.
func (a *Adapter) LookupUser(ctx context.Context, id string) (bot.User, error) {
	if id == "" {
		return bot.User{}, errors.New("slack: look up an empty user id")
	}
	if u, ok := a.users.get(id); ok {
		return u, nil
	}
	var u bot.User
	err := a.call(ctx, "users.info", func(ctx context.Context) error {
		su, err := a.api.GetUserInfoContext(ctx, id)
		if err != nil {
			return err
		}
		u = bot.User{ID: su.ID, Name: displayName(su.Profile.DisplayName, su.RealName, su.Name), Locale: language(su.Locale), TZ: su.TZ}
		return nil
	})
	if err != nil {
		return bot.User{}, err
	}
	if u.ID == "" {
		u.ID = id
	}
	a.users.put(u)
	return u, nil
}

// sender returns the user who sent an event, looked up where possible: an
// unreachable users.info leaves the name empty rather than losing the
// event.
func (a *Adapter) sender(ctx context.Context, id, fallbackName string) bot.User {
	u, err := a.LookupUser(ctx, id)
	if err != nil {
		a.log.Warn("slack: look up user", "user", id, "err", err)
		return bot.User{ID: id, Name: fallbackName}
	}
	return u
}

// displayName is the first non-empty name.
func displayName(names ...string) string {
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return ""
}

// language maps Slack's locale ("ja-JP", "en-US") to soudan's languages
// "ja" and "en"; other locales are passed on as they are.
func language(locale string) string {
	l := strings.ToLower(strings.ReplaceAll(locale, "_", "-"))
	for _, lang := range []string{"ja", "en"} {
		if l == lang || strings.HasPrefix(l, lang+"-") {
			return lang
		}
	}
	return locale
}
