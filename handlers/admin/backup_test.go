package admin

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/soudan/soudan/internal/testenv"
	"github.com/soudan/soudan/store"
	"github.com/soudan/soudan/store/storetest"
)

// fakeBackups records the backups the admin command asks for.
type fakeBackups struct {
	at  []time.Time
	err error
}

func (f *fakeBackups) backup(_ context.Context, now time.Time) (string, int64, error) {
	f.at = append(f.at, now)
	return "soudan-20260511-100000.db", 1234567, f.err
}

func TestAdminBackup(t *testing.T) {
	t.Parallel()
	f := &fakeBackups{}
	e := testenv.New(t, testenv.Options{Now: adminNow})
	e.Register(NewWith(e.Kit, Options{Backup: f.backup}))
	e.DefaultTopic()

	turn := e.Cmd("admin", "/soudan admin backup")
	testenv.WantReply(t, turn, e.Kit.TL("ja", "admin.backup.done", "Name", "soudan-20260511-100000.db", "Size", "1,234,567"))
	if !slices.Equal(f.at, []time.Time{adminNow}) {
		t.Errorf("backups taken at %v, want one at %v", f.at, adminNow)
	}
	if got := auditActions(e); !slices.Equal(got, []string{auditBackup}) {
		t.Errorf("audit = %v, want [backup]", got)
	}
	if es, _ := storetest.Read(e.St, func(tx *store.Tx) ([]store.AuditEntry, error) { return tx.AuditLog(1) }); len(es) != 1 || es[0].Detail != "soudan-20260511-100000.db (1234567 bytes)" {
		t.Errorf("audit entry = %+v, want the file and its size", es)
	}

	e.Cmd("山田", "/soudan help")
	testenv.WantReply(t, e.Cmd("山田", "/soudan admin backup"), e.Refusal("ja", "error.forbidden"))
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin backup now"), e.Refusal("ja", "admin.error.usage", "Usage", e.Kit.TL("ja", "usage.admin.backup")))
	if len(f.at) != 1 {
		t.Errorf("backups taken = %d, want only the admin's", len(f.at))
	}

	f.err = errors.New("disk full")
	turn = e.Cmd("admin", "/soudan admin バックアップ")
	if len(f.at) != 2 || len(auditActions(e)) != 1 {
		t.Errorf("a failed backup: taken %d, audit %v; want it tried and not audited", len(f.at), auditActions(e))
	}
	if len(turn.Replies) != 1 || turn.Replies[0].Text == "" {
		t.Errorf("a failed backup: replies = %q, want an error reply", testenv.ReplyTexts(turn))
	}
}

// Without a backup directory the command says so, in the user's language.
func TestAdminBackupWithoutDirectory(t *testing.T) {
	t.Parallel()
	e := newAdminEnv(t)
	testenv.WantReply(t, e.Cmd("admin", "/soudan admin backup"), e.Refusal("ja", "admin.error.no_backup_dir"))
	if got := auditActions(e); len(got) != 0 {
		t.Errorf("audit = %v, want empty", got)
	}
	en := newAdminEnv(t) // a user's language is set when the bot first meets them
	testenv.WantReply(t, en.CmdEN("admin", "/soudan admin backup"), en.Refusal("en", "admin.error.no_backup_dir"))
}
