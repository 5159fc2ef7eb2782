// Package bindexpr implements Azure Functions binding expressions: %Setting%
// references resolved from app settings when functions load, {expression}
// templates resolved per invocation from trigger data, and blob trigger
// path patterns with named captures.
package bindexpr

import (
	"fmt"
	"strings"
)

// ResolveSettings replaces every %Name% in s with the setting Name, read
// through lookup (app settings, then the environment). Its errors carry the
// host's texts, which users search for:
//
//	The '%' at position 4 does not have a closing '%'
//	'%INPUT_QUEUE%' does not resolve to a value.
func ResolveSettings(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		start := strings.IndexByte(s[i:], '%')
		if start < 0 {
			b.WriteString(s[i:])
			break
		}
		start += i
		end := strings.IndexByte(s[start+1:], '%')
		if end < 0 {
			return "", fmt.Errorf("The '%%' at position %d does not have a closing '%%'", utf16Index(s, start))
		}
		end += start + 1
		name := s[start+1 : end]
		value, ok := lookup(name)
		if !ok {
			return "", fmt.Errorf("'%%%s%%' does not resolve to a value.", name)
		}
		b.WriteString(s[i:start])
		b.WriteString(value)
		i = end + 1
	}
	return b.String(), nil
}

// utf16Index converts a byte offset in s to the UTF-16 index .NET reports.
func utf16Index(s string, byteOffset int) int {
	n := 0
	for _, r := range s[:byteOffset] {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
