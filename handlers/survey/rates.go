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
}

// RoundRates are the response rates of the rounds of a month ("2006-01"):
// how many were asked and answered, never what they answered.
func (a *Feature) RoundRates(ctx context.Context, month string) ([]Rate, error) {
	var rounds []store.SurveyRound
	if err := a.Store.View(func(tx *store.Tx) (err error) { rounds, err = tx.SurveyRoundsIn(month); return err }); err != nil {
		return nil, fmt.Errorf("survey rates: %w", err)
	}
	out := make([]Rate, 0, len(rounds))
	for _, r := range rounds {
		out = append(out, Rate{Name: surveydef.Text(r.Survey.Title).In(a.Config.DefaultLocale) + " " + r.Period, Sent: r.Invited, Responded: r.Responded})
	}
	return out, nil
}
