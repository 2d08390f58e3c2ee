package survey

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
	"github.com/soudan/soudan/handlers/survey/surveydef"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// Audiences of a round.
const (
	audEveryone = "everyone"
	audYears    = "years" // joined within the last N years
	audDept     = "dept"
	audRole     = "role"
)

// Limits of a round's settings.
const (
	defaultYears   = 8  // the engagement survey asks staff up to their 8th year
	defaultK       = 5  // the usual minimum group size
	defaultKText   = 10 // comments need a larger group
	minK, maxK     = 3, 50
	defaultDays    = 14 // days a round stays open
	maxDays        = 60
	maxSpecDepts   = 20
	maxSpecArgLen  = 200
	specDateFormat = "2006-01-02"
	// specSep separates the parts of a spec's String form (department
	// names may hold spaces).
	specSep = "\n"
)

// sendSpec is a parsed "survey send SURVEY [audience] [options]": which
// survey, who is asked, and the round's settings. Its String form is what
// the confirmation button carries back.
type sendSpec struct {
	survey   string
	audience string // audEveryone, audYears, audDept or audRole
	years    int
	depts    []string
	role     string
	mode     string // store.SurveyAnonymous or store.SurveyConfidential; "" the survey's default
	k        int    // 0: the survey's default
	deadline string // specDateFormat; "" for defaultDays after opening
}

// specKeys maps every accepted key, normalised, to its canonical name.
var specKeys = map[string]string{
	"years": "years", "year": "years", "年次": "years", "年数": "years", "入庁": "years",
	"dept": "dept", "department": "dept", "departments": "dept", "部署": "dept", "所属": "dept",
	"role": "role", "役割": "role", "ロール": "role",
	"mode": "mode", "方式": "mode", "モード": "mode",
	"k": "k", "最小人数": "k",
	"deadline": "deadline", "締切": "deadline", "締め切り": "deadline", "期限": "deadline",
}

var (
	everyoneWords     = []string{"everyone", "all", "全員", "全職員"}
	anonymousWords    = []string{"anonymous", "anon", "匿名"}
	confidentialWords = []string{"confidential", "記名", "機密", "記名式"}
	roleNames         = map[string]string{"mentor": "mentor", "メンター": "mentor", store.RoleManager: store.RoleManager, "管理職": store.RoleManager, store.RoleHR: store.RoleHR, "人事": store.RoleHR, store.RoleAdmin: store.RoleAdmin, "管理者": store.RoleAdmin}
)

// parseSpec reads the arguments of survey send. It refuses with the
// catalog key of what is wrong; it does not check the survey exists.
func parseSpec(args []string) (sendSpec, *bot.Error) {
	if len(args) == 0 {
		return sendSpec{}, bot.Errorf(bot.CodeUsage, "survey.error.no_survey")
	}
	sp := sendSpec{survey: strings.TrimSpace(text.Normalize(args[0]))}
	if sp.survey == "" || len(sp.survey) > surveydef.MaxID {
		return sendSpec{}, bot.Errorf(bot.CodeUsage, "survey.error.no_survey")
	}
	for _, a := range args[1:] {
		if len(a) > maxSpecArgLen {
			return sendSpec{}, bot.Errorf(bot.CodeInvalid, "survey.error.bad_arg", "Arg", clip(a))
		}
		n := strings.TrimSpace(text.Normalize(a))
		n = strings.TrimLeft(n, "-")
		if n == "" {
			continue
		}
		if slices.Contains(everyoneWords, n) {
			if err := sp.setAudience(audEveryone, a); err != nil {
				return sendSpec{}, err
			}
			continue
		}
		if slices.Contains(anonymousWords, n) {
			sp.mode = store.SurveyAnonymous
			continue
		}
		if slices.Contains(confidentialWords, n) {
			sp.mode = store.SurveyConfidential
			continue
		}
		key, val, ok := strings.Cut(n, "=")
		canon, known := specKeys[strings.TrimSpace(key)]
		val = strings.TrimSpace(val)
		if !ok || !known || val == "" {
			return sendSpec{}, bot.Errorf(bot.CodeInvalid, "survey.error.bad_arg", "Arg", clip(a))
		}
		if err := sp.set(canon, val, a); err != nil {
			return sendSpec{}, err
		}
	}
	return sp, nil
}

