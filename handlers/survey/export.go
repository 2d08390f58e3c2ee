package survey

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/figures"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// hiddenCell is what an export says in place of a suppressed figure.
const hiddenCell = "too few"

// SafeCell guards a CSV cell against spreadsheet formula injection: a
// cell that starts with =, +, -, @, a tab or a carriage return is
// prefixed with an apostrophe so spreadsheets read it as text.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// writeCSV writes rows, guarding (SafeCell) the cells of the columns
// typed says hold text people typed (names, departments, ids an admin
// chose, answers); soudan's own figures stay numbers, so a negative eNPS
// reads as -33.33, not as the text '-33.33.
func writeCSV(rows [][]string, typed func(col int) bool) (string, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, c := range row {
			if typed(i) {
				c = SafeCell(c)
			}
			safe[i] = c
		}
		if err := w.Write(safe); err != nil {
			return "", err
		}
	}
	w.Flush()
	return buf.String(), w.Error()
}

// Columns of the aggregate export that hold text people typed: the
// survey's id, the group (a department's name) and the item's id.
var aggregateTyped = map[int]bool{0: true, 3: true, 4: true}

// aggregateRows are a closed round's figures as CSV rows: the
// organisation, every department and every tenure band, one row per item;
// suppressed figures say so.
func aggregateRows(tx *store.Tx, r store.SurveyRound) ([][]string, error) {
	rows := [][]string{{"survey", "period", "group_type", "group", "item", "respondents", "invited", "average", "favourable_pct", "neutral_pct", "unfavourable_pct", "enps"}}
	for _, by := range []string{byDepartment, byTenure} {
		res, err := compute(tx, r, by)
		if err != nil {
			return nil, err
		}
		if by == byDepartment {
			rows = append(rows, groupRows(r, "organisation", res.Org)...)
		}
		for _, g := range res.Groups {
			rows = append(rows, groupRows(r, by, g)...)
		}
	}
	return rows, nil
}

// groupRows are one group's rows.
func groupRows(r store.SurveyRound, kind string, g figures.GroupFigures) [][]string {
	var rows [][]string
	f2 := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, it := range r.Survey.Items {
		f, ok := g.Items[it.ID]
		if !ok {
			continue
		}
		row := []string{r.SurveyID, r.Period, kind, g.Key, it.ID}
		if !f.Shown || !g.Shown {
			invited := hiddenCell // a hidden group shows no count, invited either
			if g.Shown {
				invited = strconv.Itoa(g.Invited)
			}
			rows = append(rows, append(row, hiddenCell, invited, hiddenCell, hiddenCell, hiddenCell, hiddenCell, hiddenCell))
			continue
		}
		row = append(row, strconv.Itoa(f.N), strconv.Itoa(g.Invited))
		switch it.Kind {
		case store.ItemScale1to5:
			row = append(row, f2(f.Avg), f2(f.Favourable), f2(f.Neutral), f2(f.Unfavourable), "")
		case store.ItemScale0to10:
			row = append(row, f2(f.Avg), "", "", "", f2(f.ENPS))
		default:
			row = append(row, "", "", "", "", "")
		}
		rows = append(rows, row)
	}
	return rows
}

// rawTyped says which columns of a confidential round's raw export hold
// text people typed: the name, the department, and the items that are not
// scales (choices, free text); the id, the band and the scores are soudan's.
func rawTyped(r store.SurveyRound) func(int) bool {
	return func(col int) bool {
		switch {
		case col == 1 || col == 2:
			return true
		case col < 4:
			return false
		case col-4 < len(r.Survey.Items):
			k := r.Survey.Items[col-4].Kind
			return k != store.ItemScale0to10 && k != store.ItemScale1to5
		}
		return true
	}
}

// rawRows are a confidential round's responses, one row per person, for
// hr only.
func rawRows(tx *store.Tx, r store.SurveyRound) ([][]string, error) {
	head := []string{"user_id", "name", "department", "tenure_band"}
	for _, it := range r.Survey.Items {
		head = append(head, it.ID)
	}
	rows := [][]string{head}
	err := tx.Surveys().Responses(r.ID, func(resp store.SurveyResponse) error {
		name := ""
		if u, err := tx.Users().ByID(resp.UserID); err == nil {
			name = u.Name
		}
		row := []string{strconv.FormatUint(resp.UserID, 10), name, resp.Department, resp.Band}
		for _, it := range r.Survey.Items {
			switch it.Kind {
			case store.ItemScale0to10, store.ItemScale1to5:
				if v, ok := resp.Scores[it.ID]; ok {
					row = append(row, strconv.Itoa(v))
				} else {
					row = append(row, "")
				}
			case store.ItemChoice:
				row = append(row, resp.Choices[it.ID])
			default:
				row = append(row, resp.Texts[it.ID])
			}
		}
		rows = append(rows, row)
		return nil
	})
	return rows, err
}

// exportCommand answers /soudan survey export SURVEY [PERIOD] [raw]: the
// figures of a closed round as CSV (admins and hr); with raw, a
// confidential round's responses (hr only).
func (a *Feature) exportCommand(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if !u.HasRole(store.RoleAdmin) && !u.HasRole(store.RoleHR) {
		return bot.Errorf(bot.CodeForbidden, "survey.error.admin_hr_only")
	}
	var args []string
	raw := false
	for _, arg := range m.Args {
		if n := strings.TrimLeft(text.Normalize(arg), "-"); n == "raw" || n == "個票" {
			raw = true
			continue
		}
		args = append(args, arg)
	}
	ra, ok := parseReportArgs(args)
	if !ok {
		return a.UsageError(u, "usage.survey.export")
	}
	var rows [][]string
	var round store.SurveyRound
	err := a.View(func(tx *store.Tx) (err error) {
		if round, err = a.findRound(tx, ra.survey, ra.period); err != nil {
			return err
		}
		if round.Open() {
			return bot.Errorf(bot.CodeConflict, "survey.error.still_open", "Deadline", round.Deadline.In(a.Config.Location).Format("2006-01-02 15:04"))
		}
		if !raw {
			rows, err = aggregateRows(tx, round)
			return err
		}
		if round.Mode != store.SurveyConfidential {
			return bot.Errorf(bot.CodeForbidden, "survey.error.raw_anonymous")
		}
		if !u.HasRole(store.RoleHR) {
			return bot.Errorf(bot.CodeForbidden, "survey.error.raw_hr_only")
		}
		rows, err = rawRows(tx, round)
		return err
	})
	if err != nil {
		return err
	}
	typed := func(col int) bool { return aggregateTyped[col] }
	if raw {
		typed = rawTyped(round)
	}
	body, err := writeCSV(rows, typed)
	if err != nil {
		return fmt.Errorf("survey export: %w", err)
	}
	name := fmt.Sprintf("%s-%s.csv", round.SurveyID, round.Period)
	if raw {
		name = fmt.Sprintf("%s-%s-raw.csv", round.SurveyID, round.Period)
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Title: a.T(u, "survey.export.title", "Name", name, "Rows", len(rows)-1), Text: "```\n" + body + "```"})
	return err
}
