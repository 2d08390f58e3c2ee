package admin

import (
	"context"
	"fmt"

	"github.com/soudan/soudan/bot"
	"github.com/soudan/soudan/handlers"
)

// backup answers /soudan admin backup: a consistent copy of the data file,
// taken while the bot serves, in the configured backup directory. It is
// audited with the file's name and size.
func (a *Feature) backup(ctx context.Context, m *bot.Message, r bot.Responder) error {
	u := handlers.UserFrom(ctx)
	if len(m.Args) > 0 {
		return a.UsageError(u, "usage.admin.backup")
	}
	if a.opt.Backup == nil {
		return bot.Errorf(bot.CodeUnavailable, "admin.error.no_backup_dir")
	}
	name, size, err := a.opt.Backup(ctx, a.Now())
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := a.Audit(u, auditBackup, fmt.Sprintf("%s (%d bytes)", name, size)); err != nil {
		return err
	}
	_, err = r.Reply(ctx, bot.Reply{Ephemeral: !m.Direct, Text: a.T(u, "admin.backup.done", "Name", name, "Size", formatSize(size))})
	return err
}

// formatSize is a byte count with thousands separators: 1,234,567.
func formatSize(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