// set applies one key=value of the spec.
func (sp *sendSpec) set(key, val, raw string) *bot.Error {
	bad := func() *bot.Error { return bot.Errorf(bot.CodeInvalid, "survey.error.bad_"+key, "Arg", clip(raw)) }
	switch key {
	case "years":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > 60 {
			return bad()
		}
		if err := sp.setAudience(audYears, raw); err != nil {
			return err
		}
		sp.years = n
	case "dept":
		var depts []string
		for _, d := range strings.FieldsFunc(val, func(r rune) bool { return r == ',' || r == '、' }) {
			if d = strings.TrimSpace(d); d != "" && !slices.Contains(depts, d) {
				depts = append(depts, d)
			}
		}
		if len(depts) == 0 || len(depts) > maxSpecDepts {
			return bad()
		}
		if err := sp.setAudience(audDept, raw); err != nil {
			return err
		}
		sp.depts = depts
	case "role":
		r, ok := roleNames[val]
		if !ok {
			return bad()
		}
		if err := sp.setAudience(audRole, raw); err != nil {
			return err
		}
		sp.role = r
	case "mode":
		switch {
		case slices.Contains(anonymousWords, val):
			sp.mode = store.SurveyAnonymous
		case slices.Contains(confidentialWords, val):
			sp.mode = store.SurveyConfidential
		default:
			return bad()
		}
	case "k":
		n, err := strconv.Atoi(val)
		if err != nil || n < minK || n > maxK {
			return bot.Errorf(bot.CodeInvalid, "survey.error.bad_k", "Arg", clip(raw), "Min", minK, "Max", maxK)
		}
		sp.k = n
	case "deadline":
		val = strings.NewReplacer("/", "-", ".", "-").Replace(val)
		t, err := time.Parse(specDateFormat, val)
		if err != nil {
			return bad()
		}
		sp.deadline = t.Format(specDateFormat)
	}
	return nil
}

// setAudience records who a round asks. A round has one audience: a
// second, different one ("dept=総務課 years=3") is refused rather than
// one of them silently winning.
func (sp *sendSpec) setAudience(aud, raw string) *bot.Error {
	if sp.audience != "" && sp.audience != aud {
		return bot.Errorf(bot.CodeInvalid, "survey.error.two_audiences", "Arg", clip(raw))
	}
	sp.audience = aud
	return nil
}

// clip shortens a user's argument for an error message.
func clip(s string) string { return handlers.Excerpt(handlers.Clean(s), 40) }

// withDefaults fills in what the admin left out: the survey's mode and
// minimum group size (anonymous and 5 unless its definition says
// otherwise) and its audience (the engagement survey staff up to their
// 8th year, any other everyone).
func (sp sendSpec) withDefaults(s store.Survey) sendSpec {
	if sp.mode == "" {
		sp.mode = cmp.Or(s.Mode, store.SurveyAnonymous)
	}
	if sp.k == 0 {
		sp.k = cmp.Or(s.MinGroup, defaultK)
	}
	if sp.audience == "" {
		sp.audience = audEveryone
		if sp.survey == surveydef.EngagementID {
			sp.audience, sp.years = audYears, defaultYears
		}
	}
	return sp
}

// String is the spec in the form parseSpec reads back.
func (sp sendSpec) String() string {
	parts := []string{sp.survey}
	switch sp.audience {
	case audEveryone:
		parts = append(parts, audEveryone)
	case audYears:
		parts = append(parts, "years="+strconv.Itoa(sp.years))
	case audDept:
		parts = append(parts, "dept="+strings.Join(sp.depts, ","))
	case audRole:
		parts = append(parts, "role="+sp.role)
	}
	if sp.mode != "" {
		parts = append(parts, "mode="+sp.mode)
	}
	if sp.k != 0 {
		parts = append(parts, "k="+strconv.Itoa(sp.k))
	}
	if sp.deadline != "" {
		parts = append(parts, "deadline="+sp.deadline)
	}
	return strings.Join(parts, specSep)
}

// fiscalYear is the Japanese fiscal year (April to March) of t.
func fiscalYear(t time.Time) int {
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// Tenure bands reports group people by, from their join year.
const (
	band1to2  = "1-2"
	band3to5  = "3-5"
	band6to8  = "6-8"
	band9plus = "9+"
)

// bands are the tenure bands in order; "" (join year not set) last.
var bands = []string{band1to2, band3to5, band6to8, band9plus, ""}

// tenureBand is the band of someone who joined in joinYear, in the fiscal
// year of t (the year they join is their first).
func tenureBand(joinYear int, t time.Time) string {
	if joinYear == 0 {
		return ""
	}
	switch y := fiscalYear(t) - joinYear + 1; {
	case y <= 2:
		return band1to2
	case y <= 5:
		return band3to5
	case y <= 8:
		return band6to8
	default:
		return band9plus
	}
}
