package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// DeletedUserName is the name a forgotten user's record keeps, shown
// wherever the person used to be named.
const DeletedUserName = "削除されたユーザー"

// DeletedPlatform is the platform of a forgotten user's record: no
// platform event ever names it, so a person who comes back is a new user,
// and nothing is ever sent to it.
const DeletedPlatform = "deleted"

// ForgetReport is what ForgetUser changed.
type ForgetReport struct {
	UserID        uint64 `json:"user_id"`
	Mentor        bool   `json:"mentor"`         // a mentor profile was removed
	Consultations int    `json:"consultations"`  // consultations they asked, were routed to, took or were brought into
	Threads       int    `json:"threads"`        // their DM threads dropped from consultations
	Tips          int    `json:"tips"`           // tips whose author was dropped
	Audit         int    `json:"audit"`          // audit entries whose detail named them
	AdapterState  bool   `json:"adapter_state"`  // an adapter's state of them (a Teams reference) was removed
	Outbox        int    `json:"outbox"`         // messages to them not sent yet, cancelled
	OutboxKept    int    `json:"outbox_kept"`    // messages to them already sent or failed, their text and address removed
	AlreadyForgot bool   `json:"already_forgot"` // the user was forgotten before; nothing changed
}

// ForgetUser removes the personal data of the user with id and keeps what
// other records need: the user record stays as a tombstone (the id, named
// DeletedUserName, no platform identity, no profile, no roles), so their
// questions, answers and tips keep their text and read as a deleted
// user's. It removes the mentor profile (and its topic index entries),
// their DM threads from every consultation (those a mention brought them
// into too), the author of their tips, an
// adapter's state of them, and their name and platform id from the audit
// log's details. Mentor load counts stay right: a consultation they were
// routed to still counts towards the tombstone id until it finishes. A
// second call changes nothing and reports AlreadyForgot.
func (tx *Tx) ForgetUser(id uint64) (ForgetReport, error) {
	r, err := tx.forgetUser(id)
	if err != nil {
		return ForgetReport{}, fmt.Errorf("forget user %d: %w", id, err)
	}
	return r, nil
}

// forgetUser is ForgetUser without its error wrapping.
func (tx *Tx) forgetUser(id uint64) (ForgetReport, error) {
	r := ForgetReport{UserID: id}
	if err := tx.writable(); err != nil {
		return r, err
	}
	u, err := getByID[User](tx, bktUsers, id)
	if err != nil {
		return r, err
	}
	if u.Deleted {
		r.AlreadyForgot = true
		return r, nil
	}
	if r.Mentor, err = tx.forgetMentor(id); err != nil {
		return r, err
	}
	var threads []Thread
	if r.Consultations, threads, err = tx.forgetThreads(id); err != nil {
		return r, err
	}
	r.Threads = len(threads)
	if r.Outbox, r.OutboxKept, err = tx.forgetOutbox(u, threads); err != nil {
		return r, err
	}
	if r.Tips, err = tx.forgetAuthor(id); err != nil {
		return r, err
	}
	if r.Audit, err = tx.redactAudit(u); err != nil {
		return r, err
	}
	if k, err := adapterStateKey(u.Platform, u.PlatformID); err == nil {
		b := tx.bucket(bktAdapterState)
		if r.AdapterState = b.Get(k) != nil; r.AdapterState {
			if err := b.Delete(k); err != nil {
				return r, err
			}
		}
	}
	tomb := User{
		ID: id, Platform: DeletedPlatform, PlatformID: strconv.FormatUint(id, 10),
		Name: DeletedUserName, Deleted: true, CreatedAt: u.CreatedAt,
	}
	return r, tx.Users().put(u, &tomb)
}

