package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version and commit may be set at build time:
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.commit=$(git rev-parse HEAD)"
//
// Otherwise they come from the module and VCS information Go records.
var version, commit string

// buildInfo returns the binary's build information with the -ldflags
// values applied.
func buildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = &debug.BuildInfo{}
	}
	if version != "" {
		bi.Main.Version = version
	}
	if commit != "" {
		bi.Settings = append(bi.Settings, debug.BuildSetting{Key: "vcs.revision", Value: commit})
	}
	return bi
}

// versionLine describes the build:
// "soudan v1.2.0 (commit 0123456789ab, modified) go1.26.8 linux/amd64".
func versionLine(bi *debug.BuildInfo) string {
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	var details []string
	if rev != "" {
		details = append(details, "commit "+rev[:min(len(rev), 12)])
	}
	if modified {
		details = append(details, "modified")
	}
	line := "soudan " + v
	if len(details) > 0 {
		line += " (" + strings.Join(details, ", ") + ")"
	}
	goVersion := bi.GoVersion
	if goVersion == "" {
		goVersion = runtime.Version()
	}
	return fmt.Sprintf("%s %s %s/%s", line, goVersion, runtime.GOOS, runtime.GOARCH)
}
