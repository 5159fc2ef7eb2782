package watcher

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// setWithFiles builds an ignoreSet from ignore files given as
// "dir/.gitignore" -> content, without touching the disk.
func setWithFiles(t *testing.T, exact []string, files map[string]string) *ignoreSet {
	t.Helper()
	s := newIgnoreSet(exact, nil)
	for rel, content := range files {
		dir, name := filepath.Split(rel)
		dir = strings.TrimSuffix(dir, "/")
		rules, err := parseIgnoreFile(rel, []byte(content))
		if err != nil {
			t.Fatalf("parse %s: %v", rel, err)
		}
		if s.files[dir] == nil {
			s.files[dir] = map[string][]ignoreRule{}
		}
		s.files[dir][name] = rules
	}
	return s
}

func TestIgnorePatterns(t *testing.T) {
	type probe struct {
		path    string
		isDir   bool
		ignored bool
	}
	tests := []struct {
		name   string
		files  map[string]string
		probes []probe
	}{
		{"plain name matches at any depth", map[string]string{".gitignore": "handler\n"}, []probe{
			{"handler", false, true}, {"a/b/handler", false, true}, {"handler.go", false, false}, {"myhandler", false, false},
		}},
		{"star stays within a segment", map[string]string{".gitignore": "*.log\n"}, []probe{
			{"x.log", false, true}, {"a/x.log", false, true}, {"x.log.go", false, false}, {"log", false, false},
		}},
		{"question mark is one character", map[string]string{".gitignore": "v?.txt\n"}, []probe{
			{"v1.txt", false, true}, {"v12.txt", false, false}, {"v/.txt", false, false},
		}},
		{"leading slash anchors to the file's folder", map[string]string{".gitignore": "/bin\n"}, []probe{
			{"bin", true, true}, {"bin/x", false, true}, {"cmd/bin", true, false},
		}},
		{"middle slash anchors", map[string]string{".gitignore": "doc/*.html\n"}, []probe{
			{"doc/a.html", false, true}, {"x/doc/a.html", false, false}, {"doc/sub/a.html", false, false},
		}},
		{"trailing slash means folders only", map[string]string{".gitignore": "out/\n"}, []probe{
			{"out", true, true}, {"out", false, false}, {"out/app", false, true}, {"a/out/app", false, true},
		}},
		{"negation re-includes", map[string]string{".gitignore": "*.json\n!function.json\n"}, []probe{
			{"x.json", false, true}, {"hello/function.json", false, false},
		}},
		{"last match wins", map[string]string{".gitignore": "!keep.txt\n*.txt\n"}, []probe{
			{"keep.txt", false, true},
		}},
		{"no re-include below an ignored folder", map[string]string{".gitignore": "vendor/\n!vendor/keep.go\n"}, []probe{
			{"vendor/keep.go", false, true},
		}},
		{"re-include below folder/** works", map[string]string{".gitignore": "vendor/**\n!vendor/keep.txt\n"}, []probe{
			{"vendor", true, false}, {"vendor/keep.txt", false, false}, {"vendor/x.txt", false, true},
		}},
		{"leading double star", map[string]string{".gitignore": "**/gen/*.txt\n"}, []probe{
			{"gen/a.txt", false, true}, {"x/y/gen/a.txt", false, true}, {"gen/a/b.txt", false, false},
		}},
		{"middle double star is zero or more folders", map[string]string{".gitignore": "a/**/b\n"}, []probe{
			{"a/b", false, true}, {"a/x/b", false, true}, {"a/x/y/b", false, true}, {"c/a/b", false, false}, {"a/xb", false, false},
		}},
		{"trailing double star is everything inside", map[string]string{".gitignore": "tmp/**\n"}, []probe{
			{"tmp", true, false}, {"tmp/a", false, true}, {"tmp/a/b", false, true},
		}},
		{"double star inside a segment is a star", map[string]string{".gitignore": "a**z\n"}, []probe{
			{"abcz", false, true}, {"ab/cz", false, false},
		}},
		{"classes, ranges and negated classes", map[string]string{".gitignore": "f[0-9].txt\ng[!a-c].txt\nh[[:upper:]]\n"}, []probe{
			{"f3.txt", false, true}, {"fa.txt", false, false}, {"gd.txt", false, true}, {"gb.txt", false, false},
			{"hX", false, true}, {"hx", false, false},
		}},
		{"class never matches slash", map[string]string{".gitignore": "a[/]b\na[!x]c\n"}, []probe{
			{"a/b", false, false}, {"a/c", false, false}, {"ayc", false, true},
		}},
		{"unclosed bracket is literal", map[string]string{".gitignore": "a[b\n"}, []probe{
			{"a[b", false, true}, {"ab", false, false},
		}},
		{"escapes, comments and trailing spaces", map[string]string{".gitignore": "# comment\n\\#hash\n\\!bang\nsp\\ \ntrail   \n"}, []probe{
			{"#hash", false, true}, {"!bang", false, true}, {"sp ", false, true}, {"trail", false, true}, {"# comment", false, false},
		}},
		{"CRLF line endings", map[string]string{".gitignore": "a.txt\r\nb.txt\r\n"}, []probe{
			{"a.txt", false, true}, {"b.txt", false, true},
		}},
		{"nested .gitignore applies below its folder", map[string]string{".gitignore": "*.gen\n", "sub/.gitignore": "local\n!keep.gen\n"}, []probe{
			{"sub/local", false, true}, {"local", false, false}, {"sub/keep.gen", false, false}, {"keep.gen", false, true},
		}},
		{"nested anchored pattern is relative to its folder", map[string]string{"sub/.gitignore": "/x\n"}, []probe{
			{"sub/x", false, true}, {"x", false, false}, {"sub/y/x", false, false},
		}},
		{".funcignore overrides .gitignore at the root", map[string]string{".gitignore": "*.md\n", ".funcignore": "!README.md\nLICENSE\n"}, []probe{
			{"README.md", false, false}, {"NOTES.md", false, true}, {"LICENSE", false, true},
		}},
		{"defaults", nil, []probe{
			{".git", true, true}, {".git/index", false, true}, {"node_modules/x/y.js", false, true},
			{"main.go.swp", false, true}, {".main.go.swx", false, true}, {"4913", false, true}, {"main.go~", false, true},
			{".#main.go", false, true}, {"#main.go#", false, true}, {"x.tmp", false, true},
			{"main.go___jb_tmp___", false, true}, {"main.go___jb_old___", false, true}, {".funcemu-build-123", false, true}, {"handler-go-tmp-umask", false, true},
			{"main.go", false, false}, {"host.json", false, false}, {".gitignore", false, false}, {".funcignore", false, false},
		}},
		{"ignore files cannot hide what the inner loop exists for", map[string]string{
			".gitignore":  "handler\n.funcemu/\nlocal.settings.json\n",
			".funcignore": ".git*\n.vscode\n*.go\ngo.mod\ngo.sum\nhost.json\n*.json\n",
		}, []probe{
			{"main.go", false, false}, {"internal/x/x.go", false, false}, {"go.mod", false, false}, {"go.sum", false, false},
			{"local.settings.json", false, false}, {"host.json", false, false}, {"orders/function.json", false, false},
			{"handler", false, true}, {"data.json", false, true}, {".github", true, true},
		}},
		{"a folder an ignore file hides still hides its Go files", map[string]string{".gitignore": "gen/\n"}, []probe{
			{"gen/x.go", false, true},
		}},
		{"defaults cannot be negated", map[string]string{".gitignore": "!.git/\n!node_modules\n"}, []probe{
			{".git/HEAD", false, true}, {"node_modules", true, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setWithFiles(t, nil, tt.files)
			for _, p := range tt.probes {
				if got := s.ignored(p.path, p.isDir); got != p.ignored {
					t.Errorf("ignored(%q, dir=%v) = %v, want %v", p.path, p.isDir, got, p.ignored)
				}
			}
		})
	}
}

func TestIgnoreExactPaths(t *testing.T) {
	s := newIgnoreSet([]string{".funcemu", "bin/handler"}, nil)
	tests := []struct {
		path string
		want bool
	}{
		{".funcemu", true}, {".funcemu/data.db", true}, {".funcemu-notes", false},
		{"bin/handler", true}, {"bin/handler.go", false}, {"bin/other", false}, {"handler", false},
	}
	for _, tt := range tests {
		if got := s.ignored(tt.path, false); got != tt.want {
			t.Errorf("ignored(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestIgnoreKeepPaths(t *testing.T) {
	s := setWithFiles(t, nil, map[string]string{".gitignore": "bin/\nhandler\n"})
	s.keep = newIgnoreSet(nil, []string{"bin/handler", "handler"}).keep
	tests := []struct {
		path  string
		isDir bool
		want  bool
	}{
		{"bin", true, false}, {"bin/handler", false, false}, {"handler", false, false}, {"sub/handler", false, true},
	}
	for _, tt := range tests {
		if got := s.ignored(tt.path, tt.isDir); got != tt.want {
			t.Errorf("ignored(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestParseIgnoreFileReportsBadLinesAndKeepsTheRest(t *testing.T) {
	rules, err := parseIgnoreFile(".gitignore", []byte("good\nbad\\\nalso-good\n"))
	if err == nil || !strings.Contains(err.Error(), ".gitignore:2") {
		t.Fatalf("error = %v, want one naming .gitignore:2", err)
	}
	if len(rules) != 2 {
		t.Fatalf("got %d rules, want the 2 good ones", len(rules))
	}
}

func TestIgnoreSetLoadFromDisk(t *testing.T) {
	root := t.TempDir()
	write := func(rel, content string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".gitignore", "*.out\n")
	s := newIgnoreSet(nil, nil)
	if err := s.load(root, "", gitIgnoreName); err != nil {
		t.Fatal(err)
	}
	if !s.ignored("a.out", false) {
		t.Fatal("a.out not ignored after load")
	}
	write(".gitignore", "*.bin\n")
	if err := s.load(root, "", gitIgnoreName); err != nil {
		t.Fatal(err)
	}
	if s.ignored("a.out", false) || !s.ignored("a.bin", false) {
		t.Fatal("reload did not replace the rules")
	}
	if err := os.Remove(filepath.Join(root, ".gitignore")); err != nil {
		t.Fatal(err)
	}
	if err := s.load(root, "", gitIgnoreName); err != nil {
		t.Fatal(err)
	}
	if s.ignored("a.bin", false) {
		t.Fatal("rules kept after the file was removed")
	}
}
