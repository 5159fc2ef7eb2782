package cmd

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// plainApp is an app whose functions run in default mode (forwarding off)
// with no output binding but the HTTP response: "plain" greets the name in
// its route, "echo" answers with the envelope it received (and the handler's port in
// X-Handler-Port), so a benchmark can POST the same envelope to the
// handler directly.
var plainApp = map[string]string{
	"go.mod":              "module plain\n\ngo 1.22\n",
	"host.json":           `{"version":"2.0","customHandler":{"description":{"defaultExecutablePath":"handler"},"enableForwardingHttpRequest":false}}`,
	"local.settings.json": `{"IsEncrypted":false,"Values":{"FUNCTIONS_WORKER_RUNTIME":"custom"}}`,
	"plain/function.json": `{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","methods":["get"],"route":"plain/{name}"},{"type":"http","direction":"out","name":"res"}]}`,
	"echo/function.json":  `{"bindings":[{"type":"httpTrigger","direction":"in","name":"req","authLevel":"anonymous","methods":["get"],"route":"echo/{name}"},{"type":"http","direction":"out","name":"res"}]}`,
	"main.go": `package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
)

type envelope struct {
	Data struct {
		Req struct {
			Params map[string]string
		} ` + "`json:\"req\"`" + `
	}
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		var in envelope
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		answer(w, "Hello, "+in.Data.Req.Params["name"]+"!")
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		answer(w, string(raw), "X-Handler-Port", os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"))
	})
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("FUNCTIONS_CUSTOMHANDLER_PORT"), mux)
}

// answer sets the res output: a 200 with body and the header pairs.
func answer(w http.ResponseWriter, body string, header ...string) {
	h := map[string]string{"Content-Type": "text/plain"}
	for i := 0; i+1 < len(header); i += 2 {
		h[header[i]] = header[i+1]
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"Outputs": map[string]any{"res": map[string]any{
		"statusCode": 200, "headers": h, "body": body}}})
}
`,
}

var (
	plainOnce sync.Once
	plainDir  string
	plainErr  error
)

// builtPlainApp writes plainApp beside the test binaries (removed with
// them) once and builds its handler, so benchmarks can start it with
// --no-build.
func builtPlainApp(t testing.TB) string {
	t.Helper()
	_, hello := binaries(t)
	plainOnce.Do(func() {
		plainDir = filepath.Join(filepath.Dir(hello), "plain")
		for rel, content := range plainApp {
			p := filepath.Join(plainDir, filepath.FromSlash(rel))
			if plainErr = os.MkdirAll(filepath.Dir(p), 0o755); plainErr != nil {
				return
			}
			if plainErr = os.WriteFile(p, []byte(content), 0o644); plainErr != nil {
				return
			}
		}
		plainErr = goBuild(plainDir, filepath.Join(plainDir, "handler"), ".")
	})
	if plainErr != nil {
		t.Fatalf("build the plain app: %v", plainErr)
	}
	return plainDir
}
