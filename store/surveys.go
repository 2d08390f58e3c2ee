package store

import (
	"fmt"
	"time"

	"github.com/soudan/soudan/store/kv"
)

// bktSurveys holds imported survey definitions, keyed by survey id
// (schema version 10).
const bktSurveys = "surveys"

// Kinds of survey items.
const (
	ItemScale0to10 = "scale0to10" // 0-10, e.g. eNPS
	ItemScale1to5  = "scale1to5"  // 1-5 agreement
	ItemChoice     = "choice"     // one of Options
	ItemText       = "text"       // free text
)

// Survey is a survey definition: what a round asks. The built-in one is
// not stored; imported ones are, and importing an id again replaces it.
type Survey struct {
	ID        string            `json:"id"`
	Title     map[string]string `json:"title"` // language -> text
	Intro     map[string]string `json:"intro,omitempty"`
	Mode      string            `json:"mode,omitempty"`      // rounds' default mode; "" anonymous
	MinGroup  int               `json:"min_group,omitempty"` // rounds' default k; 0 the bot's
	Items     []SurveyItem      `json:"items"`
	Source    string            `json:"source,omitempty"` // the file it was imported from
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// SurveyItem is one question of a survey.
type SurveyItem struct {
	ID    string            `json:"id"`
	Kind  string            `json:"kind"`
	Title map[string]string `json:"title"`
	// Short is the optional short title of the report pages' column heads
	// and legends; records from before it have none.
	Short    map[string]string `json:"short,omitempty"`
	Options  []SurveyOption    `json:"options,omitempty"` // choice only
	Optional bool              `json:"optional,omitempty"`
}

// SurveyOption is one choice of a choice item.
type SurveyOption struct {
	ID    string            `json:"id"`
	Title map[string]string `json:"title"`
}

// createSurveyBuckets is the migration that creates the survey
// definitions bucket.
func createSurveyBuckets(tx kv.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bktSurveys); err != nil {
		return fmt.Errorf("create bucket %s: %w", bktSurveys, err)
	}
	return nil
}

// Put stores s under its id, replacing a definition with that id;
// it keeps the first CreatedAt and sets UpdatedAt. It reports whether it
// replaced one. The caller validates the definition.
func (sv Surveys) Put(s Survey) (Survey, bool, error) {
	if err := sv.tx.writable(); err != nil {
		return Survey{}, false, err
	}
	if s.ID == "" {
		return Survey{}, false, fmt.Errorf("put survey: %w", ErrNoName)
	}
	b := sv.tx.bucket(bktSurveys)
	var old Survey
	replaced := b.Get([]byte(s.ID)) != nil
	s.CreatedAt = sv.tx.Now()
	if replaced {
		if err := getJSON(b, []byte(s.ID), &old); err != nil {
			return Survey{}, false, fmt.Errorf("put survey %q: %w", s.ID, err)
		}
		s.CreatedAt = old.CreatedAt
	}
	s.UpdatedAt = sv.tx.Now()
	if err := putJSON(b, []byte(s.ID), s); err != nil {
		return Survey{}, false, fmt.Errorf("put survey %q: %w", s.ID, err)
	}
	return s, replaced, nil
}

// ByID returns the stored survey with id.
func (sv Surveys) ByID(id string) (Survey, error) {
	var s Survey
	if err := getJSON(sv.tx.bucket(bktSurveys), []byte(id), &s); err != nil {
		return Survey{}, fmt.Errorf("get survey %q: %w", id, err)
	}
	return s, nil
}

// All returns every stored survey, in id order.
func (sv Surveys) All() ([]Survey, error) {
	ss, err := getAll[Survey](sv.tx, bktSurveys)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	return ss, nil
}
