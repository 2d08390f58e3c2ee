package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/soudan/soudan/store"
)

// directoryCSV returns a users CSV of n Slack users, U0001…; bad maps a
// row index to a replacement line (an invalid one).
func directoryCSV(n int, bad map[int]string) string {
	var b strings.Builder
	b.WriteString("platform,workspace,user,email,name,department,join_year,job_type,posting,manager_of\n")
	depts := []string{"総務課", "人事課", "IT推進室", "国際課"}
	postings := []string{"hq", "overseas", "other"}
	for i := range n {
		if l, ok := bad[i]; ok {
			b.WriteString(l + "\n")
			continue
		}
		manager := ""
		if i%50 == 0 {
			manager = depts[i%len(depts)]
		}
		fmt.Fprintf(&b, "slack,T1,U%04d,,User %d,%s,%d,技術,%s,%s\n", i, i, depts[i%len(depts)], 1990+i%30, postings[i%3], manager)
	}
	return b.String()
}

// importRun runs soudan import users with args on the CSV content and
// returns stdout and the error of Run.
func importRun(t *testing.T, db, csv string, args ...string) (string, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.csv")
	writeFile(t, path, csv)
	return runCommand(t, append([]string{"import", "users", path, "-db", db}, args...)...)
}

// dump returns every user of db as JSON lines, without timestamps, so
// that two dumps compare the stored directory.
func dump(t *testing.T, db string) string {
	t.Helper()
	if _, err := os.Stat(db); os.IsNotExist(err) {
		return ""
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	var b strings.Builder
	err = st.View(func(tx *store.Tx) error {
		us, err := tx.Users().All()
		for _, u := range us {
			j, _ := json.Marshal(u)
			b.Write(j)
			b.WriteByte('\n')
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestImportUsersErrorsThenFixedThenIdempotent(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	seed(t, db, "キャリア")
	const n = 300
	bad := map[int]string{
		3:   "slak,T1,U0003,,User 3,総務課,2000,技術,hq,",                // line 5
		40:  "slack,T1,,,User 40,総務課,2000,技術,hq,",                   // no id, no email
		77:  "slack,T1,U0077,,User 77,総務課,1949,技術,hq,",              // year too early
		120: "slack,T1,U0120,,User 120,総務課,2099,技術,hq,",             // year in the future
		150: "slack,T1,U0151,,User 150,総務課,2000,技術,abroad,",         // posting
		151: "slack,T1,U0151,,User 151,総務課,2000,技術,hq,",             // duplicate of 150's id
		200: "teams,tenant1,,sato@example.com,Sato,総務課,2000,技術,hq,", // Teams email only
		250: "slack,,U0250,,User 250,総務課,2000,技術,hq,",               // no workspace
	}
	before := dump(t, db)
	out, err := importRun(t, db, directoryCSV(n, bad))
	if err == nil {
		t.Fatalf("import of a file with errors succeeded:\n%s", out)
	}
	wantContains(t, "import output", out,
		"300 rows checked",
		"line 5: platform \"slak\"",
		"line 42: neither a user id nor an email",
		"line 79: join year 1949 is out of range 1950..2026",
		"line 122: join year 2099 is out of range",
		"line 152: posting \"abroad\"",
		"line 153: the same user as line 152",
		"line 202: Teams user without a user id",
		"line 252: no workspace",
		"nothing applied",
	)
	if got := strings.Count(out, "\n  line "); got != len(bad) {
		t.Errorf("%d error lines, want %d:\n%s", got, len(bad), out)
	}
	if after := dump(t, db); after != before {
		t.Errorf("the store changed although the file had errors")
	}

	fixed := directoryCSV(n, nil)
	out, err = importRun(t, db, fixed)
	if err != nil {
		t.Fatalf("import of the fixed file: %v\n%s", err, out)
	}
	wantContains(t, "import output", out, "created 300, updated 0, unchanged 0", "applied in one transaction")
	applied := dump(t, db)
	if got := strings.Count(applied, "\n"); got != n {
		t.Errorf("%d users stored, want %d", got, n)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.View(func(tx *store.Tx) error {
		u, err := tx.Users().ByKey(store.UserKey{Platform: "slack", Workspace: "T1", PlatformID: "U0007"})
		if err != nil {
			return err
		}
		if u.Name != "User 7" || u.Department != "国際課" || u.JoinYear != 1997 || u.JobType != "技術" || u.Posting != "overseas" || len(u.ManagerOf) != 0 || len(u.Roles) != 0 {
			t.Errorf("U0007 = %+v", u)
		}
		ms, err := tx.Users().ManagersOf("総務 課") // U0000, U0100 and U0200
		if err != nil {
			return err
		}
		var ids []string
		for _, m := range ms {
			ids = append(ids, m.PlatformID)
		}
		if !slices.Equal(ids, []string{"U0000", "U0100", "U0200"}) {
			t.Errorf("ManagersOf(総務課) = %v, want U0000, U0100 and U0200", ids)
		}
		log, err := tx.AuditLog(0)
		if len(log) != 1 || log[0].Action != auditUsersImport || !strings.Contains(log[0].Detail, "created 300") {
			t.Errorf("audit log = %+v, want one import entry", log)
		}
		return err
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}

	out, err = importRun(t, db, fixed)
	if err != nil {
		t.Fatalf("second import: %v", err)
	}
	wantContains(t, "second import output", out, "created 0, updated 0, unchanged 300", "nothing changed")
	if again := dump(t, db); again != applied {
		t.Errorf("the second run of the same file changed the store")
	}
}

func TestImportUsersDryRunAndUpdates(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	out, err := importRun(t, db, directoryCSV(10, nil), "-dry-run")
	if err != nil {
		t.Fatalf("dry run on a new data file: %v", err)
	}
	wantContains(t, "dry run output", out, "would create 10", "dry run: nothing changed")
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("the dry run created the data file (stat: %v)", err)
	}
	if _, err := importRun(t, db, directoryCSV(10, nil)); err != nil {
		t.Fatal(err)
	}
	applied := dump(t, db)
	changed := directoryCSV(10, map[int]string{2: "slack,T1,U0002,,User 2,国際課,1992,技術,other,国際課"}) +
		"slack,T1,U0100,,New,総務課,,,,総務科\n"
	out, err = importRun(t, db, changed, "--dry-run")
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "dry run output", out, "would create 1, would update 1, unchanged 9",
		"line 4: update slack/T1/U0002: department \"IT推進室\" → \"国際課\", manager_of \"\" → \"国際課\", roles \"\" → \"manager\"",
		"line 12: create slack/T1/U0100",
		`line 12: note: manager_of "総務科" is no one's department in this file`)
	if got := dump(t, db); got != applied {
		t.Errorf("the dry run changed the store")
	}
	out, err = importRun(t, db, changed)
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "import output", out, "created 1, updated 1, unchanged 9")
}

// TestImportUsersManagerOfSeveral: a manager_of cell may name several
// departments (a 部長 over two 課), separated by ";" or "、".
func TestImportUsersManagerOfSeveral(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	csv := "platform,workspace,user,name,department,manager_of\n" +
		"slack,T1,U1,部長,総務課,総務課;人事課\n" +
		"slack,T1,U2,課員,人事課,\n" +
		"slack,T1,U3,次長,総務課,総務課、人事科\n"
	out, err := importRun(t, db, csv)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "created 3", `line 4: note: manager_of "人事科" is no one's department in this file`)
	d := dump(t, db)
	wantContains(t, "stored users", d, `"roles":["manager"],"manager_of":["総務課","人事課"]`, `"manager_of":["総務課","人事科"]`)
}

func TestImportUsersSkipInvalid(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	csv := directoryCSV(20, map[int]string{5: "slack,T1,U0005,,x,総務課,19xx,,,", 9: "line,with,too,few"})
	out, err := importRun(t, db, csv, "-skip-invalid")
	if err != nil {
		t.Fatalf("-skip-invalid: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "line 7: join year \"19xx\" is not a year", "line 11: 4 cells, the header has 10",
		"-skip-invalid: 2 lines above skipped", "created 18, updated 0")
	if got := strings.Count(dump(t, db), "\n"); got != 18 {
		t.Errorf("%d users stored, want the 18 valid ones", got)
	}
}

func TestImportUsersBOMAndJapaneseHeaders(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	csv := "\uFEFF部署,入省年,プラットフォーム,ワークスペース,ユーザーID,氏名,職種,勤務地,管理部署\r\n" +
		"総務課,２０１５,Slack,T1,U1,佐藤,事務,本省,総務課\r\n" +
		"\"人事課, 第二係\",2001年,slack,T1,U2,鈴木,技術,海外,\r\n"
	out, err := importRun(t, db, csv)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "(UTF-8 with BOM)", "created 2")
	d := dump(t, db)
	wantContains(t, "stored users", d, `"department":"総務課","join_year":2015,"job_type":"事務","posting":"hq","roles":["manager"],"manager_of":["総務課"]`,
		`"department":"人事課, 第二係","join_year":2001,"job_type":"技術","posting":"overseas"`)

	// The same rows saved by Excel as Shift_JIS, without a BOM.
	sjis, err := japanese.ShiftJIS.NewEncoder().String(strings.TrimPrefix(csv, "\uFEFF"))
	if err != nil {
		t.Fatal(err)
	}
	out, err = importRun(t, db, sjis)
	if err != nil {
		t.Fatalf("Shift_JIS import: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "(Shift_JIS (converted))", "unchanged 2", "nothing changed")
}

func TestImportUsersHeaderErrors(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	out, err := importRun(t, db, "platform,name,favourite colour\nslack,x,red\n")
	if err == nil {
		t.Fatal("a bad header was accepted")
	}
	wantContains(t, "output", out, `line 1: unknown column "favourite colour"`, "line 1: no workspace column", "no user column")
	out, err = importRun(t, db, "platform,workspace,user\nslack,T1,U1\nslack,My Team,U2\nslack,T1,sato\nteams,tenant,8c6e2f3a-0000-4000-8000-000000000000\n")
	if err == nil {
		t.Fatal("bad ids were accepted")
	}
	wantContains(t, "output", out, "4 rows checked", "1 valid, 3 lines with errors", `line 3: workspace "My Team" has spaces`,
		`line 4: user "sato" is not a Slack user id`, "line 5: user \"8c6e2f3a-0000-4000-8000-000000000000\" is not a Teams user id")
	out, err = importRun(t, db, "")
	if err == nil || !strings.Contains(out, "the file is empty") {
		t.Errorf("empty file: %v\n%s", err, out)
	}
}

func TestImportUsersBatches(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	out, err := importRun(t, db, directoryCSV(importBatch+20, nil))
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "output", out, fmt.Sprintf("created %d", importBatch+20), "applied in 2 transactions of up to 500 rows, each atomic")
}

func TestImportUsersArgs(t *testing.T) {
	t.Parallel()
	if _, err := parse(t, "import", "groups", "x.csv"); err == nil || !strings.Contains(err.Error(), "soudan import users FILE.csv") {
		t.Errorf("import groups: %v", err)
	}
	if _, err := parse(t, "import", "users"); err == nil || !strings.Contains(err.Error(), "two arguments") {
		t.Errorf("import without a file: %v", err)
	}
	// The bot token alone is enough for import (no app token or secret).
	m, err := parse(t, "import", "users", "x.csv", "-dry-run", "-slack-bot-token", "xoxb-1")
	if err != nil || !m.Config.DryRun || !slices.Equal(m.Args, []string{"users", "x.csv"}) {
		t.Errorf("flags after the arguments: %v, %+v", err, m.Args)
	}
}

// The bot holds the data file: import waits for its lock, then fails
// without writing, even for a dry run.
func TestImportUsersWhileLocked(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "soudan.db")
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, args := range [][]string{nil, {"-dry-run"}} {
		if _, err := importRun(t, db, directoryCSV(3, nil), args...); !errors.Is(err, store.ErrLocked) {
			t.Errorf("import %v of a held file = %v, want store.ErrLocked", args, err)
		}
	}
}

// The exit status: 1 for a file with errors, 0 once applied.
func TestImportUsersExitStatus(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, path := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "users.csv")
	writeFile(t, path, directoryCSV(3, map[int]string{1: "slack,T1,U1,,x,,3000,,,"}))
	var stdout, stderr strings.Builder
	if code := run(t.Context(), []string{"import", "users", path, "-db", db}, strings.NewReader(""), &stdout, &stderr); code != exitError {
		t.Errorf("exit status %d, want %d; stderr:\n%s", code, exitError, stderr.String())
	}
	writeFile(t, path, directoryCSV(3, nil))
	if code := run(t.Context(), []string{"import", "users", path, "-db", db}, strings.NewReader(""), &stdout, &stderr); code != exitOK {
		t.Errorf("exit status %d, want %d; stderr:\n%s", code, exitOK, stderr.String())
	}
}

// The example in deploy/ is a valid file.
func TestImportUsersExampleFile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../deploy/users.example.csv")
	if err != nil {
		t.Fatal(err)
	}
	f := parseUsersCSV(data, fixedNow.Year())
	if len(f.Errors) != 0 || len(f.Rows) != 3 {
		t.Errorf("deploy/users.example.csv: %d rows, errors %v; want 3 rows, no error", len(f.Rows), f.Errors)
	}
	// It imports as it is: no line needs a Slack token.
	out, err := runCommand(t, "import", "users", "../../deploy/users.example.csv", "-db", filepath.Join(t.TempDir(), "soudan.db"))
	if err != nil {
		t.Fatalf("import deploy/users.example.csv: %v\n%s", err, out)
	}
	wantContains(t, "output", out, "created 3, updated 0, unchanged 0")
}
