// Package scaffold writes new function apps and functions from templates:
// the code behind `funcemu init` and `funcemu new`.
package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"text/template"
)

//go:embed templates
var templates embed.FS

// Templates are the function templates `funcemu new` knows.
var Templates = []string{"http", "queue", "blob", "timer", "table"}

// appFiles maps template files to the names they are written as.
var appFiles = []struct{ src, dst string }{
	{"host.json", "host.json"},
	{"local.settings.json", "local.settings.json"},
	{"go.mod.tmpl", "go.mod"},
	{"main.go.tmpl", "main.go"},
	{"invoke.go.tmpl", "invoke.go"},
	{"gitignore", ".gitignore"},
	{"funcignore", ".funcignore"},
}

// InitOptions configure Init.
type InitOptions struct {
	Module    string // go.mod module path; default: the folder's name
	GoVersion string // go directive; default: the running toolchain's major.minor
}

// Init writes a new Go custom-handler app into dir, creating it if needed.
// It refuses to overwrite any file that exists, and writes nothing then.
func Init(dir string, opts InitOptions) ([]string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	if opts.Module == "" {
		opts.Module = moduleName(filepath.Base(abs))
	}
	if opts.GoVersion == "" {
		opts.GoVersion = goVersion(runtime.Version())
	}
	var existing []string
	for _, f := range appFiles {
		if _, err := os.Stat(filepath.Join(abs, f.dst)); err == nil {
			existing = append(existing, f.dst)
		}
	}
	if len(existing) > 0 {
		return nil, fmt.Errorf("init %s: %s already exist; nothing written", dir, strings.Join(existing, ", "))
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("init %s: %w", dir, err)
	}
	var written []string
	for _, f := range appFiles {
		body, err := render("templates/app/"+f.src, opts)
		if err != nil {
			return written, err
		}
		if err := writeNew(filepath.Join(abs, f.dst), body); err != nil {
			return written, fmt.Errorf("init %s: %w", dir, err)
		}
		written = append(written, f.dst)
	}
	return written, nil
}

// FunctionOptions configure NewFunction.
type FunctionOptions struct {
	Template  string // one of Templates
	Name      string // function (folder) name
	Queue     string // queue template: queue name; default "<name>-items"
	Container string // blob template: container; default "<name>-input"
	Schedule  string // timer template: NCRONTAB schedule; default every five minutes
	Table     string // table template: table name; default the name's letters and digits
}

