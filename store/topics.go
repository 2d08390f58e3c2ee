package store

import (
	"errors"
	"fmt"
	"slices"

	"github.com/soudan/soudan/store/text"
)

// ErrDefaultTopic is the refusal to remove the default topic.
var ErrDefaultTopic = errors.New("store: the default topic cannot be removed")

// channelKey is the topics.by_channel value of a channel.
func channelKey(platform, workspace, channel string) string {
	return joinKey(platform, workspace, channel)
}

// sameChannel reports whether a and b name the same channel, whatever their
// display names.
func sameChannel(a, b ChannelRef) bool {
	return a.Platform == b.Platform && a.Workspace == b.Workspace && a.Channel == b.Channel
}

// topicEntries are the index entries of t.
func topicEntries(t Topic) []entry {
	es := topicNames.entries(t.Names())
	for _, ch := range t.Channels {
		es = append(es, entry{bktTopicsByChan, channelKey(ch.Platform, ch.Workspace, ch.Channel)})
	}
	return es
}

// cloneTopic returns a copy of t that shares no slices with it.
func cloneTopic(t Topic) Topic {
	t.Aliases = slices.Clone(t.Aliases)
	t.Channels = slices.Clone(t.Channels)
	return t
}

// Create stores a new topic, assigning ID and CreatedAt. It fails with
// ErrNoName when the name folds to nothing, and with an error wrapping
// ErrExists, naming the word, when the name or an alias is already a name
// or alias of another topic (text.SameName: "it teams" is "IT・Teams"), or
// when one of t.Channels is mapped to another topic (use MapChannel to
// move a channel). Aliases that fold like the name or an earlier alias are
// dropped. A Default topic takes the default over from any other.
func (tv Topics) Create(t Topic) (Topic, error) {
	id, err := tv.tx.bucket(bktTopics).NextSequence()
	if err == nil {
		t.ID, t.CreatedAt = id, tv.tx.Now()
		err = tv.put(Topic{}, &t)
	}
	if err != nil {
		return Topic{}, fmt.Errorf("create topic %q: %w", t.Name, err)
	}
	return t, nil
}

// put validates t, previously old (zero for a new topic), and stores
// it with its index entries.
func (tv Topics) put(old Topic, t *Topic) error {
	if text.Fold(t.Name) == "" {
		return ErrNoName
	}
	t.Aliases = cleanAliases(t.Name, t.Aliases)
	t.Channels = uniqueFunc(t.Channels, sameChannel)
	if err := topicNames.claim(tv.tx, t.ID, t.Names()); err != nil {
		return err
	}
	for _, ch := range t.Channels {
		if ch.Platform == "" || ch.Channel == "" {
			return fmt.Errorf("channel %+v: platform and channel are required", ch)
		}
		if other, ok := lookupOther(tv.tx, bktTopicsByChan, channelKey(ch.Platform, ch.Workspace, ch.Channel), t.ID); ok {
			return fmt.Errorf("channel %s is already mapped to topic %s: %w", ch.Channel, topicNames.label(tv.tx, other), ErrExists)
		}
	}
	if t.Default && !old.Default {
		if err := tv.clearDefault(t.ID); err != nil {
			return err
		}
	}
	if err := reindex(tv.tx, t.ID, topicEntries(old), topicEntries(*t)); err != nil {
		return err
	}
	return putJSON(tv.tx.bucket(bktTopics), itob(t.ID), t)
}

// clearDefault unsets Default on every topic but except.
func (tv Topics) clearDefault(except uint64) error {
	ts, err := getAll[Topic](tv.tx, bktTopics)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.Default && t.ID != except {
			t.Default = false
			if err := putJSON(tv.tx.bucket(bktTopics), itob(t.ID), t); err != nil {
				return err
			}
		}
	}
	return nil
}

// ByID returns the topic with id.
func (tv Topics) ByID(id uint64) (Topic, error) {
	t, err := getByID[Topic](tv.tx, bktTopics, id)
	if err != nil {
		return Topic{}, fmt.Errorf("get topic %d: %w", id, err)
	}
	return t, nil
}

