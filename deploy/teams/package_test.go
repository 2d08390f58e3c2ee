package teamsapp

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

const testID = "00000000-0000-0000-0000-000000000001"

// TestPackageDatesItsEntries: every entry carries the time the package was
// written, not the zero DOS date (1980-00-00).
func TestPackageDatesItsEntries(t *testing.T) {
	at := time.Date(2026, 12, 7, 17, 30, 0, 0, time.UTC)
	now = func() time.Time { return at }
	defer func() { now = time.Now }()
	var buf bytes.Buffer
	if err := WritePackage(&buf, testID); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !f.Modified.Equal(at) {
			t.Errorf("%s dated %v, want %v", f.Name, f.Modified, at)
		}
	}
}

// TestCommandListsOfferWhatNewcomersUse: each scope's list (Teams shows at
// most 10 commands) offers help, asking, tips, and in a personal chat the
// survey results and the report pages; every command has its English
// description, and no description is left over.
func TestCommandListsOfferWhatNewcomersUse(t *testing.T) {
	raw, err := Manifest(testID)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Bots []struct {
			CommandLists []struct {
				Scopes   []string `json:"scopes"`
				Commands []struct{ Title, Description string }
			} `json:"commandLists"`
		} `json:"bots"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	enRaw, err := files.ReadFile("en-us.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]string
	if err := json.Unmarshal(enRaw, &en); err != nil {
		t.Fatal(err)
	}
	lists := m.Bots[0].CommandLists
	want := map[string][]string{
		"personal": {"help", "ask", "mine", "mentors", "tip", "tip add", "survey report", "report"},
		"team":     {"help", "ask", "mentors", "tip"},
	}
	described := 0
	for li, l := range lists {
		if len(l.Commands) > 10 || len(l.Scopes) == 0 {
			t.Errorf("list %d: %d commands for %v; Teams takes at most 10", li, len(l.Commands), l.Scopes)
		}
		var titles []string
		for ci, c := range l.Commands {
			titles = append(titles, c.Title)
			if len(c.Title) > 32 || len([]rune(c.Description)) > 128 {
				t.Errorf("%q: title or description too long for Teams", c.Title)
			}
			key := "bots[0].commandLists[" + itoa(li) + "].commands[" + itoa(ci) + "].description"
			if en[key] == "" {
				t.Errorf("%q has no English description (%s)", c.Title, key)
			}
			described++
		}
		for _, w := range want[l.Scopes[0]] {
			if !slices.Contains(titles, w) {
				t.Errorf("%v lacks %q: %v", l.Scopes, w, titles)
			}
		}
	}
	n := 0
	for k := range en {
		if strings.HasPrefix(k, "bots[0].commandLists[") {
			n++
		}
	}
	if n != described {
		t.Errorf("en-us.json describes %d commands, the manifest has %d", n, described)
	}
}

func itoa(i int) string { return string(rune('0' + i)) }
