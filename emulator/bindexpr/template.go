package bindexpr

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/funcemu/funcemu/emulator"
)

// Template is a parsed binding expression such as
// "archive/{DateTime:yyyy-MM-dd}/{rand-guid}-{queueTrigger}.txt".
type Template struct {
	text   string
	tokens []token
}

// token is a literal run of text or one {expression}.
type token struct {
	literal string
	expr    *expression
}

// expression is the inside of one pair of braces.
type expression struct {
	parts   []string // dotted path; for built-ins parts[0] keeps ":format"
	format  string   // after the first ':' for non-built-ins
	builtin string   // "rand-guid", "datetime" or ""
}

// builtins are the host's built-in expressions, matched as prefixes of
// the expression, case-insensitively, as the host does.
var builtins = []string{"rand-guid", "datetime"}

// ParseTemplate parses a binding expression: literal text with {name},
// {a.b.c}, {name:format}, {rand-guid}, {rand-guid:N}, {DateTime},
// {DateTime:yyyy-MM-dd} or {sys.UtcNow}; "{{" and "}}" are literal braces.
// Errors use the host's texts.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{text: s}
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "{{") || strings.HasPrefix(s[i:], "}}"):
			t.addLiteral(s[i : i+1])
			i += 2
		case s[i] == '{':
			end := strings.IndexAny(s[i+1:], "{}")
			if end < 0 || s[i+1+end] == '{' {
				return nil, fmt.Errorf("Invalid template '%s'. Missing closing bracket at position %d.", s, utf16Index(s, i)+1)
			}
			inner := s[i+1 : i+1+end]
			if inner == "" {
				return nil, fmt.Errorf("Invalid template '%s'. The parameter name at position %d is empty.", s, utf16Index(s, i)+1)
			}
			e, err := parseExpression(inner)
			if err != nil {
				return nil, fmt.Errorf("Invalid template '%s'. %w", s, err)
			}
			t.tokens = append(t.tokens, token{expr: e})
			i += end + 2
		case s[i] == '}':
			return nil, fmt.Errorf("Invalid template '%s'. Missing opening bracket at position %d.", s, utf16Index(s, i)+1)
		default:
			end := strings.IndexAny(s[i:], "{}")
			if end < 0 {
				end = len(s) - i
			}
			t.addLiteral(s[i : i+end])
			i += end
		}
	}
	return t, nil
}

func (t *Template) addLiteral(s string) {
	if n := len(t.tokens); n > 0 && t.tokens[n-1].expr == nil {
		t.tokens[n-1].literal += s
		return
	}
	t.tokens = append(t.tokens, token{literal: s})
}

func parseExpression(s string) (*expression, error) {
	e := &expression{}
	for _, b := range builtins {
		if len(s) >= len(b) && strings.EqualFold(s[:len(b)], b) {
			e.builtin = b
			break
		}
	}
	expr := s
	if e.builtin == "" {
		if i := strings.IndexByte(s, ':'); i > 0 {
			expr, e.format = s[:i], s[i+1:]
		}
		if !isIdentifier(expr) {
			return nil, fmt.Errorf("Invalid template expression '%s'", expr)
		}
	}
	e.parts = strings.Split(expr, ".")
	if e.builtin == "" && strings.Contains(e.parts[0], "-") {
		return nil, fmt.Errorf("The parameter name '%s' is invalid.", e.parts[0])
	}
	for _, p := range e.parts {
		if strings.TrimSpace(p) == "" {
			return nil, fmt.Errorf("Illegal expression: '%s' has an empty part", s)
		}
	}
	return e, nil
}

// isIdentifier follows the host's rule: a letter or '_', then letters,
// digits, connectors, combining marks, '.' and '-'.
func isIdentifier(s string) bool {
	first, size := utf8.DecodeRuneInString(s)
	if !(unicode.IsLetter(first) || unicode.Is(unicode.Nl, first) || first == '_') {
		return false
	}
	for _, r := range s[size:] {
		switch {
		case unicode.IsLetter(r), unicode.Is(unicode.Nl, r), unicode.Is(unicode.Nd, r),
			unicode.Is(unicode.Pc, r), unicode.Is(unicode.Mn, r), unicode.Is(unicode.Mc, r),
			unicode.Is(unicode.Cf, r), r == '.', r == '-':
		default:
			return false
		}
	}
	return true
}

