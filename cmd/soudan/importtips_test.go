package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/soudan/soudan/handlers/knowledge"
	"github.com/soudan/soudan/store"
)

// tipsJSONL is a JSON Lines export of another system; line 3 has no
// title and line 5 a bad link.
const tipsJSONL = `{"id": "t001", "title": "VPN に接続できない", "body": "クライアントを更新してから再接続します。", "topic": "IT・Teams", "tags": ["VPN", "在宅勤務"], "lang": "ja"}
{"id": "t002", "title": "休暇の手引き", "body": "年休は前日までに申請します。", "topic": "人事", "links": ["https://intra.example.jp/leave"], "lang": "ja"}
{"id": "t003", "title": "", "body": "タイトルがない"}

{"id": "t004", "title": "Manuals", "body": "See the links.", "links": ["ftp://old.example.jp/m"], "lang": "en"}
{"id": "t005", "title": "Teams manual", "body": "Where the Teams manual is.", "topic": "IT・Teams", "links": ["https://intra.example.jp/teams"], "lang": "en"}
`

// storedRecords are the tips of db as an export sees them.
func storedRecords(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	defer st.Close()
	recs, err := knowledge.Records(st)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		out = append(out, strings.Join([]string{r.ID, r.Title, r.Body, r.Topic, strings.Join(r.Tags, ","), strings.Join(r.Links, ","), r.Lang}, "|"))
	}
	return out
}

func TestImportTipsReportsBadLinesAndIsIdempotent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, file := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "tips.jsonl")
	writeFile(t, file, tipsJSONL)

	out, err := runCommand(t, "import", "tips", file, "-db", db, "-dry-run")
	if !errors.Is(err, errTipsRefused) {
		t.Fatalf("dry run: err = %v, want the bad lines reported", err)
	}
	for _, w := range []string{file + ":3: title is missing", file + ":5: link \"ftp://old.example.jp/m\"", "3 would be created, 0 would be updated, 0 unchanged", "dry run: nothing changed"} {
		if !strings.Contains(out, w) {
			t.Errorf("dry run output:\n%s\nwant %q in it", out, w)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("dry run created the data file: %v", err)
	}

	out, err = runCommand(t, "import", "tips", file, "-db", db)
	if !errors.Is(err, errTipsRefused) || !strings.Contains(out, "3 created, 0 updated, 0 unchanged") || !strings.Contains(out, "new topics created: IT・Teams, 人事") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	first := storedRecords(t, db)
	if len(first) != 3 || !strings.HasPrefix(first[0], "t001|VPN に接続できない|") || !strings.HasPrefix(first[2], "t005|") {
		t.Fatalf("stored %q, want t001, t002 and t005", first)
	}

	// The same file again changes nothing; a fixed file updates in place.
	if out, _ := runCommand(t, "import", "tips", file, "-db", db); !strings.Contains(out, "0 created, 0 updated, 3 unchanged") {
		t.Errorf("second import:\n%s", out)
	}
	fixed := strings.Replace(tipsJSONL, `"title": ""`, `"title": "タイトルを足した"`, 1)
	fixed = strings.Replace(fixed, "ftp://", "https://", 1)
	fixed = strings.Replace(fixed, "年休は前日までに申請します。", "年休は3日前までに申請します。", 1)
	writeFile(t, file, fixed)
	out, err = runCommand(t, "import", "tips", file, "-db", db, "-dry-run")
	if err != nil || !strings.Contains(out, "2 would be created, 1 would be updated, 2 unchanged") {
		t.Errorf("dry run of the fixed file: %v\n%s", err, out)
	}
	if got := storedRecords(t, db); !reflect.DeepEqual(got, first) {
		t.Errorf("dry run changed the tips: %q", got)
	}
	out, err = runCommand(t, "import", "tips", file, "-db", db)
	if err != nil || !strings.Contains(out, "2 created, 1 updated, 2 unchanged") {
		t.Errorf("import of the fixed file: %v\n%s", err, out)
	}
	got := storedRecords(t, db)
	if len(got) != 5 || !strings.Contains(got[1], "3日前") {
		t.Errorf("after the fixed file: %q", got)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, fresh, file, out := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "tips.jsonl"), filepath.Join(dir, "wiki")
	writeFile(t, file, strings.Replace(strings.Replace(tipsJSONL, `"title": ""`, `"title": "t/3: スラッシュ"`, 1), "ftp://", "https://", 1))
	if _, err := runCommand(t, "import", "tips", file, "-db", db); err != nil {
		t.Fatal(err)
	}
	// A tip added in soudan, without a topic, exports as soudan-ID.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(tx *store.Tx) error {
		_, err := tx.CreateTip(store.Tip{Title: "複合機のトナー交換", Body: "総務に連絡します。\n\n---\n\n内線 1234", Tags: []string{"複合機"}, Author: 1, Lang: "ja"})
		return err
	})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if o, err := runCommand(t, "export", "knowledge", out, "-db", db); err != nil || !strings.Contains(o, "wrote 6 tips") {
		t.Fatalf("export: %v\n%s", err, o)
	}
	md, err := os.ReadFile(filepath.Join(out, "IT・Teams", "t001 VPN に接続できない.md"))
	if err != nil || !strings.HasPrefix(string(md), "---\nid: t001\ntitle: VPN に接続できない\ntopic: IT・Teams\n") || !strings.Contains(string(md), "\n# VPN に接続できない\n\nクライアントを") {
		t.Errorf("t001's file: %v\n%s", err, md)
	}
	if _, err := os.Stat(filepath.Join(out, "_no_topic", "soudan-6 複合機のトナー交換.md")); err != nil {
		t.Errorf("the tip without a topic: %v", err)
	}
	if _, err := runCommand(t, "export", "knowledge", out, "-db", db); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("export into a used directory: err = %v, want a refusal", err)
	}
	if o, err := runCommand(t, "import", "tips", out, "-db", fresh); err != nil || !strings.Contains(o, "6 created") {
		t.Fatalf("import of the export: %v\n%s", err, o)
	}
	a, b := storedRecords(t, db), storedRecords(t, fresh)
	slices.Sort(a)
	slices.Sort(b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip:\n%q\n%q", a, b)
	}
	if o, _ := runCommand(t, "import", "tips", out, "-db", fresh); !strings.Contains(o, "0 created, 0 updated, 6 unchanged") {
		t.Errorf("importing the export again:\n%s", o)
	}
}

// TestLargeImportCompacts: an import of many tips compacts the data file
// after it (the search then reads half the pages), and the tips are all
// there and found.
func TestLargeImportCompacts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, file := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "tips.jsonl")
	var b strings.Builder
	for i := range compactAfterImport {
		fmt.Fprintf(&b, `{"id": "g%04d", "title": "手続き%d の手引き", "body": "申請書%d を提出してから承認を待ちます。VPN 接続は不要です。", "topic": "総務", "lang": "ja"}`+"\n", i, i, i)
	}
	writeFile(t, file, b.String())
	out, err := runCommand(t, "import", "tips", file, "-db", db)
	if err != nil || !strings.Contains(out, fmt.Sprintf("%d created", compactAfterImport)) || !strings.Contains(out, "compacted "+db+" after the import") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if got := storedRecords(t, db); len(got) != compactAfterImport {
		t.Errorf("stored %d tips, want %d", len(got), compactAfterImport)
	}
	// A small import does not compact.
	writeFile(t, file, tipsJSONL)
	if out, _ := runCommand(t, "import", "tips", file, "-db", db); strings.Contains(out, "compacted") {
		t.Errorf("a small import compacted:\n%s", out)
	}
}
