package cmd

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExecOutcome(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		code        int
		idle        bool
		failed      int
		failOnError bool
		want        int // exit code, 0 for success
	}{
		{"all good", 0, true, 0, false, 0},
		{"command's code wins", 3, true, 2, true, 3},
		{"failed invocations pass without the flag", 0, true, 2, false, 0},
		{"failed invocations fail with the flag", 0, true, 1, true, 1},
		{"not idle fails", 0, false, 0, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := execOutcome(tt.code, tt.idle, tt.failed, tt.failOnError)
			got := 0
			var ee *exitError
			if errors.As(err, &ee) {
				got = ee.code
			} else if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("exit code %d, want %d", got, tt.want)
			}
		})
	}
}

func TestExecRunsTheCommandAgainstTheApp(t *testing.T) {
	t.Parallel()
	app := fixtureCopy(t, "hello") // built: start's tests cover the build exec shares
	report := filepath.Join(t.TempDir(), "junit.xml")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"calls a function", []string{"--no-build", "--junit", report, "--", "sh", "-c", `curl -fsS "$FUNCEMU_URL/api/hello/Ada"`}, 0, "Hello, Ada!", ""},
		{"exit code passes through", []string{"--no-build", "--", "sh", "-c", "exit 3"}, 3, "0 invocations", ""},
		{"missing command", []string{"--no-build", "--", "no-such-command-funcemu"}, 0, "", "exec no-such-command-funcemu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runFuncemu(t, "", append([]string{"exec", app}, tt.args...)...)
			code := 0
			var ee *exitError
			if errors.As(err, &ee) {
				code = ee.code
			} else if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			} else if err != nil {
				t.Fatalf("exec: %v\n%s", err, out)
			}
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("exit %d, output:\n%s\nwant exit %d and %q", code, out, tt.wantCode, tt.wantOut)
			}
		})
	}
	xml, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(xml), `<testsuite name="funcemu" tests="1" failures="0">`) ||
		!strings.Contains(string(xml), `classname="funcemu.hello"`) {
		t.Fatalf("junit report:\n%s", xml)
	}
}

func TestExecRefusesBadArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"exec"}, "give the command to run after --"},
		{[]string{"exec", "a", "b", "--", "true"}, "one app folder before --"},
		{[]string{"exec", t.TempDir(), "--", "true"}, "host.json"},
	}
	for _, tt := range tests {
		_, err := runFuncemu(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one mentioning %q", tt.args, err, tt.want)
		}
	}
}
