package route

import (
	"net/url"
	"strings"
)

// Match reports whether the URL path (e.g. "/api/products/5") matches the
// template, and returns the route values. Pass the path as sent, still
// escaped (http.Request.URL.EscapedPath()): it is split at "/" first and
// each segment URL-unescaped after, so "%2F" stays inside one value and a
// catch-all keeps the path's own slashes. A trailing slash is ignored and
// literal segments compare case-insensitively.
func (t *Template) Match(path string) (Params, bool) {
	segs := splitPath(path)
	values := make(Params)
	i := 0
	for ; i < len(t.segments); i++ {
		s := t.segments[i]
		if i >= len(segs) {
			if !matchMissing(s, values) {
				return nil, false
			}
			continue
		}
		if s.simple() && s.parts[0].param != nil && s.parts[0].param.catchAll {
			rest := make([]string, len(segs)-i)
			for j, raw := range segs[i:] {
				rest[j] = unescape(raw)
			}
			v := strings.Join(rest, "/")
			values[s.parts[0].param.name] = &v
			i = len(t.segments)
			segs = segs[:0]
			break
		}
		if segs[i] == "" {
			return nil, false // "a//b": an empty segment matches nothing
		}
		if !matchSegment(s, unescape(segs[i]), values) {
			return nil, false
		}
	}
	if len(segs) > len(t.segments) {
		return nil, false
	}
	if !t.constraintsHold(values) {
		return nil, false
	}
	return values, true
}

// splitPath drops the leading slash and one trailing slash, then splits.
func splitPath(path string) []string {
	path = strings.TrimPrefix(path, "/")
	path = strings.TrimSuffix(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}

func unescape(s string) string {
	if v, err := url.PathUnescape(s); err == nil {
		return v
	}
	return s // a stray '%' is kept as written, as Kestrel does
}

// matchMissing handles a template segment past the end of the path: only a
// lone optional, defaulted or catch-all parameter can be left out.
func matchMissing(s segment, values Params) bool {
	if !s.simple() || s.parts[0].param == nil {
		return false
	}
	p := s.parts[0].param
	if !p.optional && !p.catchAll && p.def == nil {
		return false
	}
	values[p.name] = p.def
	return true
}

func matchSegment(s segment, value string, values Params) bool {
	if s.simple() {
		p := s.parts[0]
		if p.param == nil {
			return strings.EqualFold(p.literal, value)
		}
		v := value
		values[p.param.name] = &v
		return true
	}
	return matchComplex(s.parts, value, values)
}

// matchComplex matches a segment of several parts, e.g. {name}.{ext?}. As
// in ASP.NET, a trailing optional parameter after "." may be left out
// when the value does not end with that period-separated part.
func matchComplex(parts []part, value string, values Params) bool {
	n := len(parts)
	last := parts[n-1].param
	if last != nil && last.optional && n >= 2 && parts[n-2].param == nil {
		if ok := matchParts(parts, value, values); ok {
			return true
		}
		if hasSuffixFold(value, parts[n-2].literal) {
			return false
		}
		if !matchParts(parts[:n-2], value, values) {
			return false
		}
		values[last.name] = nil
		return true
	}
	return matchParts(parts, value, values)
}

// matchParts matches literals and parameters right to left: each literal
// is found at its last occurrence, leaving at least one character for the
// parameter after it; the rightmost literal must end the value and the
// leftmost must start it. Every parameter needs a non-empty value.
func matchParts(parts []part, value string, values Params) bool {
	found := make(map[string]string)
	end := len(value)
	var pending *param
	for i := len(parts) - 1; i >= 0; i-- {
		p := parts[i]
		if p.param != nil {
			pending = p.param
			if i == 0 {
				if end == 0 {
					return false
				}
				found[pending.name] = value[:end]
			}
			continue
		}
		limit := end
		if pending != nil {
			limit--
		}
		if limit <= 0 {
			return false
		}
		at := lastIndexFold(value[:limit], p.literal)
		if at < 0 {
			return false
		}
		if i == len(parts)-1 && at+len(p.literal) != len(value) {
			return false
		}
		if pending != nil {
			start := at + len(p.literal)
			if start >= end {
				return false
			}
			found[pending.name] = value[start:end]
			pending = nil
		}
		end = at
	}
	if end != 0 && parts[0].param == nil {
		return false
	}
	for k, v := range found {
		v := v
		values[k] = &v
	}
	return true
}

func lastIndexFold(s, sub string) int {
	for i := len(s) - len(sub); i >= 0; i-- {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// constraintsHold checks every constraint against the parameter's value,
// defaults included; an absent optional parameter passes.
func (t *Template) constraintsHold(values Params) bool {
	for _, s := range t.segments {
		for _, p := range s.parts {
			if p.param == nil || len(p.param.constraints) == 0 {
				continue
			}
			v, ok := values[p.param.name]
			if !ok || v == nil {
				if p.param.optional || p.param.catchAll {
					continue
				}
				return false
			}
			for _, c := range p.param.constraints {
				if !c.match(*v) {
					return false
				}
			}
		}
	}
	return true
}
