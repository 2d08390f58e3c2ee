package survey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
)

// ErrBuiltin is the refusal to import a survey over the built-in one.
var ErrBuiltin = errors.New("survey: the id of the built-in survey cannot be imported")

// record is the stored form of a definition.
func record(d surveydef.Definition) store.Survey {
	s := store.Survey{ID: d.ID, Title: d.Title, Intro: d.Intro, Mode: d.Mode, MinGroup: d.MinGroup}
	for _, it := range d.Items {
		si := store.SurveyItem{ID: it.ID, Kind: it.Kind, Title: it.Title, Short: it.Short, Optional: it.Optional}
		for _, o := range it.Options {
			si.Options = append(si.Options, store.SurveyOption{ID: o.ID, Title: o.Title})
		}
		s.Items = append(s.Items, si)
	}
	return s
}

// definition is the definition of a stored survey.
func definition(s store.Survey) surveydef.Definition {
	d := surveydef.Definition{ID: s.ID, Title: s.Title, Intro: s.Intro, Mode: s.Mode, MinGroup: s.MinGroup}
	for _, si := range s.Items {
		it := surveydef.Item{ID: si.ID, Kind: si.Kind, Title: si.Title, Short: si.Short, Optional: si.Optional}
		for _, o := range si.Options {
			it.Options = append(it.Options, surveydef.Option{ID: o.ID, Title: o.Title})
		}
		d.Items = append(d.Items, it)
	}
	return d
}

// ImportOutcome is what importing a survey definition did.
type ImportOutcome int

// What importing a survey definition did.
const (
	Imported  ImportOutcome = iota // a new survey
	Replaced                       // a stored survey with the same id, changed
	Unchanged                      // the stored survey with the same id is the same: nothing written
)

// Import reads a survey definition file (TOML or YAML, by its extension)
// named name and stores it, replacing a stored survey with the same id
// unless it is the same. A refusal of the file is a *surveydef.Error with
// line numbers.
func Import(st handlers.Transactions, name string, data []byte) (store.Survey, ImportOutcome, error) {
	format, ok := surveydef.FormatOf(name)
	if !ok {
		return store.Survey{}, 0, fmt.Errorf("import survey %s: the file name must end in .toml, .yaml or .yml", name)
	}
	d, err := surveydef.Parse(format, data)
	if err != nil {
		return store.Survey{}, 0, fmt.Errorf("import survey %s:\n%w", name, err)
	}
	if d.ID == surveydef.EngagementID {
		return store.Survey{}, 0, fmt.Errorf("import survey %s: id %q: %w", name, d.ID, ErrBuiltin)
	}
	s := record(d)
	s.Source = filepath.Base(name)
	outcome := Imported
	err = st.Update(func(tx *store.Tx) (err error) {
		if old, err := tx.Surveys().ByID(s.ID); err == nil {
			cmp := old
			cmp.CreatedAt, cmp.UpdatedAt = s.CreatedAt, s.UpdatedAt
			if sameJSON(cmp, s) {
				s, outcome = old, Unchanged
				return nil
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var replaced bool
		if s, replaced, err = tx.Surveys().Put(s); replaced {
			outcome = Replaced
		}
		return err
	})
	if err != nil {
		return store.Survey{}, 0, fmt.Errorf("import survey %s: %w", name, err)
	}
	return s, outcome, nil
}

// sameJSON reports whether a and b are stored the same.
func sameJSON(a, b store.Survey) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// listSurveys answers /soudan survey list: the built-in survey and the
// imported ones, with their items.
func (a *Feature) listSurveys(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	stored, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Survey, error) { return tx.Surveys().All() })
	if err != nil {
		return fmt.Errorf("list surveys: %w", err)
	}
	fields := []bot.Field{a.surveyField(u, surveydef.Engagement(), a.T(u, "survey.list.builtin"))}
	for _, s := range stored {
		when := s.UpdatedAt.In(a.Config.Location).Format("2006-01-02 15:04")
		fields = append(fields, a.surveyField(u, definition(s), a.T(u, "survey.list.imported", "Source", handlers.Clean(s.Source), "Time", when)))
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "survey.list.title", "Count", len(fields)), Fields: fields})
	return err
}

// surveyField shows one survey: its id and title, where it comes from and
// how many items of each kind it has.
func (a *Feature) surveyField(u store.User, d surveydef.Definition, origin string) bot.Field {
	lang := a.Lang(u)
	counts := map[string]int{}
	for _, it := range d.Items {
		counts[it.Kind]++
	}
	return bot.Field{
		Label: handlers.Clean(d.ID + " — " + d.Title.In(lang)),
		Value: a.T(u, "survey.list.entry", "Origin", origin, "Items", len(d.Items),
			"Scale10", counts[surveydef.KindScale0to10], "Scale5", counts[surveydef.KindScale1to5],
			"Choice", counts[surveydef.KindChoice], "Text", counts[surveydef.KindText]),
	}
}