// functionName is the host's rule for function folder names, compiled on
// first use: its {0,127} makes it the costliest of funcemu's package inits.
var functionName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^[a-z][a-z0-9_\-]{0,127}$`) })

// ErrNoHandlerRegistry means the app's handler was not made by Init, so the
// function's Go file was not written and its route must be added by hand.
var ErrNoHandlerRegistry = errors.New("the handler has no function registry")

// NewFunction adds a function folder to the app in dir and, when the app's
// handler was made by Init, a Go file that registers the function's route.
// When the handler is another one it writes function.json only and returns
// the files written with ErrNoHandlerRegistry.
func NewFunction(dir string, opts FunctionOptions) ([]string, error) {
	if err := fillFunctionDefaults(&opts); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "host.json")); err != nil {
		return nil, fmt.Errorf("new %s: %s has no host.json; run funcemu init first", opts.Name, dir)
	}
	registry := hasRegistry(dir)
	goFile := "fn_" + strings.ToLower(strings.ReplaceAll(opts.Name, "-", "_")) + ".go"
	if err := checkFunctionFree(dir, opts.Name, goFile, registry); err != nil {
		return nil, fmt.Errorf("new %s: %w; nothing written", opts.Name, err)
	}
	data := functionData{FunctionOptions: opts, Ident: identifier(opts.Name)}
	fnJSON, err := render("templates/function/"+opts.Template+".json.tmpl", data)
	if err != nil {
		return nil, err
	}
	var code []byte
	if registry {
		if code, err = render("templates/function/"+opts.Template+".go.tmpl", data); err != nil {
			return nil, err
		}
	}
	if err := os.Mkdir(filepath.Join(dir, opts.Name), 0o755); err != nil {
		return nil, fmt.Errorf("new %s: %w", opts.Name, err)
	}
	jsonPath := filepath.Join(opts.Name, "function.json")
	if err := writeNew(filepath.Join(dir, jsonPath), fnJSON); err != nil {
		os.RemoveAll(filepath.Join(dir, opts.Name))
		return nil, fmt.Errorf("new %s: %w", opts.Name, err)
	}
	written := []string{jsonPath}
	if !registry {
		return written, ErrNoHandlerRegistry
	}
	if err := writeNew(filepath.Join(dir, goFile), code); err != nil {
		os.RemoveAll(filepath.Join(dir, opts.Name)) // no half-made function
		return nil, fmt.Errorf("new %s: %w", opts.Name, err)
	}
	return append(written, goFile), nil
}

// checkFunctionFree finds, before anything is written, what the new
// function would collide with: a folder or function of the same name in
// any case (the host matches function names case-insensitively), a
// function whose Go handler has the same identifier, or the Go file.
func checkFunctionFree(dir, name, goFile string, registry bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch {
		case e.Name() == name:
			return fmt.Errorf("%s already exists", name)
		case strings.EqualFold(e.Name(), name):
			return fmt.Errorf("%s already exists, and function names that differ only in case clash (the host matches them in any case)", e.Name())
		case registry && e.IsDir() && identifier(e.Name()) == identifier(name) && fileExistsIn(dir, e.Name(), "function.json"):
			return fmt.Errorf("function %s already has the Go handler name %s", e.Name(), identifier(name))
		case registry && strings.EqualFold(e.Name(), goFile):
			return fmt.Errorf("%s already exists", e.Name())
		}
	}
	return nil
}

func fileExistsIn(parts ...string) bool {
	st, err := os.Stat(filepath.Join(parts...))
	return err == nil && !st.IsDir()
}

type functionData struct {
	FunctionOptions
	Ident string
}

func fillFunctionDefaults(opts *FunctionOptions) error {
	known := false
	for _, t := range Templates {
		known = known || t == opts.Template
	}
	if !known {
		return fmt.Errorf("new: unknown template %q (want one of %s)", opts.Template, strings.Join(Templates, ", "))
	}
	if !functionName().MatchString(opts.Name) || strings.EqualFold(opts.Name, "host") {
		return fmt.Errorf("new: invalid function name %q: it must start with a letter, hold only letters, digits, '_' and '-', be at most 128 characters and not be 'host'", opts.Name)
	}
	base := storageName(opts.Name)
	if opts.Queue == "" {
		opts.Queue = base + "-items"
	}
	if opts.Container == "" {
		opts.Container = base + "-input"
	}
	if opts.Table == "" {
		opts.Table = tableName(opts.Name)
	}
	if opts.Schedule == "" {
		opts.Schedule = "0 */5 * * * *"
	}
	return nil
}

// hasRegistry reports whether the app's main.go declares the handlers map
// that Init's template uses.
func hasRegistry(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "main.go"))
	return err == nil && bytes.Contains(b, []byte("var handlers = map[string]http.HandlerFunc{}"))
}

func render(name string, data any) ([]byte, error) {
	src, err := templates.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	t, err := template.New(name).Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

func writeNew(path string, body []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// identifier turns a function name like "order-created" into "OrderCreated".
func identifier(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// storageName makes a function name fit queue and container naming rules:
// lower case, letters, digits and single hyphens.
func storageName(name string) string {
	s := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	s = strings.Trim(s, "-")
	if len(s) > 50 {
		s = s[:50]
	}
	return s
}

var moduleUnsafe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[^a-z0-9._-]+`) })

// moduleName makes a folder name usable as a module path.
func moduleName(base string) string {
	s := moduleUnsafe().ReplaceAllString(strings.ToLower(base), "-")
	if s == "" || s == "." || s == "/" {
		return "functionapp"
	}
	return s
}

var goRelease = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^go(\d+)\.(\d+)`) })

// goVersion turns "go1.26.8" into "1.26"; a development toolchain gets 1.26.
func goVersion(v string) string {
	m := goRelease().FindStringSubmatch(v)
	if m == nil {
		return "1.26"
	}
	return m[1] + "." + m[2]
}

// tableName makes a function name a table name: letters and digits only,
// starting with a letter, 3 to 63 characters.
func tableName(name string) string {
	var b strings.Builder
	for _, c := range name {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' && b.Len() > 0 {
			b.WriteRune(c)
		}
	}
	s := b.String()
	for len(s) < 3 {
		s += "table"
	}
	if len(s) > 63 {
		s = s[:63]
	}
	return s
}