// All returns every topic, in id order.
func (tv Topics) All() ([]Topic, error) {
	ts, err := getAll[Topic](tv.tx, bktTopics)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	return ts, nil
}

// ByName returns the topic whose name or one of whose aliases names
// the same as name (text.SameName).
func (tv Topics) ByName(name string) (Topic, error) {
	t, err := tv.topicIn(bktTopicsByName, text.Fold(name))
	if err != nil {
		return Topic{}, fmt.Errorf("get topic named %q: %w", name, err)
	}
	return t, nil
}

// ByChannel returns the topic the channel is mapped to.
func (tv Topics) ByChannel(platform, workspace, channel string) (Topic, error) {
	t, err := tv.topicIn(bktTopicsByChan, channelKey(platform, workspace, channel))
	if err != nil {
		return Topic{}, fmt.Errorf("get topic of channel %s/%s/%s: %w", platform, workspace, channel, err)
	}
	return t, nil
}

// topicIn returns the topic filed under value in index.
func (tv Topics) topicIn(index, value string) (Topic, error) {
	ids := lookup(tv.tx, index, value)
	if value == "" || len(ids) == 0 {
		return Topic{}, ErrNotFound
	}
	return getByID[Topic](tv.tx, bktTopics, ids[0])
}

// Default returns the topic marked Default, where questions go when no
// topic matches.
func (tv Topics) Default() (Topic, error) {
	ts, err := tv.All()
	if err != nil {
		return Topic{}, fmt.Errorf("get default topic: %w", err)
	}
	for _, t := range ts {
		if t.Default {
			return t, nil
		}
	}
	return Topic{}, fmt.Errorf("get default topic: %w", ErrNotFound)
}

// Update applies fn to the topic with id and stores the result,
// reindexing its names and channels. Collisions fail as in Create,
// with ErrExists. An error from fn aborts the update and is returned
// wrapped. fn must not call the Store (it may call tx).
func (tv Topics) Update(id uint64, fn func(*Topic) error) (Topic, error) {
	t, err := tv.update(id, fn)
	if err != nil {
		return Topic{}, fmt.Errorf("update topic %d: %w", id, err)
	}
	return t, nil
}

// update is Update without its error wrapping.
func (tv Topics) update(id uint64, fn func(*Topic) error) (Topic, error) {
	if err := tv.tx.writable(); err != nil {
		return Topic{}, err
	}
	t, err := getByID[Topic](tv.tx, bktTopics, id)
	if err != nil {
		return Topic{}, err
	}
	old := cloneTopic(t)
	if err := fn(&t); err != nil {
		return Topic{}, err
	}
	t.ID, t.CreatedAt = old.ID, old.CreatedAt
	return t, tv.put(old, &t)
}

// MapChannel maps ch to the topic with topicID. A channel maps to one
// topic: it is removed from any other topic it was mapped to. Mapping a
// channel again updates its display name.
func (tv Topics) MapChannel(topicID uint64, ch ChannelRef) (Topic, error) {
	if ch.Platform == "" || ch.Channel == "" {
		return Topic{}, fmt.Errorf("map channel to topic %d: platform and channel are required", topicID)
	}
	t, err := tv.mapChannel(topicID, ch)
	if err != nil {
		return Topic{}, fmt.Errorf("map channel %s to topic %d: %w", ch.Channel, topicID, err)
	}
	return t, nil
}

// mapChannel is MapChannel without its checks and error wrapping.
func (tv Topics) mapChannel(topicID uint64, ch ChannelRef) (Topic, error) {
	if err := tv.tx.writable(); err != nil {
		return Topic{}, err
	}
	t, err := getByID[Topic](tv.tx, bktTopics, topicID)
	if err != nil {
		return Topic{}, err
	}
	for _, id := range lookup(tv.tx, bktTopicsByChan, channelKey(ch.Platform, ch.Workspace, ch.Channel)) {
		if id != topicID {
			if err := tv.unmapChannel(id, ch); err != nil {
				return Topic{}, err
			}
		}
	}
	old := cloneTopic(t)
	if i := slices.IndexFunc(t.Channels, func(c ChannelRef) bool { return sameChannel(c, ch) }); i >= 0 {
		t.Channels[i] = ch
	} else {
		t.Channels = append(t.Channels, ch)
	}
	return t, tv.put(old, &t)
}

