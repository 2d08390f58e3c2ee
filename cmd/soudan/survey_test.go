package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestSurveyImportAndList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "soudan.db")
	got, err := runCommand(t, "survey", "import", "-db", db, "testdata/survey-pulse.toml")
	if err != nil {
		t.Fatalf("survey import: %v", err)
	}
	wantContains(t, "import output", got, `imported survey "pulse" (Weekly pulse, 3 items)`)

	// The same id again replaces the definition.
	bad := filepath.Join(dir, "pulse.yaml")
	writeFile(t, bad, "id: pulse\ntitle: {ja: 週次, en: Weekly}\nitems:\n  - id: mood\n    kind: stars\n    title: {ja: 調子, en: Mood}\n")
	if _, err := runCommand(t, "survey", "import", "-db", db, bad); err == nil || !strings.Contains(err.Error(), `line 5: item 1 (mood): unknown kind "stars"`) {
		t.Errorf("invalid import: %v, want the line of the unknown kind", err)
	}
	got, err = runCommand(t, "survey", "import", "-db", db, "testdata/survey-pulse.yaml")
	if err != nil {
		t.Fatalf("survey import again: %v", err)
	}
	wantContains(t, "second import output", got, `replaced survey "pulse"`)
	// The same file again changes nothing and says so.
	got, err = runCommand(t, "survey", "import", "-db", db, "testdata/survey-pulse.yaml")
	if err != nil || !strings.Contains(got, `survey "pulse" from testdata/survey-pulse.yaml is already stored as it is: nothing changed`) {
		t.Errorf("the same file again: %v, %q; want nothing changed", err, got)
	}
	// One unknown key does not hide the file's other problems.
	many := filepath.Join(dir, "many.toml")
	writeFile(t, many, "id = \"many\"\ncolour = \"red\"\ntitle = { ja = \"調子\" }\n[[items]]\nid = \"q\"\nkind = \"stars\"\ntitle = { ja = \"a\", en = \"b\" }\n")
	_, err = runCommand(t, "survey", "import", "-db", db, many)
	for _, want := range []string{`line 2: unknown key "colour"`, "line 3: title: the en text is required", `unknown kind "stars"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("a file with several problems: %v, want %q among them", err, want)
		}
	}
	engagement := filepath.Join(dir, "engagement.toml")
	writeFile(t, engagement, "id = \"engagement\"\ntitle = { ja = \"a\", en = \"b\" }\n[[items]]\nid = \"q\"\nkind = \"text\"\ntitle = { ja = \"a\", en = \"b\" }\n")
	if _, err := runCommand(t, "survey", "import", "-db", db, engagement); err == nil || !strings.Contains(err.Error(), "built-in") {
		t.Errorf("importing over the built-in survey: %v, want a refusal", err)
	}

	out := session(t, db, "/soudan survey list\n")
	wantContains(t, "survey list", out, "アンケート（2件）", "engagement — 毎月のエンゲージメント調査", "組み込み",
		"pulse — 週次パルス", "取り込み: survey-pulse.yaml", "設問 3問")
	if _, err := parse(t, "survey", "import"); err == nil {
		t.Error("survey import without a file parsed")
	}
	if _, err := parse(t, "survey", "export", "x.toml"); err == nil {
		t.Error("survey export parsed; want an unknown subcommand")
	}
}
