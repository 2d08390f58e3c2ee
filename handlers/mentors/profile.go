package mentors

import (
	"context"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// profileInput is what the profile form collects.
type profileInput struct {
	Department string
	JoinYear   int
	JobType    string
	Posting    string
	Language   string
}

// openProfile shows the profile form, filled in with what the store knows.
func (a *Feature) openProfile(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	depts, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Department, error) { return tx.Departments().All() })
	if err != nil {
		return fmt.Errorf("open profile: %w", err)
	}
	in := profileInput{Department: canonicalDepartment(depts, u.Department), JoinYear: u.JoinYear, JobType: u.JobType, Posting: u.Posting, Language: a.Lang(u)}
	return bot.OpenForm(ctx, r, a.profileForm(u, in, depts, nil))
}

// canonicalDepartment is the name of the department in depts that a
// free-text department names (text.SameName with its name or an alias),
// or the free text itself when none does.
func canonicalDepartment(depts []store.Department, free string) string {
	if name, ok := departmentIn(depts, free); ok {
		return name
	}
	return free
}

// departmentIn returns the name of the department in depts that s names.
func departmentIn(depts []store.Department, s string) (string, bool) {
	for _, d := range depts {
		for _, n := range d.Names() {
			if text.SameName(n, s) {
				return d.Name, true
			}
		}
	}
	return "", false
}

// departmentInput is the department input of the profile form: a choice
// of the canonical departments when there are any (admins keep the list
// with /soudan admin department), free text otherwise.
func (a *Feature) departmentInput(u store.User, value string, depts []store.Department) bot.Input {
	if len(depts) == 0 {
		return bot.Input{Name: "department", Label: a.T(u, "people.field.department"), Kind: bot.InputText, Value: value, Placeholder: a.T(u, "people.field.department.placeholder"), MaxLen: maxShortText}
	}
	opts := make([]bot.Option, len(depts))
	for i, d := range depts {
		opts[i] = bot.Option{Value: d.Name, Label: handlers.Clean(d.Name)}
	}
	value, _ = departmentIn(depts, value) // a department the list does not hold shows no choice
	return bot.Input{Name: "department", Label: a.T(u, "people.field.department"), Kind: bot.InputSelect, Value: value, Options: opts, Hint: a.T(u, "people.field.department.choose")}
}

// profileForm builds the profile form in u's language, filled in from in.
// raw, when not nil, is a rejected submission: its join year is shown again
// as typed.
func (a *Feature) profileForm(u store.User, in profileInput, depts []store.Department, raw map[string]string) bot.Form {
	year := yearText(in.JoinYear)
	if raw != nil {
		year = raw["join_year"]
	}
	return bot.Form{
		ID:     formProfile,
		Title:  a.T(u, "people.profile.title"),
		Submit: a.T(u, "people.form.save"),
		Intro:  a.T(u, "people.profile.intro"),
		Inputs: []bot.Input{
			a.departmentInput(u, in.Department, depts),
			{Name: "join_year", Label: a.T(u, "people.field.join_year"), Kind: bot.InputText, Value: year, Placeholder: "2015", Hint: a.T(u, "people.field.join_year.hint"), MaxLen: 5},
			{Name: "job_type", Label: a.T(u, "people.field.job_type"), Kind: bot.InputText, Value: in.JobType, Placeholder: a.T(u, "people.field.job_type.placeholder"), MaxLen: maxShortText},
			{Name: "posting", Label: a.T(u, "people.field.posting"), Kind: bot.InputRadio, Value: in.Posting, Options: a.postingOptions(u)},
			{Name: "language", Label: a.T(u, "people.field.language"), Kind: bot.InputSelect, Value: in.Language, Required: true, Options: []bot.Option{
				{Value: "ja", Label: "日本語"},
				{Value: "en", Label: "English"},
			}},
		},
	}
}

// submitProfile validates the profile form and saves it. A rejected form
// is shown again with its errors and nothing is saved.
func (a *Feature) submitProfile(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	depts, err := handlers.Read(a.Kit, func(tx *store.Tx) ([]store.Department, error) { return tx.Departments().All() })
	if err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	in, errs := a.readProfile(u, m.Form, depts)
	if len(errs) > 0 {
		f := a.profileForm(u, in, depts, m.Form)
		f.Errors = errs
		return bot.OpenForm(ctx, r, f)
	}
	id := u.ID // Commit may run the function again: it must not read what it set
	err = a.Commit(ctx, func(tx *store.Tx) (err error) {
		u, err = tx.Users().Update(id, func(s *store.User) error {
			s.Department, s.JoinYear, s.JobType, s.Posting, s.Locale = in.Department, in.JoinYear, in.JobType, in.Posting, in.Language
			return nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	_, err = r.Reply(ctx, bot.Reply{
		Ephemeral: !m.Direct,
		Text:      a.T(u, "people.profile.saved"),
		Fields:    a.profileFields(u),
	})
	return err
}

// readProfile reads a profile submission, returning localized errors per
// input for anything it cannot accept.
// With departments in depts, the department must be one of them (or
// empty); it is saved as that department's name.
func (a *Feature) readProfile(u store.User, form map[string]string, depts []store.Department) (profileInput, map[string]string) {
	errs := map[string]string{}
	var in profileInput
	var ok bool
	if in.Department, ok = formText(form, "department", maxShortText); !ok {
		errs["department"] = a.T(u, "people.error.too_long", "Max", maxShortText)
	} else if len(depts) > 0 && in.Department != "" {
		if name, ok := departmentIn(depts, in.Department); ok {
			in.Department = name
		} else {
			errs["department"] = a.T(u, "people.error.choice")
		}
	}
	if in.JobType, ok = formText(form, "job_type", maxShortText); !ok {
		errs["job_type"] = a.T(u, "people.error.too_long", "Max", maxShortText)
	}
	thisYear := a.Now().In(a.Config.Location).Year()
	if in.JoinYear, ok = parseJoinYear(form["join_year"], thisYear); !ok {
		errs["join_year"] = a.T(u, "people.error.join_year", "Min", minJoinYear, "Max", thisYear)
	}
	if in.Posting = form["posting"]; !validPosting(in.Posting) {
		errs["posting"] = a.T(u, "people.error.choice")
	}
	in.Language = handlers.LangOf(form["language"], "")
	if in.Language == "" {
		errs["language"] = a.T(u, "people.error.choice")
	}
	return in, errs
}

// profileFields shows u's profile as card fields, leaving out what is
// not filled in.
func (a *Feature) profileFields(u store.User) []bot.Field {
	var fs []bot.Field
	add := func(key, v string) {
		if v != "" {
			fs = append(fs, bot.Field{Label: a.T(u, key), Value: handlers.Clean(v)})
		}
	}
	add("people.field.department", u.Department)
	if u.JoinYear != 0 {
		add("people.field.join_year", a.T(u, "people.year", "Year", u.JoinYear))
	}
	add("people.field.job_type", u.JobType)
	add("people.field.posting", a.postingLabel(u, u.Posting))
	add("people.field.language", languageName(a.Lang(u)))
	return fs
}

// languageName is a language's name in itself.
func languageName(lang string) string {
	if lang == "en" {
		return "English"
	}
	return "日本語"
}
