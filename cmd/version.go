package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the release build with -ldflags "-X".
var (
	version = "dev"
	commit  = "none"
	date    = "unknown"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print funcemu's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi, _ := debug.ReadBuildInfo()
			v := resolveVersion(buildVersion{version: version, commit: commit, date: date}, bi)
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "funcemu %s (commit %s, built %s, %s %s/%s)\n",
				v.version, v.commit, v.date, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}

// buildVersion is what `funcemu version` reports.
type buildVersion struct{ version, commit, date string }

// resolveVersion keeps what the release build stamped with -ldflags and
// fills the rest from the Go toolchain's build info: the module version
// for `go install ...@v1.2.3`, and the commit and its time for a build
// from a git clone.
func resolveVersion(ld buildVersion, bi *debug.BuildInfo) buildVersion {
	v := ld
	if bi == nil {
		return v
	}
	if v.version == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v.version = bi.Main.Version
	}
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if v.commit == "none" && s.Value != "" {
				v.commit = s.Value
				if len(v.commit) > 12 {
					v.commit = v.commit[:12]
				}
			}
		case "vcs.time":
			if v.date == "unknown" && s.Value != "" {
				v.date = s.Value
			}
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified && ld.commit == "none" && v.commit != "none" {
		v.commit += "-dirty"
	}
	return v
}
