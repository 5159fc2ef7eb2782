package watcher

import (
	"path"
	"strings"
	"testing"
)

// FuzzIgnorePattern feeds arbitrary gitignore lines and paths through the
// matcher and checks properties that hold for every input: no panic, a
// pattern followed by its own negation ignores nothing, and simple globs
// agree with path.Match.
func FuzzIgnorePattern(f *testing.F) {
	seeds := [][2]string{
		{"*.go", "main.go"}, {"/bin", "bin/handler"}, {"a/**/b", "a/x/y/b"}, {"**/gen", "x/gen"},
		{"tmp/**", "tmp/a/b"}, {"f[0-9]", "f1"}, {"g[!a-c]", "gd"}, {"[[:alpha:]]x", "ax"},
		{"a[b", "a[b"}, {"\\#x", "#x"}, {"x\\ ", "x "}, {"[z-a]", "m"}, {"[]]", "]"}, {"[!]]", "a"},
		{"a\\", "a"}, {"ü[ä-ö]", "üå"}, {"*?*", "ab"}, {"out/", "out/x"}, {"!keep", "keep"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if strings.ContainsAny(pattern, "\n\r") {
			return
		}
		rule, ok, err := parseIgnoreLine(pattern)
		rel := strings.Trim(path.Clean("/"+name), "/")
		if err == nil && ok {
			rule.match(rel, false)
			rule.match(rel, true)
		}

		// P then !P: whatever P matches, !P re-includes, so nothing but
		// the built-in defaults can be ignored.
		body := strings.TrimPrefix(pattern, "!")
		s := newIgnoreSet(nil, nil)
		rules, _ := parseIgnoreFile(".gitignore", []byte(body+"\n!"+body+"\n"))
		s.files[""] = map[string][]ignoreRule{gitIgnoreName: rules}
		bare := newIgnoreSet(nil, nil)
		for _, isDir := range []bool{false, true} {
			if s.ignored(rel, isDir) != bare.ignored(rel, isDir) {
				t.Fatalf("%q then its negation changed ignored(%q, dir=%v)", body, rel, isDir)
			}
		}

		// Globs of plain characters, "*" and "?" mean what path.Match
		// means, for single names anchored at the root.
		if simpleGlob(pattern) && !strings.Contains(name, "/") && name != "" && err == nil {
			re, cerr := globRegexp(pattern, true)
			if cerr != nil {
				t.Fatalf("globRegexp(%q): %v", pattern, cerr)
			}
			want, _ := path.Match(pattern, name)
			if got := re.MatchString(name); got != want {
				t.Fatalf("%q on %q: got %v, path.Match says %v", pattern, name, got, want)
			}
		}
	})
}

// simpleGlob reports whether p uses only letters, digits, ".", "_", "-",
// "*" and "?", where gitignore and path.Match agree.
func simpleGlob(p string) bool {
	if p == "" || strings.HasPrefix(p, "#") {
		return false
	}
	for _, c := range p {
		ok := c == '.' || c == '_' || c == '-' || c == '*' || c == '?' ||
			('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
		if !ok {
			return false
		}
	}
	return true
}