// String returns the template as written.
func (t *Template) String() string { return t.text }

// Names returns the binding data names the template reads (the first part
// of each non-built-in expression), each once, in order of appearance.
func (t *Template) Names() []string {
	var names []string
	seen := map[string]bool{}
	for _, tok := range t.tokens {
		if tok.expr == nil || tok.expr.builtin != "" {
			continue
		}
		name := tok.expr.parts[0]
		if key := strings.ToLower(name); !seen[key] {
			seen[key] = true
			names = append(names, name)
		}
	}
	return names
}

// Resolve evaluates the template against binding data. Values in data win
// over the built-ins; {DateTime} is clock's current UTC time. A missing
// name is an error naming it, in the host's words.
func (t *Template) Resolve(data Data, clock emulator.Clock) (string, error) {
	var b strings.Builder
	for _, tok := range t.tokens {
		if tok.expr == nil {
			b.WriteString(tok.literal)
			continue
		}
		s, err := tok.expr.evaluate(data, clock)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

func (e *expression) evaluate(data Data, clock emulator.Clock) (string, error) {
	name := e.parts[0]
	v, ok := data.Lookup(name)
	if !ok && strings.EqualFold(name, "sys") {
		v, ok = Sys{}, true
	}
	if ok {
		for _, p := range e.parts[1:] {
			next, found := property(v, p, clock)
			if !found {
				return "", fmt.Errorf("Error while accessing '%s': property doesn't exist.", p)
			}
			v = next
		}
		return valueString(v, e.format)
	}
	switch e.builtin {
	case "rand-guid":
		return NewGUID().Format(builtinFormat(name, e.builtin))
	case "datetime":
		format := builtinFormat(name, e.builtin)
		if strings.TrimSpace(format) == "" {
			format = DefaultDateTimeFormat
		}
		return FormatDateTime(clock.Now().UTC(), format)
	}
	return "", fmt.Errorf("No value for named parameter '%s'.", name)
}

// builtinFormat returns what follows "name:" in a built-in expression. As
// in the host, a dotted format ("DateTime:yyyy.MM") keeps only its first
// part ("yyyy"), because the expression was split at dots first.
func builtinFormat(expr, builtin string) string {
	if len(expr) > len(builtin) && expr[len(builtin)] == ':' {
		return expr[len(builtin)+1:]
	}
	return ""
}

// property reads one step of a dotted path, case-insensitively.
func property(v any, name string, clock emulator.Clock) (any, bool) {
	switch v := v.(type) {
	case Data:
		return v.Lookup(name)
	case map[string]any:
		return lookupFold(v, name)
	case Sys:
		switch strings.ToLower(name) {
		case "methodname":
			return v.MethodName, true
		case "utcnow":
			return clock.Now().UTC(), true
		case "randguid":
			return NewGUID(), true
		}
	}
	return nil, false
}

// valueString prints a binding data value as the host does. The format
// applies to dates and GUIDs only; objects print as nothing.
func valueString(v any, format string) (string, error) {
	if strings.TrimSpace(format) == "" {
		format = ""
	}
	switch v := v.(type) {
	case string:
		return v, nil
	case time.Time:
		if format == "" {
			format = DefaultDateTimeFormat
		}
		return FormatDateTime(v, format)
	case GUID:
		return v.Format(format)
	case bool:
		return jsonScalarString(v), nil
	case json.Number:
		return dotnetNumber(string(v)), nil
	case float64:
		return dotnetDouble(v), nil
	case float32:
		return dotnetDouble(float64(v)), nil
	case int:
		return strconv.Itoa(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int32:
		return strconv.FormatInt(int64(v), 10), nil
	case uint64:
		return strconv.FormatUint(v, 10), nil
	case uint32:
		return strconv.FormatUint(uint64(v), 10), nil
	case fmt.Stringer:
		return v.String(), nil
	}
	return "", nil
}
