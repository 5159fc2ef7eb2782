package watcher

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// globRegexp translates one gitignore pattern, already stripped of its
// leading "!", leading "/" and trailing "/", into a regular expression over
// slash-separated paths. Anchored patterns must match the whole path from
// the base folder; the others may match at any depth.
//
// The syntax is git's (gitignore(5)): "*" and "?" never match "/", "[...]"
// is a class ("!" or "^" negates it, POSIX classes such as [:alpha:] work),
// "\" escapes the next character, and "**" as a whole segment matches any
// number of folders: "**/x" anywhere, "x/**" everything inside x, and
// "a/**/b" zero or more folders between a and b.
func globRegexp(pattern string, anchored bool) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString(`(?s)^`)
	if !anchored {
		b.WriteString(`(?:.*/)?`)
	}
	segs := strings.Split(pattern, "/")
	last := len(segs) - 1
	for i, seg := range segs {
		switch {
		case seg == "**" && i == last:
			b.WriteString(`.*`)
		case seg == "**":
			b.WriteString(`(?:.*/)?`)
			continue // the "/" after "**" is part of the group
		default:
			if err := writeSegment(&b, seg); err != nil {
				return nil, err
			}
		}
		if i < last {
			b.WriteByte('/')
		}
	}
	b.WriteByte('$')
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("compile %q: %w", pattern, err)
	}
	return re, nil
}

var errTrailingBackslash = errors.New("trailing backslash escapes nothing")

// writeSegment writes the expression for one path segment, which holds no
// "/" of its own.
func writeSegment(b *strings.Builder, seg string) error {
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		switch c {
		case '\\':
			if i+1 == len(seg) {
				return errTrailingBackslash
			}
			i++
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		case '*':
			for i+1 < len(seg) && seg[i+1] == '*' {
				i++ // "**" inside a segment is a plain "*"
			}
			b.WriteString(`[^/]*`)
		case '?':
			b.WriteString(`[^/]`)
		case '[':
			class, n, ok := bracketClass(seg[i:])
			if !ok {
				b.WriteString(`\[`)
				continue
			}
			b.WriteString(class)
			i += n - 1
		default:
			b.WriteString(regexp.QuoteMeta(seg[i : i+1]))
		}
	}
	return nil
}

// bracketClass translates the class that starts s ("[" included). It
// returns the expression, how many bytes of s it used, and false when s has
// no closing "]", in which case git treats "[" as a literal. Like git's
// fnmatch with FNM_PATHNAME, a class never matches "/".
func bracketClass(s string) (string, int, bool) {
	i := 1
	negate := false
	if i < len(s) && (s[i] == '!' || s[i] == '^') {
		negate = true
		i++
	}
	var items strings.Builder
	first := true
	for i < len(s) {
		if s[i] == ']' && !first {
			return classExpr(items.String(), negate), i + 1, true
		}
		first = false
		if s[i] == '[' && strings.HasPrefix(s[i:], "[:") {
			if end := strings.Index(s[i+2:], ":]"); end >= 0 && posixClasses[s[i+2:i+2+end]] {
				items.WriteString(s[i : i+2+end+2])
				i += 2 + end + 2
				continue
			}
		}
		lo, n := classChar(s[i:])
		if n == 0 {
			return "", 0, false
		}
		i += n
		hi := lo
		if i+1 < len(s) && s[i] == '-' && s[i+1] != ']' {
			r, m := classChar(s[i+1:])
			if m == 0 {
				return "", 0, false
			}
			hi = r
			i += 1 + m
		}
		writeRange(&items, lo, hi)
	}
	return "", 0, false
}

// writeRange writes lo-hi as class items, leaving out "/". A reversed range
// matches nothing, as in git.
func writeRange(b *strings.Builder, lo, hi rune) {
	if lo <= '/' && '/' <= hi {
		writeRange(b, lo, '/'-1)
		writeRange(b, '/'+1, hi)
		return
	}
	switch {
	case hi < lo:
	case lo == hi:
		fmt.Fprintf(b, `\x{%x}`, lo)
	default:
		fmt.Fprintf(b, `\x{%x}-\x{%x}`, lo, hi)
	}
}

// classExpr wraps class items into an expression; a class with no items
// matches nothing, or, negated, any one character but "/".
func classExpr(items string, negate bool) string {
	switch {
	case negate:
		return "[^/" + items + "]"
	case items == "":
		return `[^\x00-\x{10FFFF}]`
	default:
		return "[" + items + "]"
	}
}

// classChar reads one possibly escaped character of a class. It returns 0
// bytes used when s ends inside an escape.
func classChar(s string) (rune, int) {
	if s[0] == '\\' {
		if len(s) < 2 {
			return 0, 0
		}
		r, n := utf8.DecodeRuneInString(s[1:])
		return r, 1 + n
	}
	return utf8.DecodeRuneInString(s)
}

var posixClasses = map[string]bool{
	"alnum": true, "alpha": true, "blank": true, "cntrl": true, "digit": true, "graph": true,
	"lower": true, "print": true, "punct": true, "space": true, "upper": true, "xdigit": true,
}