// unmapChannel removes ch from the topic with id.
func (tv Topics) unmapChannel(id uint64, ch ChannelRef) error {
	t, err := getByID[Topic](tv.tx, bktTopics, id)
	if err != nil {
		return err
	}
	old := cloneTopic(t)
	t.Channels = slices.DeleteFunc(t.Channels, func(c ChannelRef) bool { return sameChannel(c, ch) })
	return tv.put(old, &t)
}

// UnmapChannel removes ch from the topic it is mapped to and returns that
// topic as it is now. It fails with ErrNotFound when ch is mapped to none.
func (tv Topics) UnmapChannel(ch ChannelRef) (Topic, error) {
	if err := tv.tx.writable(); err != nil {
		return Topic{}, err
	}
	ids := lookup(tv.tx, bktTopicsByChan, channelKey(ch.Platform, ch.Workspace, ch.Channel))
	if len(ids) == 0 {
		return Topic{}, fmt.Errorf("unmap channel %s: %w", ch.Channel, ErrNotFound)
	}
	for _, id := range ids {
		if err := tv.unmapChannel(id, ch); err != nil {
			return Topic{}, fmt.Errorf("unmap channel %s: %w", ch.Channel, err)
		}
	}
	return tv.ByID(ids[0])
}

// TopicRemoval is what removing a topic changed.
type TopicRemoval struct {
	Topic   Topic // the removed topic, as it was
	MovedTo Topic // the default topic its active consultations moved to
	Moved   int   // active consultations moved to MovedTo
	Mentors int   // mentors whose profile no longer lists the topic
}

// Remove deletes the topic with id and its names and channel
// mappings from the indexes, moves its active (open or answered)
// consultations to the default topic and takes the topic off every
// mentor's profile, all in tx. The default topic cannot be removed
// (ErrDefaultTopic); there must be one to move to (ErrNotFound).
func (tv Topics) Remove(id uint64) (TopicRemoval, error) {
	rm, err := tv.remove(id)
	if err != nil {
		return TopicRemoval{}, fmt.Errorf("remove topic %d: %w", id, err)
	}
	return rm, nil
}

// remove is Remove without its error wrapping.
func (tv Topics) remove(id uint64) (TopicRemoval, error) {
	if err := tv.tx.writable(); err != nil {
		return TopicRemoval{}, err
	}
	t, err := getByID[Topic](tv.tx, bktTopics, id)
	if err != nil {
		return TopicRemoval{}, err
	}
	if t.Default {
		return TopicRemoval{}, ErrDefaultTopic
	}
	def, err := tv.Default()
	if err != nil {
		return TopicRemoval{}, err
	}
	rm := TopicRemoval{Topic: t, MovedTo: def}
	cs, err := tv.tx.Consultations().ByState(StateOpen, StateAnswered)
	if err != nil {
		return TopicRemoval{}, err
	}
	for _, c := range cs {
		if c.TopicID != id {
			continue
		}
		if _, err := tv.tx.Consultations().update(c.ID, func(c *Consultation) error { c.TopicID = def.ID; return nil }); err != nil {
			return TopicRemoval{}, err
		}
		rm.Moved++
	}
	ms, err := tv.tx.Mentors().ByTopic(id)
	if err != nil {
		return TopicRemoval{}, err
	}
	for _, m := range ms {
		_, err := tv.tx.Mentors().update(m.UserID, func(m *Mentor) error {
			m.Topics = slices.DeleteFunc(m.Topics, func(x uint64) bool { return x == id })
			return nil
		})
		if err != nil {
			return TopicRemoval{}, err
		}
		rm.Mentors++
	}
	if err := reindex(tv.tx, id, topicEntries(t), nil); err != nil {
		return TopicRemoval{}, err
	}
	if err := tv.tx.bucket(bktTopics).Delete(itob(id)); err != nil {
		return TopicRemoval{}, err
	}
	return rm, nil
}
