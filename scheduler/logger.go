package scheduler

import "log/slog"

// cronLogger adapts slog to cron.Logger for the job wrappers (Recover,
// SkipIfStillRunning), whose messages are logged while a job runs. Cron's
// routine messages from its own loop (start, wake, run, stop) are dropped:
// they say nothing the scheduler's own logs don't, and cron's loop may log
// "stop" after Stop has returned.
type cronLogger struct{ log *slog.Logger }

// Info logs a skipped run; other routine messages are dropped.
func (l cronLogger) Info(msg string, kv ...any) {
	if msg == "skip" {
		l.log.Warn("scheduler: run skipped, the previous run is still going", kv...)
	}
}

// Error logs cron's failures, such as a recovered panic.
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append([]any{"err", err}, kv...)...)
}
