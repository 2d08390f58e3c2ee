package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/soudan/soudan/store/kv"
)

// Bucket of what closed rounds keep of their answers (schema version 19).
const bktReleases = "survey_releases" // itob(round) -> SurveyRelease

// SurveyRelease is what a closed round keeps of its answers: exactly what
// its reports may show, decided when it closed over every table the round
// publishes (the organisation, by department, by tenure band). It holds
// no cell (department x band) and no group too small to show: a group
// that may not be shown keeps its key only.
type SurveyRelease struct {
	K          int             `json:"k"`
	Breakdowns []string        `json:"breakdowns"`
	Org        SurveyGroup     `json:"org"`
	Groups     [][]SurveyGroup `json:"groups"` // per breakdown, in Breakdowns' order
}

// SurveyGroup is one group of a release. When Shown it holds the group's
// counts and the answers of the items its reports show (an item hidden in
// the group has no entry); otherwise its key only.
type SurveyGroup struct {
	Key     string                    `json:"key,omitempty"`
	Shown   bool                      `json:"shown,omitempty"`
	Invited int                       `json:"invited,omitempty"`
	N       int                       `json:"n,omitempty"`
	Scores  map[string][]int          `json:"scores,omitempty"`
	Choices map[string]map[string]int `json:"choices,omitempty"`
}

// SurveyReleaser decides what a closing round keeps of its cells: the
// survey feature's figures (store knows nothing of them). cmd passes it in
// Options.SurveyRelease so that Open releases the rounds an older soudan
// closed with their cells.
type SurveyReleaser func(r SurveyRound, cells []SurveyTally) SurveyRelease

// createSurveyReleaseBucket is the migration that creates the releases'
// bucket and takes the department and tenure band off the responses of
// anonymous rounds already closed (their tallies are released at Open, by
// Options.SurveyRelease, which the store alone cannot decide).
func createSurveyReleaseBucket(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktReleases); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktReleases, err)
	}
	return tx.Bucket(bktRounds).ForEach(func(_, data []byte) error {
		var r SurveyRound
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		if r.Open() || r.Mode == SurveyConfidential {
			return nil
		}
		return stripResponses(tx.Bucket(bktResponses), r.ID)
	})
}

// stripResponses takes the department and band off a round's responses.
func stripResponses(b kv.Bucket, round uint64) error {
	prefix := itob(round)
	type kv struct{ k, v []byte }
	var changed []kv
	c := b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var resp SurveyResponse
		if err := json.Unmarshal(v, &resp); err != nil {
			return fmt.Errorf("response of round %d: %w", round, err)
		}
		if resp.Department == "" && resp.Band == "" {
			continue
		}
		resp.Department, resp.Band = "", ""
		data, err := json.Marshal(resp)
		if err != nil {
			return err
		}
		changed = append(changed, kv{bytes.Clone(k), data})
	}
	for _, x := range changed {
		if err := b.Put(x.k, x.v); err != nil {
			return err
		}
	}
	return nil
}

// releaseRound keeps of a closed round only what release decides its
// reports may show: it stores the release, deletes the round's cells and,
// in anonymous mode, takes the department and band off its responses;
// when the organisation may not be shown, r loses its counts too (the
// caller stores r).
func (sv Surveys) releaseRound(r *SurveyRound, release SurveyReleaser) error {
	if release == nil {
		return errors.New("no survey releaser")
	}
	cells, err := sv.Tallies(r.ID)
	if err != nil {
		return err
	}
	rel := release(*r, cells)
	if !rel.Org.Shown {
		r.Invited, r.Responded = 0, 0
	}
	if err := putJSON(sv.tx.bucket(bktReleases), itob(r.ID), rel); err != nil {
		return fmt.Errorf("release survey round %d: %w", r.ID, err)
	}
	if err := deletePrefix(sv.tx.bucket(bktTallies), itob(r.ID)); err != nil {
		return fmt.Errorf("release survey round %d: %w", r.ID, err)
	}
	if r.Mode != SurveyConfidential {
		if err := stripResponses(sv.tx.bucket(bktResponses), r.ID); err != nil {
			return fmt.Errorf("release survey round %d: %w", r.ID, err)
		}
	}
	return nil
}

// Release returns what a closed round keeps of its answers; found
// is false for an open round, or one an older soudan closed and no Open
// with Options.SurveyRelease has released yet (its cells are still in
// Surveys.Tallies).
func (sv Surveys) Release(round uint64) (rel SurveyRelease, found bool, err error) {
	err = getJSON(sv.tx.bucket(bktReleases), itob(round), &rel)
	if errors.Is(err, ErrNotFound) {
		return SurveyRelease{}, false, nil
	}
	if err != nil {
		return SurveyRelease{}, false, fmt.Errorf("survey release of round %d: %w", round, err)
	}
	return rel, true, nil
}

// releaseClosedRounds releases the closed rounds that still keep cells
// (closed by an older soudan), so that the file, and every backup of it,
// keeps nothing finer than a report may show.
func (sv Surveys) releaseClosedRounds(release SurveyReleaser) error {
	rounds, err := getAll[SurveyRound](sv.tx, bktRounds)
	if err != nil {
		return fmt.Errorf("release closed survey rounds: %w", err)
	}
	for _, r := range rounds {
		if r.Open() || sv.tx.bucket(bktReleases).Get(itob(r.ID)) != nil {
			continue
		}
		if err := sv.releaseRound(&r, release); err != nil {
			return err
		}
		if err := sv.putRound(r); err != nil {
			return err
		}
	}
	return nil
}