// forgetMentor removes the mentor profile of id, if any.
func (tx *Tx) forgetMentor(id uint64) (bool, error) {
	m, err := getByID[Mentor](tx, bktMentors, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := reindex(tx, id, mentorEntries(m), nil); err != nil {
		return false, err
	}
	return true, tx.bucket(bktMentors).Delete(itob(id))
}

// forgetThreads drops id's DM threads from every consultation that holds
// one: those id asked, was routed to or took, and those a mention brought
// them into (no index names these, so every consultation is read: forget
// is rare). It returns how many consultations involved id and the threads
// it dropped. The consultations keep their text.
func (tx *Tx) forgetThreads(id uint64) (int, []Thread, error) {
	var involved int
	var changed []Consultation
	err := tx.bucket(bktConsults).ForEach(func(_, v []byte) error {
		var c Consultation
		if err := json.Unmarshal(v, &c); err != nil {
			return err
		}
		owns := slices.ContainsFunc(c.Threads, func(t Thread) bool { return t.UserID == id })
		if c.AskerID == id || c.TakenBy == id || slices.Contains(c.Routed, id) || slices.Contains(c.Participants, id) || owns {
			involved++
		}
		if owns {
			changed = append(changed, c)
		}
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("consultations: %w", err)
	}
	var dropped []Thread
	for _, c := range changed {
		old := trailOf(c)
		for _, t := range c.Threads {
			if t.UserID == id {
				dropped = append(dropped, t)
			}
		}
		c.Threads = slices.DeleteFunc(slices.Clone(c.Threads), func(t Thread) bool { return t.UserID == id })
		if err := tx.Consultations().put(old, c); err != nil {
			return 0, nil, fmt.Errorf("consultation %d: %w", c.ID, err)
		}
	}
	return involved, dropped, nil
}

// forgetOutbox takes u out of the outbox: a message to u (their DM, or a
// DM thread of theirs among threads) that is not sent yet is cancelled,
// and every message to u, cancelled, sent or failed, loses its text and
// its address but for the platform, so neither the outbox nor a backup
// keeps what was said to them or where. A message being sent at this
// moment finishes; its text goes when the outbox is purged. Items are
// purged 30 days after they finish, so the walk is bounded; forget is
// rare. It returns how many it cancelled and how many finished ones it
// stripped.
func (tx *Tx) forgetOutbox(u User, threads []Thread) (cancelled, stripped int, err error) {
	dm := map[string]bool{}
	for _, t := range threads {
		if t.Channel != "" {
			dm[t.Platform+sep+t.Workspace+sep+t.Channel] = true
		}
	}
	var mine []uint64
	err = tx.bucket(bktOutboxItems).ForEach(func(_, v []byte) error {
		var it OutboxItem
		if err := json.Unmarshal(v, &it); err != nil {
			return err
		}
		if it.Status == OutboxSending || it.Platform != u.Platform {
			return nil
		}
		if it.User == u.PlatformID && u.PlatformID != "" || dm[it.Platform+sep+it.Workspace+sep+it.Channel] {
			mine = append(mine, it.ID)
		}
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("outbox: %w", err)
	}
	for _, iid := range mine {
		_, err := tx.Outbox().transition(iid, func(it *OutboxItem) error {
			if it.Status == OutboxPending {
				it.Status = OutboxCancelled
				it.LastError = "recipient forgotten"
				cancelled++
			} else {
				stripped++
			}
			it.Workspace, it.Channel, it.Thread, it.User, it.Ref = "", "", "", "", nil
			it.Payload, it.Result = nil, nil
			return nil
		})
		if err != nil {
			return 0, 0, fmt.Errorf("outbox item %d: %w", iid, err)
		}
	}
	return cancelled, stripped, nil
}

// forgetAuthor drops id as the author of tips, keeping the tips.
func (tx *Tx) forgetAuthor(id uint64) (int, error) {
	b := tx.bucket(bktTips)
	var mine []Tip
	err := b.ForEach(func(_, v []byte) error {
		var t Tip
		if err := json.Unmarshal(v, &t); err != nil {
			return err
		}
		if t.Author == id {
			mine = append(mine, t)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("tips: %w", err)
	}
	for _, t := range mine {
		t.Author = 0
		if err := putJSON(b, itob(t.ID), t); err != nil {
			return 0, fmt.Errorf("tip %d: %w", t.ID, err)
		}
	}
	return len(mine), nil
}

// redactAudit replaces u's name and platform id in the details of audit
// entries with DeletedUserName; the entries themselves stay. A name of
// one character is left alone: replacing it would mangle other text.
func (tx *Tx) redactAudit(u User) (int, error) {
	var olds []string
	for _, s := range []string{u.PlatformID, strings.TrimSpace(u.Name)} {
		if len([]rune(s)) > 1 && s != DeletedUserName {
			olds = append(olds, s, DeletedUserName)
		}
	}
	if len(olds) == 0 {
		return 0, nil
	}
	rep := strings.NewReplacer(olds...)
	b := tx.bucket(bktAudit)
	var changed []AuditEntry
	err := b.ForEach(func(_, v []byte) error {
		var e AuditEntry
		if err := json.Unmarshal(v, &e); err != nil {
			return err
		}
		if d := rep.Replace(e.Detail); d != e.Detail {
			e.Detail = d
			changed = append(changed, e)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	for _, e := range changed {
		if err := putJSON(b, itob(e.ID), e); err != nil {
			return 0, fmt.Errorf("audit %d: %w", e.ID, err)
		}
	}
	return len(changed), nil
}
