package route

import (
	"fmt"
	"strings"
)

// parseParameter parses the text between a parameter's braces:
// [*|**]name[:constraint[(args)]]...[=default][?]
func parseParameter(text string) (*param, error) {
	p := &param{}
	rest := text
	switch {
	case strings.HasPrefix(rest, "**"):
		p.catchAll, rest = true, rest[2:]
	case strings.HasPrefix(rest, "*"):
		p.catchAll, rest = true, rest[1:]
	}
	if strings.HasSuffix(rest, "?") {
		p.optional, rest = true, rest[:len(rest)-1]
	}

	// The name runs to the first ':' or '=' that is not its first character.
	end := len(rest)
	for i := 1; i < len(rest); i++ {
		if rest[i] == ':' || rest[i] == '=' {
			end = i
			break
		}
	}
	p.name, rest = rest[:end], rest[end:]
	if err := checkParameterName(p.name); err != nil {
		return nil, err
	}

	for strings.HasPrefix(rest, ":") {
		raw, after, err := cutConstraint(rest[1:])
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", p.name, err)
		}
		c, err := newConstraint(raw)
		if err != nil {
			return nil, fmt.Errorf("parameter %q: %w", p.name, err)
		}
		p.constraints = append(p.constraints, c)
		rest = after
	}
	if strings.HasPrefix(rest, "=") {
		def := rest[1:]
		p.def = &def
	}

	switch {
	case p.catchAll && p.optional:
		return nil, fmt.Errorf("parameter %q: a catch-all parameter cannot be marked optional", p.name)
	case p.optional && p.def != nil:
		return nil, fmt.Errorf("parameter %q: an optional parameter cannot have a default value", p.name)
	}
	return p, nil
}

// checkParameterName applies ASP.NET's rule: non-empty, and none of
// '{', '}', '/', '?', '*'.
func checkParameterName(name string) error {
	if name == "" || strings.ContainsAny(name, "{}/?*") {
		return fmt.Errorf("parameter name %q is invalid: names must be non-empty and cannot contain '{', '}', '/', '?' or '*' ('?' may only end a parameter, '*' only start one)", name)
	}
	return nil
}

// cutConstraint reads one constraint, "name" or "name(args)", from the
// start of s and returns it with the text after it (starting at the next
// ':' or '=', or empty). A ')' closes the argument list only when followed
// by ':', '=' or the end, so regexes may contain parentheses.
func cutConstraint(s string) (raw, rest string, err error) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':', '=':
			return s[:i], s[i:], nil
		case '(':
			for j := i + 1; j < len(s); j++ {
				if s[j] != ')' {
					continue
				}
				if j+1 == len(s) || s[j+1] == ':' || s[j+1] == '=' {
					return s[:j+1], s[j+1:], nil
				}
			}
			return "", "", fmt.Errorf("constraint %q has no closing ')'", s)
		}
	}
	return s, "", nil
}
