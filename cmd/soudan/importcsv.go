package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/width"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/text"
)

// minImportJoinYear is the earliest join year the directory import accepts
// (the profile form's minimum too).
const minImportJoinYear = 1950

// Columns of the users CSV.
const (
	colPlatform   = "platform"
	colWorkspace  = "workspace"
	colUser       = "user"
	colEmail      = "email"
	colName       = "name"
	colDepartment = "department"
	colJoinYear   = "join_year"
	colJobType    = "job_type"
	colPosting    = "posting"
	colManagerOf  = "manager_of"
)

// importColumns are the columns in the order the help and errors list them.
var importColumns = []string{colPlatform, colWorkspace, colUser, colEmail, colName, colDepartment, colJoinYear, colJobType, colPosting, colManagerOf}

// columnAliases are the header names of each column besides its own name.
// Headers are compared after text.Fold, so case, width, spaces, "-", "_"
// and "." do not matter: "Join Year", "JOIN_YEAR" and "join-year" are one.
var columnAliases = map[string][]string{
	colPlatform:   {"プラットフォーム", "基盤"},
	colWorkspace:  {"team", "team_id", "tenant", "tenant_id", "ワークスペース", "テナント", "テナントID"},
	colUser:       {"user_id", "id", "platform_id", "slack_id", "teams_id", "ユーザー", "ユーザーID", "ユーザID"},
	colEmail:      {"e-mail", "mail", "メール", "メールアドレス"},
	colName:       {"氏名", "名前", "表示名"},
	colDepartment: {"dept", "部署", "所属", "部署名"},
	colJoinYear:   {"joined", "入省年", "入省年度", "入社年", "入社年度", "入庁年", "入庁年度"},
	colJobType:    {"job", "職種"},
	colPosting:    {"勤務地", "配属", "勤務区分"},
	colManagerOf:  {"manages", "管理部署", "管理する部署", "マネージャー部署"},
}

// headerColumns maps a folded header name to its column.
var headerColumns = func() map[string]string {
	m := make(map[string]string)
	for _, c := range importColumns {
		m[text.Fold(c)] = c
		for _, a := range columnAliases[c] {
			m[text.Fold(a)] = c
		}
	}
	return m
}()

// postingValues maps a folded posting cell to its store value.
var postingValues = map[string]string{
	"hq": store.PostingHQ, "本社": store.PostingHQ, "本省": store.PostingHQ, "本庁": store.PostingHQ,
	"overseas": store.PostingOverseas, "海外": store.PostingOverseas, "在外": store.PostingOverseas,
	"other": store.PostingOther, "その他": store.PostingOther,
}

// importRow is one valid line of the users CSV. An empty field (0 for
// JoinYear) leaves what is stored; the import never clears a field.
type importRow struct {
	Line      int // the line the row starts on, counting the header as 1
	Platform  string
	Workspace string
	UserID    string // empty when only Email is given, until it is looked up
	Email     string
	Name      string
	Dept      string
	JoinYear  int
	JobType   string
	Posting   string
	ManagerOf string
}

// key is the row's platform key; UserID must be set.
func (r importRow) key() store.UserKey {
	return store.UserKey{Platform: r.Platform, Workspace: r.Workspace, PlatformID: r.UserID}
}

// lineError is an error on one line of the file.
type lineError struct {
	Line int
	Msg  string
}

