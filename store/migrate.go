package store

import (
	"fmt"
	"strconv"

	"github.com/soudan/soudan/store/kv"
)

// Bucket names. Index buckets are "entity.by_field".
const (
	bktMeta         = "meta"
	bktUsers        = "users"
	bktUsersByKey   = "users.by_key"
	bktUsersByName  = "users.by_name"
	bktUsersByRole  = "users.by_role"
	bktTopics       = "topics"
	bktTopicsByName = "topics.by_name"
	bktTopicsByChan = "topics.by_channel"
	bktMentors      = "mentors"
	bktMentorsByTop = "mentors.by_topic"
	bktConsults     = "consultations"
	bktConsByState  = "consultations.by_state"
	bktConsByAsker  = "consultations.by_asker"
	bktConsByMentor = "consultations.by_mentor"
	bktConsByThread = "consultations.by_thread"
	bktEvents       = "seen_events"
	bktPeriods      = "periods"
	bktAudit        = "audit"
)

// schemaKey is the meta key holding the schema version, in decimal.
const schemaKey = "schema_version"

// migration upgrades the schema by one version inside tx.
type migration func(tx kv.Tx) error

// migrations are applied in order at Open; the schema version is the number
// applied. Append new ones; never edit or reorder released ones.
var migrations = []migration{
	createBuckets,             // 1
	createConsoleBucket,       // 2
	createOutboxBuckets,       // 3: outbox and business calendar
	createAdapterStateBucket,  // 4: adapters' state across restarts
	createInboxBucket,         // 5: incoming events recorded before their ack
	reindexNames,              // 6: names indexed by text.Normalize
	buildMentorLoad,           // 7: mentors' active load kept as counts
	createTipBuckets,          // 8: tips and their search index
	createDepartmentBuckets,   // 9: the canonical list of departments
	createSurveyBuckets,       // 10: survey definitions
	createSurveyRoundBuckets,  // 11: survey rounds, invitations, responses, tallies
	buildDayIndex,             // 12: consultations by day and monthly counters (statistics)
	createRetentionBuckets,    // 13: the closed index and purged aggregates (retention)
	createTipRankBuckets,      // 14: tips ranked by helpful votes, link collections, source keys, tip of the week
	createSynonymBuckets,      // 15: admins' synonyms, tip index with kana stems (search)
	createSearchTermBucket,    // 16: what people searched for, by month (statistics)
	createTipLearnedBucket,    // 17: words tips learned from the questions they answered (search)
	rebuildTipTermStats,       // 18: the tip index's term counts and peaks, for pruned search (search)
	createSurveyReleaseBucket, // 19: what closed rounds keep (releases); closed anonymous responses lose department and band
	foldTopicNames,            // 20: topics keyed by text.Fold like departments; topics that become one merged
	createConnectionBuckets,   // 21: connections programmes, members, rounds, 1on1s, mentor terms
	createOutboxSendingIndex,  // 22: sending outbox items by stream, so claims keep a stream's order across replicas
	createInboxReplicasBucket, // 23: replicas' heartbeats, so a replica takes only lapsed replicas' inbox entries
}

// createBuckets creates the buckets of schema version 1.
func createBuckets(tx kv.Tx) error {
	for _, name := range []string{
		bktUsers, bktUsersByKey, bktUsersByName, bktUsersByRole,
		bktTopics, bktTopicsByName, bktTopicsByChan,
		bktMentors, bktMentorsByTop,
		bktConsults, bktConsByState, bktConsByAsker, bktConsByMentor, bktConsByThread,
		bktEvents, bktPeriods, bktAudit,
	} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrate applies the migrations of list the file has not seen yet, each in
// its own transaction together with its version bump, and refuses a file
// whose schema is newer than list.
func migrate(db kv.DB, list []migration) error {
	for {
		done := false
		err := db.Update(func(tx kv.Tx) error {
			meta, err := tx.CreateBucketIfNotExists(bktMeta)
			if err != nil {
				return err
			}
			v, err := readVersion(meta)
			if err != nil {
				return err
			}
			switch {
			case v > len(list):
				return fmt.Errorf("schema version %d is newer than this soudan binary knows (%d): upgrade soudan", v, len(list))
			case v == len(list):
				done = true
				return nil
			}
			if err := list[v](tx); err != nil {
				return fmt.Errorf("migrate schema to version %d: %w", v+1, err)
			}
			return meta.Put([]byte(schemaKey), []byte(strconv.Itoa(v+1)))
		})
		if err != nil || done {
			return err
		}
	}
}

// readVersion returns the schema version recorded in meta; 0 for a new file.
func readVersion(meta interface{ Get(key []byte) []byte }) (int, error) {
	raw := meta.Get([]byte(schemaKey))
	if raw == nil {
		return 0, nil
	}
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad schema version %q", raw)
	}
	return v, nil
}

// SchemaVersion returns the schema version of the open file.
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.View(func(tx *Tx) (err error) {
		v, err = readVersion(tx.bucket(bktMeta))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
