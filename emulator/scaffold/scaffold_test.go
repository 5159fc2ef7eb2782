package scaffold

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInitWritesAppThatBuildsWithEveryTemplate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "My App")
	files, err := Init(dir, InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(appFiles) {
		t.Fatalf("wrote %v, want %d files", files, len(appFiles))
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.HasPrefix(string(mod), "module my-app\n") {
		t.Fatalf("go.mod = %q", mod)
	}
	for _, tmpl := range Templates {
		name := "Sample-" + tmpl
		got, err := NewFunction(dir, FunctionOptions{Template: tmpl, Name: name})
		if err != nil {
			t.Fatalf("new %s: %v", tmpl, err)
		}
		want := []string{name + "/function.json", "fn_sample_" + tmpl + ".go"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("new %s wrote %v, want %v", tmpl, got, want)
		}
		var fn struct {
			Bindings []map[string]any `json:"bindings"`
		}
		b, _ := os.ReadFile(filepath.Join(dir, name, "function.json"))
		if err := json.Unmarshal(b, &fn); err != nil || len(fn.Bindings) == 0 {
			t.Fatalf("%s function.json = %s (%v)", tmpl, b, err)
		}
		// The template's kind names a binding (the table template's trigger
		// is HTTP; its table bindings follow).
		found := false
		for _, bd := range fn.Bindings {
			typ, _ := bd["type"].(string)
			found = found || strings.HasPrefix(strings.ToLower(typ), tmpl)
		}
		if !found {
			t.Fatalf("%s template has no %s binding: %v", tmpl, tmpl, fn.Bindings)
		}
	}
	build := exec.Command("go", "vet", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go vet of the scaffolded app failed: %v\n%s", err, out)
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "host.json"), []byte(`{"version":"2.0"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Init(dir, InitOptions{})
	if err == nil || !strings.Contains(err.Error(), "host.json already exist") {
		t.Fatalf("err = %v, want a refusal naming host.json", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "main.go")); !os.IsNotExist(err) {
		t.Fatal("Init wrote main.go despite refusing")
	}
	b, _ := os.ReadFile(filepath.Join(dir, "host.json"))
	if string(b) != `{"version":"2.0"}` {
		t.Fatalf("host.json changed to %s", b)
	}
}

func TestNewFunctionRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(dir, InitOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFunction(dir, FunctionOptions{Template: "http", Name: "Dup"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts FunctionOptions
		want string
	}{
		{"unknown template", FunctionOptions{Template: "cosmos", Name: "X"}, `unknown template "cosmos"`},
		{"bad name", FunctionOptions{Template: "http", Name: "1abc"}, `invalid function name "1abc"`},
		{"reserved name", FunctionOptions{Template: "http", Name: "Host"}, `invalid function name "Host"`},
		{"existing folder", FunctionOptions{Template: "queue", Name: "Dup"}, "new Dup: Dup already exists; nothing written"},
		{"same name in another case", FunctionOptions{Template: "queue", Name: "dup"}, "new dup: Dup already exists, and function names that differ only in case clash"},
		{"same Go identifier", FunctionOptions{Template: "http", Name: "Order-created"}, ""},
		{"identifier taken", FunctionOptions{Template: "timer", Name: "Order_created"}, "function Order-created already has the Go handler name OrderCreated"},
		{"go file taken", FunctionOptions{Template: "timer", Name: "Taken"}, "fn_taken.go already exists"},
	}
	if err := os.WriteFile(filepath.Join(dir, "fn_taken.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := listDir(t, dir)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewFunction(dir, tt.opts)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				before = listDir(t, dir)
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if after := listDir(t, dir); after != before {
				t.Errorf("a refused new wrote files:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// listDir is the app folder's entries, to see that nothing was written.
func listDir(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func TestNewFunctionWithoutRegistryWritesOnlyFunctionJSON(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "host.json"), []byte(`{"version":"2.0"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nfunc main() {}\n"), 0o644)
	files, err := NewFunction(dir, FunctionOptions{Template: "timer", Name: "Tick"})
	if !errors.Is(err, ErrNoHandlerRegistry) {
		t.Fatalf("err = %v, want ErrNoHandlerRegistry", err)
	}
	if len(files) != 1 || files[0] != "Tick/function.json" {
		t.Fatalf("files = %v", files)
	}
}

func TestNamesAndVersions(t *testing.T) {
	for in, want := range map[string]string{"order-created": "OrderCreated", "a_b": "AB", "Orders": "Orders"} {
		if got := identifier(in); got != want {
			t.Errorf("identifier(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"Order__Created": "order-created", "-x-": "x"} {
		if got := storageName(in); got != want {
			t.Errorf("storageName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"go1.26.8": "1.26", "go1.27rc1": "1.27", "devel +abc": "1.26"} {
		if got := goVersion(in); got != want {
			t.Errorf("goVersion(%q) = %q, want %q", in, got, want)
		}
	}
}
