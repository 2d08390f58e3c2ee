package main

import (
	"io"
	"log/slog"
	"strings"
)

// newLogger returns the logger for command: slog to w, in cfg's format and
// level. The console's default level is warn so that its transcript is not
// interleaved with routine logs.
func newLogger(w io.Writer, cfg *Config, command string) *slog.Logger {
	def := slog.LevelInfo
	if command == "console" {
		def = slog.LevelWarn
	}
	level, err := parseLevel(cfg.LogLevel, def)
	if err != nil {
		level = def // Validate has refused it already
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
