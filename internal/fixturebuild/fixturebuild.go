// Package fixturebuild builds the handlers of test fixtures, reusing an
// executable an earlier test run linked from the same sources with the
// same toolchain. It serves tests only.
package fixturebuild

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

// Linked builds the Go main package in dir into out (go build -o out .),
// reusing an executable an earlier test run linked from the same sources
// with the same toolchain: go build caches compiled packages but links
// every time, and the link is most of a fixture's build. The cache lives
// in the user's cache folder beside Azurite's; when it cannot be used the
// handler is simply built.
func Linked(dir, out string) error {
	key, err := fixtureKey(dir)
	if err != nil {
		return goBuild(dir, out)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return goBuild(dir, out)
	}
	cached := filepath.Join(base, "funcemu", "fixtures", key)
	if copyExecutable(cached, out) == nil {
		return nil
	}
	if err := goBuild(dir, out); err != nil {
		return err
	}
	if os.MkdirAll(filepath.Dir(cached), 0o755) == nil {
		// Written beside its final name and renamed, so a parallel run
		// never reads half an executable.
		tmp := fmt.Sprintf("%s.%d.tmp", cached, os.Getpid())
		if copyExecutable(out, tmp) == nil {
			_ = os.Rename(tmp, cached)
		}
		os.Remove(tmp)
	}
	return nil
}

// fixtureKey hashes every file of the fixture with the toolchain's version
// and build settings, leaving out the handler itself and the settings file
// a test fills in at run time (the handler reads it from its environment)
// and any data folder.
func fixtureKey(dir string) (string, error) {
	env, err := exec.Command("go", "env", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED").Output()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	h.Write(env)
	var files []string
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() && info.Name() == ".funcemu" {
			return filepath.SkipDir // a data folder left by running the fixture
		}
		if !info.IsDir() && info.Name() != "local.settings.json" && p != filepath.Join(dir, "handler") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func goBuild(dir, out string) error {
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build in %s: %w\n%s", dir, err, b)
	}
	return nil
}
