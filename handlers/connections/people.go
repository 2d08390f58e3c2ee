package connections

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// This file is the feature's only reader of records other features own
// (users, departments, mentor profiles, topics), so that a change in
// how the store names them touches one place.

// people reads the people of the bot once per transaction.
type people struct {
	tx    *store.Tx
	users map[uint64]store.User
	depts map[string]string // folded free text -> canonical name
}

// newPeople returns a reader of tx's people.
func newPeople(tx *store.Tx) *people {
	return &people{tx: tx, users: map[uint64]store.User{}, depts: map[string]string{}}
}

// all returns every user, remembering each.
func (p *people) all() ([]store.User, error) {
	us, err := p.tx.Users().All()
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	for _, u := range us {
		p.users[u.ID] = u
	}
	return us, nil
}

// user returns the user with id.
func (p *people) user(id uint64) (store.User, error) {
	if u, ok := p.users[id]; ok {
		return u, nil
	}
	u, err := p.tx.Users().ByID(id)
	if err != nil {
		return store.User{}, err
	}
	p.users[id] = u
	return u, nil
}

// dept is the canonical name of a free-text department (the department
// list's name, or the text itself, cleaned), "" when none is given.
func (p *people) dept(free string) string {
	f := text.Fold(free)
	if f == "" {
		return ""
	}
	if d, ok := p.depts[f]; ok {
		return d
	}
	d := handlers.Clean(free)
	if rec, err := p.tx.Departments().ByName(free); err == nil {
		d = rec.Name
	}
	p.depts[f] = d
	return d
}

// mentor returns the user's mentor profile, if they have one.
func (p *people) mentor(id uint64) (store.Mentor, bool) {
	m, err := p.tx.Mentors().ByUser(id)
	return m, err == nil
}

// mentors returns every mentor profile.
func (p *people) mentors() ([]store.Mentor, error) { return p.tx.Mentors().All() }

// topicNames are the names of the topic ids.
func (p *people) topicNames(ids []uint64) []string {
	var out []string
	for _, id := range ids {
		if t, err := p.tx.Topics().ByID(id); err == nil {
			out = append(out, t.Name)
		}
	}
	return out
}

// admins returns the admins.
func (p *people) admins() ([]store.User, error) { return p.tx.Users().WithRole(store.RoleAdmin) }

// resolvePerson finds the person arg names on the message's platform: a
// mention token ("<@ID>", created if the bot has not met them), a
// platform id, or a display name with or without "@".
func (a *Feature) resolvePerson(ctx context.Context, m *bot.Message, arg string) (store.User, error) {
	k := store.UserKey{Platform: m.Address.Platform, Workspace: m.Address.Workspace}
	notFound := bot.Errorf(bot.CodeNotFound, "conn.error.no_such_person", "Name", handlers.Clean(arg))
	arg = strings.TrimSpace(arg)
	if inner, ok := strings.CutPrefix(arg, "<@"); ok {
		id, _, _ := strings.Cut(strings.TrimSuffix(inner, ">"), "|")
		if id == "" {
			return store.User{}, notFound
		}
		k.PlatformID = id
		u, err := handlers.Read(a.Kit, func(tx *store.Tx) (store.User, error) { return tx.Users().ByKey(k) })
		if errors.Is(err, store.ErrNotFound) {
			return a.UserByPlatformID(ctx, m.Address, id)
		}
		return u, err
	}
	name := strings.TrimPrefix(strings.TrimPrefix(arg, "@"), "＠")
	if name == "" {
		return store.User{}, notFound
	}
	k.PlatformID = name
	var found []store.User
	err := a.View(func(tx *store.Tx) error {
		if u, err := tx.Users().ByKey(k); err == nil {
			found = []store.User{u}
			return nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		all, err := tx.Users().ByName(name)
		for _, u := range all {
			if u.Platform == k.Platform && u.Workspace == k.Workspace && !u.Deleted {
				found = append(found, u)
			}
		}
		return err
	})
	switch {
	case err != nil:
		return store.User{}, fmt.Errorf("resolve person: %w", err)
	case len(found) == 1:
		return found[0], nil
	case len(found) > 1:
		return store.User{}, bot.Errorf(bot.CodeInvalid, "conn.error.ambiguous_person", "Name", handlers.Clean(name))
	}
	return store.User{}, notFound
}