func (e lineError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// importDefaults are the platform and workspace of rows that give none
// (a directory export from HR has neither column): set when the data file
// and the settings know exactly one workspace.
type importDefaults struct {
	Platform, Workspace string
	From                string // where they come from, for the report
}

// usersFile is a parsed users CSV: its valid rows and the errors of the
// others, both in line order.
type usersFile struct {
	Encoding  string // how the bytes were read, for the report
	Checked   int    // the rows read after the header, blank ones aside
	Rows      []importRow
	Errors    []lineError
	Defaulted int // rows given the default platform and workspace
	def       importDefaults
}

// addError records an error on line.
func (f *usersFile) addError(line int, format string, args ...any) {
	f.Errors = append(f.Errors, lineError{line, fmt.Sprintf(format, args...)})
}

// sortErrors orders the errors by line, keeping the order within a line.
func (f *usersFile) sortErrors() {
	slices.SortStableFunc(f.Errors, func(a, b lineError) int { return a.Line - b.Line })
}

// decodeCSVBytes returns data as UTF-8 text without a byte order mark and
// names the encoding it was read in. Bytes that are not valid UTF-8 are
// read as Shift_JIS (Excel's "CSV" on Japanese Windows); if they are not
// valid Shift_JIS either, it fails.
func decodeCSVBytes(data []byte) (string, string, error) {
	if b, ok := bytes.CutPrefix(data, []byte("\uFEFF")); ok {
		if !utf8.Valid(b) {
			return "", "", errors.New("the file starts with a UTF-8 byte order mark but is not valid UTF-8")
		}
		return string(b), "UTF-8 with BOM", nil
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8", nil
	}
	s, err := japanese.ShiftJIS.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(s) || bytes.ContainsRune(s, utf8.RuneError) {
		return "", "", errors.New("the file is neither UTF-8 nor Shift_JIS; save it as \"CSV UTF-8\"")
	}
	return string(s), "Shift_JIS (converted)", nil
}

// parseUsersCSV reads and checks a users CSV: the header, then every row.
// Rows with an error are reported by line, not returned; lines whose cells
// are all empty are skipped. thisYear bounds the join year. It never
// panics, whatever data holds (FuzzParseUsersCSV).
func parseUsersCSV(data []byte, thisYear int) usersFile {
	return parseUsersCSVWith(data, thisYear, importDefaults{})
}

// parseUsersCSVWith is parseUsersCSV with defaults for the platform and
// workspace of rows that give none (none when def is zero).
func parseUsersCSVWith(data []byte, thisYear int, def importDefaults) usersFile {
	f := usersFile{def: def}
	s, enc, err := decodeCSVBytes(data)
	if err != nil {
		f.addError(1, "%v", err)
		return f
	}
	f.Encoding = enc
	r := csv.NewReader(strings.NewReader(s))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		f.addError(1, "the file is empty; the first line must name the columns (%s)", strings.Join(importColumns, ", "))
		return f
	}
	if err != nil {
		f.addError(1, "header: %v", csvMessage(err))
		return f
	}
	cols, ok := f.readHeader(header)
	if !ok {
		return f
	}
	seenKey := map[string]int{}   // platform key → first line
	seenEmail := map[string]int{} // platform, workspace and email → first line
	lastBad := -1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			if line == lastBad { // no progress: give up rather than loop
				break
			}
			lastBad = line
			f.Checked++
			f.addError(line, "%v", csvMessage(err))
			continue
		}
		line, _ := r.FieldPos(0)
		if !slices.ContainsFunc(rec, func(c string) bool { return strings.TrimSpace(c) != "" }) {
			continue
		}
		f.Checked++
		if len(rec) != len(header) {
			f.addError(line, "%d cells, the header has %d", len(rec), len(header))
			continue
		}
		row, ok := f.readRow(line, rec, cols, thisYear)
		// A line repeating another is an error even when either has
		// other errors too.
		if row.Platform != "" && row.Workspace != "" {
			seen, k, what := seenKey, userKeyString(row.key()), "user"
			if row.UserID == "" {
				seen, k, what = seenEmail, row.Platform+"/"+row.Workspace+"/"+strings.ToLower(row.Email), "email"
			}
			if first, dup := seen[k]; dup && (row.UserID != "" || row.Email != "") {
				f.addError(line, "the same %s as line %d", what, first)
				ok = false
			} else if !dup {
				seen[k] = line
			}
		}
		if ok {
			f.Rows = append(f.Rows, row)
		}
	}
	f.sortErrors()
	return f
}

// userKeyString shows a platform key: platform/workspace/id.
func userKeyString(k store.UserKey) string {
	return k.Platform + "/" + k.Workspace + "/" + k.PlatformID
}

// csvMessage is a CSV syntax error without its "record on line N" prefix,
// which the caller reports its own way.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "CSV syntax: " + pe.Err.Error()
	}
	return err.Error()
}

