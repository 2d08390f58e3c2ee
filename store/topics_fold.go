package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/soudan/soudan/store/kv"
	"github.com/soudan/soudan/store/text"
)

// AuditUpgrade is the audit action of what an upgrade of the data file
// changed on its own, such as topics merged because their names came to
// mean the same (foldTopicNames); its entries have no user (UserID 0).
const AuditUpgrade = "store.upgrade"

// foldTopicNames keys the topics' names and aliases by text.Fold, as the
// departments' are (schema version 20): "IT・Teams" and "it teams" now
// name one topic, as they name one department. Names that were distinct
// under text.Normalize may now be one, and a name belongs to one topic, so
// it settles every clash the way an admin would, oldest topic first, and
// writes each change to the audit log:
//
//   - topics whose names fold alike are one topic entered twice: the later
//     ones are merged into the oldest, which takes over their
//     consultations, tips, mentors, channels, purged counts and default
//     mark, and keeps their names as aliases (its own settings win);
//   - an alias that folds like another topic's name, or like an older
//     topic's alias, is dropped from the topic that has it as an alias,
//     since a word that routes to two topics routes to neither well.
func foldTopicNames(ktx kv.Tx) error {
	tx := &Tx{tx: ktx, now: time.Now()}
	topics, err := getAll[Topic](tx, bktTopics)
	if err != nil {
		return fmt.Errorf("fold topic names: %w", err)
	}
	var kept []*Topic
	owner := map[string]*Topic{} // name key -> the topic named so
	into := map[uint64]*Topic{}  // merged topic id -> the topic it joins
	var merged []Topic
	for i := range topics {
		t := &topics[i]
		k := text.Fold(t.Name)
		if o, ok := owner[k]; ok && k != "" {
			into[t.ID] = o
			merged = append(merged, *t)
			o.Aliases = append(o.Aliases, t.Names()...)
			o.Channels = append(o.Channels, t.Channels...)
			o.Default = o.Default || t.Default
			continue
		}
		if k != "" {
			owner[k] = t
		}
		kept = append(kept, t)
	}
	var notes []string
	for _, m := range merged {
		o := into[m.ID]
		moved, err := moveTopic(tx, m.ID, o.ID)
		if err != nil {
			return fmt.Errorf("fold topic names: merge topic %d into %d: %w", m.ID, o.ID, err)
		}
		notes = append(notes, fmt.Sprintf("topic %q (#%d) merged into %q (#%d), whose name now means the same: %s, %d channels and its aliases moved",
			m.Name, m.ID, o.Name, o.ID, moved, len(m.Channels)))
		if err := tx.bucket(bktTopics).Delete(itob(m.ID)); err != nil {
			return err
		}
	}
	aliasOwner := map[string]*Topic{}
	for _, t := range kept {
		var aliases []string
		for _, a := range cleanAliases(t.Name, t.Aliases) {
			k := text.Fold(a)
			other, ok := owner[k]
			if !ok {
				other, ok = aliasOwner[k]
			}
			if ok && other != t {
				notes = append(notes, fmt.Sprintf("alias %q dropped from topic %q (#%d): it names topic %q (#%d)", a, t.Name, t.ID, other.Name, other.ID))
				continue
			}
			aliasOwner[k] = t
			aliases = append(aliases, a)
		}
		t.Aliases = aliases
		t.Channels = uniqueFunc(t.Channels, sameChannel)
	}
	// The name and channel indexes are written again from the topics as
	// they are now: the keys changed, and merged topics' channels moved.
	for _, b := range []string{bktTopicsByName, bktTopicsByChan} {
		if err := ktx.DeleteBucket(b); err != nil {
			return fmt.Errorf("fold topic names: %w", err)
		}
		if _, err := ktx.CreateBucket(b); err != nil {
			return fmt.Errorf("fold topic names: %w", err)
		}
	}
	for _, t := range kept {
		if err := reindex(tx, t.ID, nil, topicEntries(*t)); err != nil {
			return fmt.Errorf("fold topic names: index topic %d: %w", t.ID, err)
		}
		if err := putJSON(tx.bucket(bktTopics), itob(t.ID), t); err != nil {
			return err
		}
	}
	for _, n := range notes {
		if _, err := tx.AppendAudit(AuditEntry{Action: AuditUpgrade, Detail: n}); err != nil {
			return err
		}
	}
	// Moving tips may have touched the tip index's term statistics.
	return tx.flushTermStats()
}

// moveTopic moves what refers to topic from over to topic to: every
// consultation (open or finished, keeping its times, since nothing
// happened to it), tip, mentor profile and purged month. It says what
// it moved.
func moveTopic(tx *Tx, from, to uint64) (string, error) {
	var consults []Consultation
	err := tx.bucket(bktConsults).ForEach(func(_, data []byte) error {
		var c Consultation
		if err := json.Unmarshal(data, &c); err != nil {
			return err
		}
		if c.TopicID == from {
			consults = append(consults, c)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	// No index of consultations holds the topic, so the records alone
	// change.
	for _, c := range consults {
		c.TopicID = to
		if err := putJSON(tx.bucket(bktConsults), itob(c.ID), c); err != nil {
			return "", err
		}
	}
	tips, err := tx.TipsByTopic(from)
	if err != nil {
		return "", err
	}
	for _, t := range tips {
		if _, err := tx.updateTip(t.ID, func(t *Tip) error { t.TopicID = to; return nil }); err != nil {
			return "", err
		}
	}
	mentors, err := tx.Mentors().ByTopic(from)
	if err != nil {
		return "", err
	}
	for _, m := range mentors {
		_, err := tx.Mentors().update(m.UserID, func(m *Mentor) error {
			m.Topics = uniqueFunc(replaceID(m.Topics, from, to), func(a, b uint64) bool { return a == b })
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	months, err := getAll[PurgedMonth](tx, bktPurged)
	if err != nil {
		return "", err
	}
	for _, p := range months {
		if n := p.ByTopic[from]; n > 0 {
			p.ByTopic[to] += n
			delete(p.ByTopic, from)
			if err := putJSON(tx.bucket(bktPurged), []byte(p.Month), p); err != nil {
				return "", err
			}
		}
	}
	parts := []string{
		fmt.Sprintf("%d consultations", len(consults)),
		fmt.Sprintf("%d tips", len(tips)),
		fmt.Sprintf("%d mentors", len(mentors)),
	}
	return strings.Join(parts, ", "), nil
}

// replaceID returns ids with from replaced by to.
func replaceID(ids []uint64, from, to uint64) []uint64 {
	out := slices.Clone(ids)
	for i, id := range out {
		if id == from {
			out[i] = to
		}
	}
	return out
}
