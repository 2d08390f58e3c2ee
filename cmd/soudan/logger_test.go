package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestLoggerLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		command, level string
		want           slog.Level // lowest enabled level
	}{
		{"console", "", slog.LevelWarn},
		{"serve", "", slog.LevelInfo},
		{"console", "debug", slog.LevelDebug},
		{"serve", "error", slog.LevelError},
	}
	for _, tt := range tests {
		log := newLogger(&bytes.Buffer{}, &Config{LogLevel: tt.level, LogFormat: "text"}, tt.command)
		ctx := context.Background()
		if !log.Enabled(ctx, tt.want) || log.Enabled(ctx, tt.want-1) {
			t.Errorf("%s with -log-level %q: lowest enabled level is not %v", tt.command, tt.level, tt.want)
		}
	}
}

func TestLoggerFormat(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	newLogger(&buf, &Config{LogFormat: "json"}, "serve").Info("hello", "k", "v")
	if got := buf.String(); !strings.HasPrefix(got, "{") || !strings.Contains(got, `"k":"v"`) {
		t.Errorf("json log line = %q, want a JSON object with k", got)
	}
}
