package cmd

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// functionsApp makes an app folder with two functions, a folder without a
// function.json and a stray file.
func functionsApp(t *testing.T) string {
	t.Helper()
	app := t.TempDir()
	for _, name := range []string{"Orders", "hello", "nightly"} {
		if err := os.MkdirAll(filepath.Join(app, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"Orders/function.json", "hello/function.json", "host.json", "function.json"} {
		if err := os.WriteFile(filepath.Join(app, p), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return app
}

func TestCompleteFunctionNames(t *testing.T) {
	t.Parallel()
	app := functionsApp(t)
	tests := []struct {
		name       string
		appFlag    string // --app as typed; "" when not given
		args       []string
		toComplete string
		want       []string
	}{
		{name: "app flag", appFlag: app, want: []string{"hello", "Orders"}},
		{name: "positional folder", args: []string{app}, want: []string{"hello", "Orders"}},
		{name: "prefix ignores case", appFlag: app, toComplete: "or", want: []string{"Orders"}},
		{name: "no match", appFlag: app, toComplete: "x", want: nil},
		{name: "missing folder", appFlag: filepath.Join(app, "nope"), want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &cobra.Command{Use: "invoke"}
			c.Flags().String("app", ".", "")
			if tt.appFlag != "" {
				if err := c.Flags().Set("app", tt.appFlag); err != nil {
					t.Fatal(err)
				}
			}
			got, dir := completeFunctionNames(c, tt.args, tt.toComplete)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("names = %q, want %q", got, tt.want)
			}
			if dir != cobra.ShellCompDirectiveNoFileComp {
				t.Errorf("directive = %v, want NoFileComp", dir)
			}
		})
	}
}

func TestCompleteFunctionNamesInCurrentFolder(t *testing.T) {
	t.Chdir(functionsApp(t))
	for _, args := range [][]string{nil, {"not-a-folder"}} {
		got, _ := completeFunctionNames(&cobra.Command{Use: "invoke"}, args, "")
		if want := []string{"hello", "Orders"}; !reflect.DeepEqual(got, want) {
			t.Errorf("args %q: names = %q, want %q", args, got, want)
		}
	}
}

func TestReplayCompletesRecentInvocationIDs(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "__complete", "replay", "--app", app, "")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		"33333333-echo\tEcho running",
		"22222222-worker\tWorker failed",
		"11111111-hello\tHello succeeded",
	}
	if len(lines) < len(want) || !reflect.DeepEqual(lines[:len(want)], want) {
		t.Fatalf("completion output:\n%s\nwant first lines %q", out, want)
	}

	out, err = runFuncemu(t, "", "__complete", "replay", "--app", app, "2222")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "22222222-worker\tWorker failed\n") || strings.Contains(out, "hello") {
		t.Errorf("prefix completion:\n%s", out)
	}
}

func TestReplayCompletionWithoutJournalOffersNothing(t *testing.T) {
	t.Parallel()
	out, err := runFuncemu(t, "", "__complete", "replay", "--app", t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	if first := strings.SplitN(out, "\n", 2)[0]; !strings.HasPrefix(first, ":") {
		t.Errorf("completion offered %q, want only the directive line", first)
	}
}

func TestCompletionScripts(t *testing.T) {
	t.Parallel()
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			out, err := runFuncemu(t, "", "completion", shell)
			if err != nil {
				t.Fatal(err)
			}
			if len(out) < 200 || !strings.Contains(out, "funcemu") {
				t.Errorf("completion %s: %d bytes, want a script mentioning funcemu:\n%.300s", shell, len(out), out)
			}
		})
	}
}

func TestInvokeCompletesFunctionNames(t *testing.T) {
	t.Parallel()
	app := functionsApp(t)
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"--app", app, ""}, []string{"hello", "Orders"}},
		{[]string{"--app", app, "h"}, []string{"hello"}},
		{[]string{"--app", app, "hello", ""}, nil}, // one name only
	}
	for _, tt := range tests {
		out, err := runFuncemu(t, "", append([]string{"__complete", "invoke"}, tt.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasPrefix(line, ":") && !strings.HasPrefix(line, "Completion ended") {
				got = append(got, line)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("complete invoke %q = %q, want %q", tt.args, got, tt.want)
		}
	}
}
