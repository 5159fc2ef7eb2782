package app

import (
	"os"
	"path/filepath"
	"testing"
)

const minimalHost = `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "handler"}}}`

const httpFunction = `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req"}, {"type": "http", "direction": "out", "name": "res"}]}`

// writeApp creates an app folder from relative path -> content. A
// host.json is added unless files has one ("" content means no file).
func writeApp(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if _, ok := files["host.json"]; !ok {
		files["host.json"] = minimalHost
	}
	for rel, content := range files {
		if content == "" && rel == "host.json" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
