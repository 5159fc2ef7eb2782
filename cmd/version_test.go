package cmd

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionPrintsVersion(t *testing.T) {
	t.Parallel()
	root := newRootCmd(testFactory(t))
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetArgs([]string{"version"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "funcemu dev ") {
		t.Fatalf("version output = %q", out.String())
	}
}

func TestResolveVersion(t *testing.T) {
	t.Parallel()
	unset := buildVersion{version: "dev", commit: "none", date: "unknown"}
	release := buildVersion{version: "1.2.0", commit: "abc1234", date: "2026-11-27T06:00:00Z"}
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-20T10:00:00Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	dirty := append(append([]debug.BuildSetting{}, vcs[:3]...), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	tests := []struct {
		name string
		ld   buildVersion
		bi   *debug.BuildInfo
		want buildVersion
	}{
		{"no build info", unset, nil, unset},
		{"release ldflags win", release,
			&debug.BuildInfo{Main: debug.Module{Version: "v9.9.9"}, Settings: vcs}, release},
		{"go install at a version", unset,
			&debug.BuildInfo{Main: debug.Module{Version: "v1.3.0"}},
			buildVersion{version: "v1.3.0", commit: "none", date: "unknown"}},
		{"clone build", unset,
			&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			buildVersion{version: "dev", commit: "0123456789ab", date: "2026-11-20T10:00:00Z"}},
		{"clone build with changes", unset,
			&debug.BuildInfo{Main: debug.Module{Version: "v1.3.1-0.20261120100000-0123456789ab+dirty"}, Settings: dirty},
			buildVersion{version: "v1.3.1-0.20261120100000-0123456789ab+dirty", commit: "0123456789ab-dirty", date: "2026-11-20T10:00:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resolveVersion(tt.ld, tt.bi); got != tt.want {
				t.Errorf("resolveVersion = %+v, want %+v", got, tt.want)
			}
		})
	}
}
