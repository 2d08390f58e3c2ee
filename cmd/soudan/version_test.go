package main

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		{"tagged", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.modified", Value: "false"}}},
			"soudan v1.2.0 (commit 0123456789ab) go1.26.8 "},
		{"dirty tree", debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc"}, {Key: "vcs.modified", Value: "true"}}},
			"soudan devel (commit abc, modified) go1.26.8 "},
		{"nothing known", debug.BuildInfo{}, "soudan devel " + runtime.Version() + " "},
	}
	for _, tt := range tests {
		got := versionLine(&tt.bi)
		if !strings.HasPrefix(got, tt.want) || !strings.HasSuffix(got, runtime.GOOS+"/"+runtime.GOARCH) {
			t.Errorf("%s: versionLine = %q, want %q followed by the platform", tt.name, got, tt.want)
		}
	}
}

func TestVersionLdflags(t *testing.T) {
	t.Parallel()
	version, commit = "v9.9.9", "feedface"
	t.Cleanup(func() { version, commit = "", "" })
	got := versionLine(buildInfo())
	if !strings.HasPrefix(got, "soudan v9.9.9 (commit feedface") {
		t.Errorf("versionLine with -X values = %q, want soudan v9.9.9 (commit feedface...", got)
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	m, stdout, _ := newMain("")
	if err := m.ParseFlags(t.Context(), []string{"version"}); err != nil {
		t.Fatalf("ParseFlags: %v", err)
	}
	if err := m.Run(t.Context()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := stdout.String(); !strings.HasPrefix(got, "soudan ") || !strings.Contains(got, runtime.Version()) {
		t.Errorf("version output = %q, want soudan <version> ... %s", got, runtime.Version())
	}
}