// readHeader maps each column to its index in the header; -1 for absent
// columns. It reports unknown and repeated columns, and fails when a
// column every row needs is missing.
func (f *usersFile) readHeader(header []string) (map[string]int, bool) {
	cols := make(map[string]int, len(importColumns))
	for _, c := range importColumns {
		cols[c] = -1
	}
	for i, h := range header {
		h = strings.TrimSpace(h)
		c, ok := headerColumns[text.Fold(h)]
		switch {
		case h == "":
			f.addError(1, "column %d has no name", i+1)
		case !ok:
			f.addError(1, "unknown column %q; the columns are %s", h, strings.Join(importColumns, ", "))
		case cols[c] >= 0:
			f.addError(1, "column %q repeats column %d (%s)", h, cols[c]+1, c)
		default:
			cols[c] = i
		}
	}
	ok := true
	var missing []string
	for _, c := range []string{colPlatform, colWorkspace} {
		if cols[c] < 0 && f.def.Platform == "" {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		f.addError(1, "no %s column, and the data file and settings know no single workspace to use (%s): add the platform and workspace columns", strings.Join(missing, " or "), f.def.From)
		ok = false
	}
	if cols[colUser] < 0 && cols[colEmail] < 0 {
		f.addError(1, "no user column (the platform's user id) and no email column; give one of them")
		ok = false
	}
	return cols, ok && len(f.Errors) == 0
}

// readRow checks one record. It reports every error of the line and
// returns ok only when there is none.
func (f *usersFile) readRow(line int, rec []string, cols map[string]int, thisYear int) (importRow, bool) {
	cell := func(c string) string {
		if i := cols[c]; i >= 0 {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	before := len(f.Errors)
	bad := func(format string, args ...any) { f.addError(line, format, args...) }
	row := importRow{
		Line:      line,
		Workspace: cell(colWorkspace),
		UserID:    cell(colUser),
		Email:     cell(colEmail),
		Name:      cell(colName),
		Dept:      cell(colDepartment),
		JobType:   cell(colJobType),
		ManagerOf: cell(colManagerOf),
	}
	platform := cell(colPlatform)
	if platform == "" && row.Workspace == "" && f.def.Platform != "" {
		// Neither given: the one workspace the data file and settings know.
		platform, row.Workspace = f.def.Platform, f.def.Workspace
		f.Defaulted++
	}
	switch p := text.Fold(platform); p {
	case bot.PlatformSlack, bot.PlatformTeams:
		row.Platform = p
	case "":
		bad("no platform; want slack or teams")
	default:
		bad("platform %q; want slack or teams", platform)
	}
	if row.Workspace == "" {
		bad("no workspace (the Slack team id, T…, or the Teams tenant id)")
	} else if strings.ContainsFunc(row.Workspace, isSpaceOrControl) {
		bad("workspace %q has spaces in it", row.Workspace)
	}
	switch {
	case strings.ContainsFunc(row.UserID, isSpaceOrControl):
		bad("user id %q has spaces in it", row.UserID)
	case row.Platform == bot.PlatformSlack && row.UserID != "" && !slackID(row.UserID, "UW"):
		bad("user %q is not a Slack user id (U… or W…, as in the member's profile: Copy member ID)", row.UserID)
	case row.Platform == bot.PlatformSlack && row.Workspace != "" && !slackID(row.Workspace, "TE"):
		bad("workspace %q is not a Slack team id (T…), the id, not the workspace's name", row.Workspace)
	case row.Platform == bot.PlatformTeams && row.UserID != "" && !strings.HasPrefix(row.UserID, "29:"):
		bad("user %q is not a Teams user id: soudan knows Teams users by the 29:… id their messages carry, not the Entra object id or the email", row.UserID)
	}
	if row.Email != "" && !plausibleEmail(row.Email) {
		bad("email is not an address (want name@example.com)")
	}
	switch {
	case row.UserID == "" && row.Email == "":
		bad("neither a user id nor an email")
	case row.UserID == "" && row.Platform == bot.PlatformTeams:
		bad("Teams user without a user id: Teams knows a user by the id its messages carry (29:…), which cannot be found from an email; give the user column")
	}
	if y := cell(colJoinYear); y != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(width.Narrow.String(y), "年"))
		switch {
		case err != nil:
			bad("join year %q is not a year", y)
		case n < minImportJoinYear || n > thisYear:
			bad("join year %d is out of range %d..%d", n, minImportJoinYear, thisYear)
		default:
			row.JoinYear = n
		}
	}
	if p := cell(colPosting); p != "" {
		v, ok := postingValues[text.Fold(p)]
		if !ok {
			bad("posting %q; want hq, overseas or other", p)
		}
		row.Posting = v
	}
	for _, c := range []struct {
		name, v string
	}{{colName, row.Name}, {colDepartment, row.Dept}, {colJobType, row.JobType}, {colManagerOf, row.ManagerOf}} {
		if n := utf8.RuneCountInString(c.v); n > maxImportText {
			bad("%s is %d characters; at most %d", c.name, n, maxImportText)
		}
	}
	return row, len(f.Errors) == before
}

// maxImportText is the longest name, department, job type or manager_of
// cell accepted.
const maxImportText = 200

// slackID reports whether s is a Slack id whose first letter is one of
// first, then upper-case letters and digits.
func slackID(s, first string) bool {
	return len(s) >= 2 && strings.ContainsRune(first, rune(s[0])) &&
		!strings.ContainsFunc(s, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') })
}

// isSpaceOrControl reports whether r has no place in an id.
func isSpaceOrControl(r rune) bool {
	return r <= ' ' || r == 0x7f || r == '\u3000' || r == utf8.RuneError
}

// plausibleEmail reports whether s looks like an email address: one @
// with something on both sides and no spaces. Slack decides the rest.
func plausibleEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && domain != "" && !strings.Contains(domain, "@") &&
		!strings.ContainsFunc(s, isSpaceOrControl)
}
