package watcher

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ignoreRule is one pattern line of a .gitignore-style file.
type ignoreRule struct {
	re      *regexp.Regexp
	negate  bool // "!pattern": re-include what an earlier rule excluded
	dirOnly bool // "pattern/": folders only
	origin  string
}

// match reports whether the rule matches rel, a slash-separated path
// relative to the folder holding the rule's file.
func (r ignoreRule) match(rel string, isDir bool) bool {
	if r.dirOnly && !isDir {
		return false
	}
	return r.re.MatchString(rel)
}

// parseIgnoreFile reads gitignore syntax. name is used in messages, as
// "name:line". Bad lines are reported in the error and skipped; the rules of
// the good lines are returned either way, as git does.
func parseIgnoreFile(name string, data []byte) ([]ignoreRule, error) {
	var rules []ignoreRule
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), len(data)+1)
	for n := 1; sc.Scan(); n++ {
		origin := fmt.Sprintf("%s:%d", name, n)
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		r, ok, err := parseIgnoreLine(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: pattern %q: %w", origin, line, err))
			continue
		}
		if ok {
			r.origin = origin
			rules = append(rules, r)
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("read %s: %w", name, err))
	}
	return rules, errors.Join(errs...)
}

// parseIgnoreLine parses one line; ok is false for blank lines and comments.
func parseIgnoreLine(line string) (rule ignoreRule, ok bool, err error) {
	line = strings.TrimSuffix(line, "\r")
	line = trimTrailingSpaces(line)
	if line == "" || line[0] == '#' {
		return ignoreRule{}, false, nil
	}
	if line[0] == '!' {
		rule.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		rule.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	// A slash at the start or in the middle ties the pattern to the folder
	// of its file; without one it matches a name at any depth.
	anchored := strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	if line == "" {
		return ignoreRule{}, false, nil
	}
	rule.re, err = globRegexp(line, anchored)
	if err != nil {
		return ignoreRule{}, false, err
	}
	return rule, true, nil
}

// trimTrailingSpaces drops trailing spaces unless escaped with a backslash.
func trimTrailingSpaces(s string) string {
	end := len(s)
	for end > 0 && s[end-1] == ' ' {
		if end >= 2 && s[end-2] == '\\' && !escaped(s, end-2) {
			break
		}
		end--
	}
	return s[:end]
}

// escaped reports whether the byte at i is itself escaped by an odd run of
// backslashes before it.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}
