package route

import (
	"fmt"
	"strings"
)

// Parse parses an ASP.NET Core route template. A leading "/" or "~/" is
// ignored, as ASP.NET does. Errors name the segment or parameter at fault.
func Parse(template string) (*Template, error) {
	body := template
	if strings.HasPrefix(body, "~/") {
		body = body[2:]
	} else {
		body = strings.TrimPrefix(body, "/")
	}
	t := &Template{text: template}
	if body == "" {
		return t, nil
	}
	segs, err := splitSegments(body)
	if err != nil {
		return nil, fmt.Errorf("route template %q: %w", template, err)
	}
	for i, raw := range segs {
		s, err := parseSegment(raw, i == len(segs)-1)
		if err != nil {
			return nil, fmt.Errorf("route template %q: segment %q: %w", template, raw, err)
		}
		t.segments = append(t.segments, s)
	}
	if err := checkDuplicateNames(t); err != nil {
		return nil, fmt.Errorf("route template %q: %w", template, err)
	}
	return t, nil
}

// splitSegments cuts the template at each "/" that is not inside a
// parameter (a regex constraint may contain "/"). One trailing "/" is
// allowed; an empty segment in the middle is not.
func splitSegments(s string) ([]string, error) {
	var segs []string
	start, depth := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if depth == 0 && i+1 < len(s) && s[i+1] == '{' {
				i++ // escaped literal brace
				continue
			}
			depth = 1
		case '}':
			if depth == 1 {
				if i+1 < len(s) && s[i+1] == '}' {
					i++ // escaped brace inside a parameter
					continue
				}
				depth = 0
			}
		case '/':
			if depth == 0 {
				if i == start {
					return nil, fmt.Errorf("the separator '/' cannot appear consecutively; it must be separated by a parameter or a literal")
				}
				segs = append(segs, s[start:i])
				start = i + 1
			}
		}
	}
	if start < len(s) {
		segs = append(segs, s[start:])
	}
	return segs, nil
}

// parseSegment splits one segment into literals and parameters, honouring
// "{{" and "}}" escapes, and checks the rules ASP.NET applies per segment.
func parseSegment(raw string, last bool) (segment, error) {
	var seg segment
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			seg.parts = append(seg.parts, part{literal: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '{' && i+1 < len(raw) && raw[i+1] == '{':
			lit.WriteByte('{')
			i++
		case c == '}' && i+1 < len(raw) && raw[i+1] == '}':
			lit.WriteByte('}')
			i++
		case c == '}':
			return seg, fmt.Errorf("unmatched '}'; write '}}' for a literal brace")
		case c == '?':
			return seg, fmt.Errorf("literal sections cannot contain the '?' character")
		case c == '{':
			end, err := parameterEnd(raw, i)
			if err != nil {
				return seg, err
			}
			inner := raw[i+1 : end]
			inner = strings.ReplaceAll(strings.ReplaceAll(inner, "}}", "}"), "{{", "{")
			p, err := parseParameter(inner)
			if err != nil {
				return seg, err
			}
			flush()
			seg.parts = append(seg.parts, part{param: p})
			i = end
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return seg, checkSegment(seg, last)
}

// parameterEnd returns the index of the "}" closing the parameter that
// opens at raw[open]. Inside a parameter, braces must be doubled.
func parameterEnd(raw string, open int) (int, error) {
	for i := open + 1; i < len(raw); i++ {
		switch raw[i] {
		case '{':
			if i+1 < len(raw) && raw[i+1] == '{' {
				i++
				continue
			}
			return 0, fmt.Errorf("unescaped '{' inside parameter %q; write '{{'", raw[open:])
		case '}':
			if i+1 < len(raw) && raw[i+1] == '}' {
				i++
				continue
			}
			return i, nil
		}
	}
	return 0, fmt.Errorf("parameter %q has no closing '}'", raw[open:])
}

func checkSegment(seg segment, last bool) error {
	for i, p := range seg.parts {
		if p.param == nil {
			continue
		}
		prm := p.param
		if prm.catchAll {
			if !seg.simple() {
				return fmt.Errorf("parameter %q: a catch-all cannot share its segment with a literal or another parameter", prm.name)
			}
			if !last {
				return fmt.Errorf("parameter %q: a catch-all can only appear in the last segment", prm.name)
			}
		}
		if i > 0 && seg.parts[i-1].param != nil {
			return fmt.Errorf("parameters %q and %q are consecutive; separate them with '/' or a literal", seg.parts[i-1].param.name, prm.name)
		}
		if prm.optional && !seg.simple() {
			if i != len(seg.parts)-1 {
				return fmt.Errorf("optional parameter %q must be at the end of the segment", prm.name)
			}
			if prev := seg.parts[i-1]; prev.literal != "." {
				return fmt.Errorf("optional parameter %q is preceded by %q; only a period (.) can precede an optional parameter", prm.name, prev.literal)
			}
		}
	}
	return nil
}

func checkDuplicateNames(t *Template) error {
	seen := map[string]bool{}
	for _, name := range t.Parameters() {
		key := strings.ToLower(name)
		if seen[key] {
			return fmt.Errorf("parameter %q appears more than once", name)
		}
		seen[key] = true
	}
	return nil
}
