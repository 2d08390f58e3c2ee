package survey

import (
	"context"
	"fmt"

	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
)

// Rate is one round's response rate, for the programme statistics.
type Rate struct {
	Name      string // the survey's title in the bot's default language, and the period
	Sent      int
	Responded int
	// Hidden is set, and the counts are zero, when the round's counts may
	// not be shown (fewer than k answered: figures.Publish's organisation).
	Hidden bool
}

// RoundRates are the response rates of the rounds of a month ("2006-01"):
// how many were asked and answered, never what they answered, and only
// where the round's release shows the organisation.
func (a *Feature) RoundRates(ctx context.Context, month string) ([]Rate, error) {
	var out []Rate
	err := a.View(func(tx *store.Tx) error {
		rounds, err := tx.Surveys().RoundsIn(month)
		if err != nil {
			return err
		}
		out = make([]Rate, 0, len(rounds))
		for _, r := range rounds {
			rel, err := release(tx, r)
			if err != nil {
				return err
			}
			org := rel.Figures(nil, "").Org
			out = append(out, Rate{Name: surveydef.Text(r.Survey.Title).In(a.Config.DefaultLocale) + " " + r.Period, Sent: org.Invited, Responded: org.N, Hidden: !org.Shown})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("survey rates: %w", err)
	}
	return out, nil
}
