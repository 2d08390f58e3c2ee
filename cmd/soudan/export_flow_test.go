package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/soudan/soudan/bot/bottest"
	"github.com/soudan/soudan/store"
)

// exportDoc is the JSON export, decoded loosely.
type exportDoc struct {
	Format        string               `json:"format"`
	Users         []store.User         `json:"users"`
	Mentors       []store.Mentor       `json:"mentors"`
	Consultations []store.Consultation `json:"consultations"`
	Tips          []store.Tip          `json:"tips"`
	Audit         []store.AuditEntry   `json:"audit"`
	Topics        []store.Topic        `json:"topics"`
}

// exportOf writes st's JSON export and decodes it.
func exportOf(t *testing.T, st *store.Store) (string, exportDoc) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := st.WriteJSON(&buf); err != nil {
		t.Fatalf("WriteJSON: %v", err)
	}
	var doc exportDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("export does not parse: %v\n%s", err, buf.String())
	}
	return buf.String(), doc
}

// A populated bot exports as JSON with every section, and never names an
// anonymous asker; after forget, the person is nowhere in it.
func TestExportAndForgetFlow(t *testing.T) {
	t.Parallel()
	fe := newFlowEnv(t, 3, nil)
	sato := fe.Mentor("佐藤", "キャリア")
	fe.OK(bottest.Command("田中", "/soudan ask キャリア 異動希望はいつ出せばよいですか"))
	fe.OK(bottest.Command("山田", "/soudan ask --anon キャリア 上司との関係に悩んでいます"))
	tanaka := fe.Known("田中")
	yamada := fe.Known("山田")
	fe.Mentor("田中", "キャリア")
	if err := fe.St.Update(func(tx *store.Tx) error {
		_, err := tx.CreateTip(store.Tip{Title: "引継ぎ書の書き方", Body: "前任者に聞く", Author: tanaka.ID})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	fe.OK(bottest.Command("admin", "/soudan admin grant 田中 hr"))

	raw, doc := exportOf(t, fe.St)
	if doc.Format != store.ExportFormat || len(doc.Consultations) != 2 || len(doc.Tips) != 1 || len(doc.Mentors) != 2 || len(doc.Topics) < 2 {
		t.Fatalf("export: %d consultations, %d tips, %d mentors, %d topics; want 2, 1, 2, >=2", len(doc.Consultations), len(doc.Tips), len(doc.Mentors), len(doc.Topics))
	}
	for _, c := range doc.Consultations {
		switch {
		case c.Anonymous && c.AskerID != 0:
			t.Errorf("anonymous consultation %d names asker %d", c.ID, c.AskerID)
		case c.Anonymous:
			b, _ := json.Marshal(c)
			if bytes.Contains(b, []byte("dm:山田")) {
				t.Errorf("anonymous consultation %d keeps the asker's DM: %s", c.ID, b)
			}
			for _, m := range c.Messages {
				if m.AuthorID == yamada.ID {
					t.Errorf("anonymous consultation %d: message by the asker %d", c.ID, yamada.ID)
				}
			}
			for _, h := range c.History {
				if h.By == yamada.ID {
					t.Errorf("anonymous consultation %d: history by the asker %d", c.ID, yamada.ID)
				}
			}
		case c.AskerID != tanaka.ID:
			t.Errorf("consultation %d: asker %d; want 田中 %d", c.ID, c.AskerID, tanaka.ID)
		}
	}
	if !strings.Contains(raw, "田中") {
		t.Fatal("田中 absent before forget: the test proves nothing")
	}

	fe.OK(bottest.Command("admin", "/soudan admin forget 田中 --yes"))
	raw, doc = exportOf(t, fe.St)
	if strings.Contains(raw, "田中") {
		for _, line := range strings.Split(raw, "\n") {
			if strings.Contains(line, "田中") {
				t.Errorf("after forget the export still names 田中: %s", line)
			}
		}
	}
	if len(doc.Consultations) != 2 || len(doc.Tips) != 1 || doc.Tips[0].Author != 0 || len(doc.Mentors) != 1 || doc.Mentors[0].UserID != sato.ID {
		t.Errorf("after forget: consultations %d, tips %+v, mentors %+v", len(doc.Consultations), doc.Tips, doc.Mentors)
	}
	if last := doc.Audit[len(doc.Audit)-1]; last.Action != "forget" || !strings.HasPrefix(last.Detail, "#") {
		t.Errorf("last audit entry: %+v; want the forget, by id", last)
	}
}

func TestExportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, out := filepath.Join(dir, "soudan.db"), filepath.Join(dir, "export.json")
	seed(t, db, "キャリア")
	got, err := runCommand(t, "export", "json", out, "-db", db)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if !strings.Contains(got, "topics 1") {
		t.Errorf("export said %q; want the counts", got)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v, %v; want mode 0600", fi, err)
	}
	data, _ := os.ReadFile(out)
	var doc exportDoc
	if err := json.Unmarshal(data, &doc); err != nil || len(doc.Topics) != 1 || doc.Topics[0].Name != "キャリア" {
		t.Errorf("export file: %+v, %v", doc, err)
	}
	if _, err := runCommand(t, "export", "json", out, "-db", db); err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("export over an existing file: %v; want a refusal naming -force", err)
	}
	if _, err := runCommand(t, "export", "json", out, "-db", db, "-force"); err != nil {
		t.Errorf("export -force: %v", err)
	}
	if _, err := parse(t, "export", "csv", out); err == nil || !strings.Contains(err.Error(), "soudan export json FILE") {
		t.Errorf("export csv: %v; want the usage", err)
	}
}
