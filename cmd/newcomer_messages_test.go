package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/tui"
)

func TestClockRefusesToGoBackWithTheReason(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"clock", "advance", "-5m"}, {"clock", "advance", "--", "-5m"}} {
		_, err := runCmd(t, args...)
		if err == nil || !strings.Contains(err.Error(), `duration "-5m": the virtual clock only moves forward`) {
			t.Errorf("%v: err = %v", args, err)
		}
	}
	if _, err := runCmd(t, "clock", "advance", "-x"); err == nil || !strings.Contains(err.Error(), "unknown shorthand flag") {
		t.Errorf("a real unknown flag: err = %v", err)
	}
}

func TestEventsListPrintsUTC(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "events", "list", app)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "STARTED (UTC)") {
		t.Errorf("the header does not say the zone:\n%s", out)
	}
	// seedApp's Worker started 90 minutes ago; either minute may be shown.
	at := time.Now().Add(-90 * time.Minute).UTC()
	if !strings.Contains(out, at.Format("2006-01-02T15:04")) && !strings.Contains(out, at.Add(-time.Minute).Format("2006-01-02T15:04")) {
		t.Errorf("no UTC start near %s in:\n%s", at.Format(time.RFC3339), out)
	}
}

func TestNoBuildWithoutExecutableNamesTheField(t *testing.T) {
	t.Parallel()
	dir := appCopy(t) // no built handler in it
	code, _, stderr := runExit(t, "start", dir, "--no-build", "--no-tui", "--port", "0", "--blob-port", "0", "--queue-port", "0")
	want := `host.json: customHandler.description.defaultExecutablePath: "handler": no such executable`
	if code != 1 || !strings.Contains(stderr, want) || !strings.Contains(stderr, "without --no-build") {
		t.Fatalf("exit %d, stderr %q; want 1 and %q", code, stderr, want)
	}
}

func TestInitHintAndReadmeUseTheSameExample(t *testing.T) {
	t.Parallel()
	out, err := runCmd(t, "init", filepath.Join(t.TempDir(), "myapp"))
	if err != nil {
		t.Fatal(err)
	}
	_, hint, ok := strings.Cut(out, "--template http --name ")
	if !ok {
		t.Fatalf("no new hint in:\n%s", out)
	}
	name := strings.Fields(hint)[0]
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "--template http --name " + name + " "; !strings.Contains(string(readme), want) {
		t.Errorf("README.md lacks the init hint's example %q", want)
	}
}

func TestQueueMessagesShowDecoded(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	writeMessage(&b, "eyJpZCI6N30=")
	if want := "    eyJpZCI6N30=\n    (base64, decoded:)\n    {\"id\":7}\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	writeMessage(&b, "plain text")
	if strings.Contains(b.String(), "base64") {
		t.Errorf("plain text called base64: %q", b.String())
	}
	for _, notText := range []string{"test", "AAAA", "name"} {
		if _, ok := tui.DecodedBase64Text(notText); ok {
			t.Errorf("%q decoded as text", notText)
		}
	}
}

func TestColourOnlyOnTerminalsWithoutNoColor(t *testing.T) {
	t.Parallel()
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	tests := []struct {
		name     string
		terminal bool
		getenv   func(string) string
		want     bool
	}{
		{"terminal", true, env(), true},
		{"not a terminal", false, env(), false},
		{"NO_COLOR", true, env("NO_COLOR", "1"), false},
		{"NO_COLOR beats CLICOLOR_FORCE", true, env("NO_COLOR", "1", "CLICOLOR_FORCE", "1"), false},
		{"dumb terminal", true, env("TERM", "dumb"), false},
		{"CLICOLOR=0", true, env("CLICOLOR", "0"), false},
		{"empty NO_COLOR is unset", true, env("NO_COLOR", ""), true},
	}
	for _, tc := range tests {
		if got := colourAllowed(tc.terminal, tc.getenv); got != tc.want {
			t.Errorf("%s: colour %v, want %v", tc.name, got, tc.want)
		}
	}
}
