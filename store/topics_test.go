package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

func TestCreateTopicCollisions(t *testing.T) {
	tests := []struct {
		name     string
		topic    store.Topic
		wantWord string // "" means no collision
	}{
		{"full-width name vs name", store.Topic{Name: "ＩＴ"}, "it"},
		{"upper case name", store.Topic{Name: "IT"}, "it"},
		{"alias vs alias", store.Topic{Name: "engineering", Aliases: []string{"システム"}}, "システム"},
		{"half-width kana alias", store.Topic{Name: "engineering", Aliases: []string{"ｼｽﾃﾑ"}}, "システム"},
		{"name vs alias, with spaces", store.Topic{Name: " Info\u3000Tech "}, "info tech"},
		{"distinct", store.Topic{Name: "career", Aliases: []string{"キャリア"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.MustOpen(t)
			mustTopic(t, s, store.Topic{Name: "it", Aliases: []string{"システム", "info tech"}})
			_, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(tt.topic) })
			if tt.wantWord == "" {
				if err != nil {
					t.Errorf("CreateTopic: got %v, want success", err)
				}
				return
			}
			if !errors.Is(err, store.ErrExists) {
				t.Fatalf("CreateTopic: got %v, want ErrExists", err)
			}
			if !strings.Contains(err.Error(), tt.wantWord) {
				t.Errorf("CreateTopic: got message %q, want it to name %q", err, tt.wantWord)
			}
		})
	}
}

func TestCreateTopicValidates(t *testing.T) {
	s := storetest.MustOpen(t)
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Create(store.Topic{Name: " \u3000"}) }); err == nil {
		t.Errorf("CreateTopic(blank name): got nil error, want one")
	}
	// An alias equal to the topic's own name is not a collision.
	tp := storetest.Update(t, s, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Create(store.Topic{Name: "IT", Aliases: []string{"ＩＴ"}})
	})
	if tp.ID == 0 || tp.CreatedAt.IsZero() {
		t.Errorf("CreateTopic: got id %d created %v, want both set", tp.ID, tp.CreatedAt)
	}
}

func TestTopicByName(t *testing.T) {
	s := storetest.MustOpen(t)
	it := mustTopic(t, s, store.Topic{Name: "IT", Aliases: []string{"システム"}})
	career := mustTopic(t, s, store.Topic{Name: "Career"})
	tests := []struct {
		name string
		want uint64 // 0: not found
	}{
		{"it", it.ID}, {"ＩＴ", it.ID}, {"ｼｽﾃﾑ", it.ID}, {"  career ", career.ID}, {"hr", 0}, {"", 0},
	}
	for _, tt := range tests {
		got, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName(tt.name) })
		if tt.want == 0 {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("TopicByName(%q): got %v, want ErrNotFound", tt.name, err)
			}
			continue
		}
		if err != nil || got.ID != tt.want {
			t.Errorf("TopicByName(%q): got %d, %v; want %d", tt.name, got.ID, err, tt.want)
		}
	}
}

func TestUpdateTopicReindexesNames(t *testing.T) {
	s := storetest.MustOpen(t)
	it := mustTopic(t, s, store.Topic{Name: "IT", Aliases: []string{"システム"}})
	hr := mustTopic(t, s, store.Topic{Name: "HR"})

	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Update(it.ID, func(t *store.Topic) error { t.Aliases = []string{"tech"}; return nil })
	}); err != nil {
		t.Fatalf("UpdateTopic: %v", err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("システム") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TopicByName(dropped alias): got %v, want ErrNotFound", err)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByName("TECH") }); err != nil || got.ID != it.ID {
		t.Errorf("TopicByName(new alias): got %d, %v; want %d", got.ID, err, it.ID)
	}
	_, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Update(hr.ID, func(t *store.Topic) error { t.Aliases = []string{"Tech"}; return nil })
	})
	if !errors.Is(err, store.ErrExists) {
		t.Errorf("UpdateTopic(alias of another topic): got %v, want ErrExists", err)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(hr.ID) }); len(got.Aliases) != 0 {
		t.Errorf("aliases after a refused update: got %v, want none", got.Aliases)
	}
}

func TestMapChannelMovesChannel(t *testing.T) {
	s := storetest.MustOpen(t)
	it := mustTopic(t, s, store.Topic{Name: "IT"})
	hr := mustTopic(t, s, store.Topic{Name: "HR"})
	ch := store.ChannelRef{Platform: "slack", Workspace: "T1", Channel: "C1", Name: "#ask"}

	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().MapChannel(it.ID, ch) }); err != nil {
		t.Fatalf("MapChannel(it): %v", err)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("slack", "T1", "C1") }); err != nil || got.ID != it.ID {
		t.Errorf("TopicByChannel: got %d, %v; want %d", got.ID, err, it.ID)
	}
	ch.Name = "#ask-hr"
	got, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().MapChannel(hr.ID, ch) })
	if err != nil || len(got.Channels) != 1 || got.Channels[0] != ch {
		t.Fatalf("MapChannel(hr): got %+v, %v; want channels [%+v]", got.Channels, err, ch)
	}
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("slack", "T1", "C1") }); err != nil || got.ID != hr.ID {
		t.Errorf("TopicByChannel after move: got %d, %v; want %d", got.ID, err, hr.ID)
	}
	if got, _ := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByID(it.ID) }); len(got.Channels) != 0 {
		t.Errorf("channels of the old topic: got %+v, want none", got.Channels)
	}
	// Mapping again is idempotent.
	if got, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().MapChannel(hr.ID, ch) }); err != nil || len(got.Channels) != 1 {
		t.Errorf("MapChannel again: got %+v, %v; want one channel", got.Channels, err)
	}
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().ByChannel("slack", "T2", "C1") }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TopicByChannel(other workspace): got %v, want ErrNotFound", err)
	}
	// A channel is moved with MapChannel, not by editing another topic.
	_, err = storetest.Write(s, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Update(it.ID, func(t *store.Topic) error { t.Channels = append(t.Channels, ch); return nil })
	})
	if !errors.Is(err, store.ErrExists) {
		t.Errorf("UpdateTopic(channel of another topic): got %v, want ErrExists", err)
	}
}

func TestDefaultTopic(t *testing.T) {
	s := storetest.MustOpen(t)
	if _, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Default() }); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DefaultTopic with none: got %v, want ErrNotFound", err)
	}
	a := mustTopic(t, s, store.Topic{Name: "general", Default: true})
	b := mustTopic(t, s, store.Topic{Name: "other", Default: true})
	if got, err := storetest.Read(s, func(tx *store.Tx) (store.Topic, error) { return tx.Topics().Default() }); err != nil || got.ID != b.ID {
		t.Errorf("DefaultTopic: got %d, %v; want %d", got.ID, err, b.ID)
	}
	if _, err := storetest.Write(s, func(tx *store.Tx) (store.Topic, error) {
		return tx.Topics().Update(a.ID, func(t *store.Topic) error { t.Default = true; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	ts, err := storetest.Read(s, func(tx *store.Tx) ([]store.Topic, error) { return tx.Topics().All() })
	var defaults []uint64
	for _, tp := range ts {
		if tp.Default {
			defaults = append(defaults, tp.ID)
		}
	}
	if want := []uint64{a.ID}; err != nil || !slices.Equal(defaults, want) {
		t.Errorf("default topics after update: got %v, %v; want %v", defaults, err, want)
	}
}
