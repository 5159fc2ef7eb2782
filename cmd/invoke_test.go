package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/adminclient"
)

// fakeAdmin records admin invocations and answers like funcemu's admin API.
type fakeAdmin struct {
	mu    sync.Mutex
	calls []string // "path input"
}

func (a *fakeAdmin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct{ Input string }
	b, _ := io.ReadAll(r.Body)
	json.Unmarshal(b, &body)
	a.mu.Lock()
	a.calls = append(a.calls, r.Method+" "+r.URL.Path+" "+body.Input)
	a.mu.Unlock()
	if r.URL.Path == "/admin/functions/Missing" {
		http.NotFound(w, r)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func TestInvokeCommand(t *testing.T) {
	t.Parallel()
	admin := &fakeAdmin{}
	srv := httptest.NewServer(admin)
	t.Cleanup(srv.Close)
	dataDir := t.TempDir()
	if err := writeReadyFile(adminclient.InstancePath(dataDir), &emulator.Endpoints{HTTP: srv.URL}); err != nil {
		t.Fatal(err)
	}
	inputFile := filepath.Join(t.TempDir(), "order.json")
	if err := os.WriteFile(inputFile, []byte(`{"id":7}`), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name     string
		args     []string
		wantCall string
		wantErr  string
	}{
		{"input through the data folder", []string{"invoke", "Archive", "--data-dir", dataDir, "--input", "hello"},
			"POST /admin/functions/Archive hello", ""},
		{"input file and url", []string{"invoke", "Archive", "--url", srv.URL + "/", "--input-file", inputFile},
			`POST /admin/functions/Archive {"id":7}`, ""},
		{"no input", []string{"invoke", "Tick", "--url", srv.URL}, "POST /admin/functions/Tick ", ""},
		{"--input naming a .json file sends the file", []string{"invoke", "OnEvent", "--url", srv.URL, "--input", inputFile},
			`POST /admin/functions/OnEvent {"id":7}`, ""},
		{"--input naming no file is the string", []string{"invoke", "OnEvent", "--url", srv.URL, "--input", "missing.json"},
			"POST /admin/functions/OnEvent missing.json", ""},
		{"unknown function", []string{"invoke", "Missing", "--url", srv.URL}, "", `has no function "Missing"`},
		{"both inputs", []string{"invoke", "Archive", "--url", srv.URL, "--input", "a", "--input-file", inputFile}, "",
			"--input or --input-file, not both"},
		{"no running funcemu", []string{"invoke", "Archive", "--data-dir", t.TempDir()}, "", "no running funcemu found"},
		{"missing input file", []string{"invoke", "Archive", "--url", srv.URL, "--input-file", "/nonexistent/in.txt"}, "", "--input-file:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			admin.mu.Lock()
			admin.calls = nil
			admin.mu.Unlock()
			out, err := runCmd(t, tc.args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%v: %s", err, out)
			}
			admin.mu.Lock()
			defer admin.mu.Unlock()
			if len(admin.calls) != 1 || admin.calls[0] != tc.wantCall {
				t.Errorf("calls = %q, want %q", admin.calls, tc.wantCall)
			}
			if !strings.Contains(out, "invoked "+tc.args[1]) {
				t.Errorf("output = %q", out)
			}
		})
	}
}
