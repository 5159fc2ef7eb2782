package route

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// constraint is one inline constraint of a parameter, e.g. "min(1)".
type constraint struct {
	text  string
	match func(value string) bool
}

// newConstraint resolves "name" or "name(args)" to a matcher. Names are
// case-insensitive, as in ASP.NET's constraint map.
func newConstraint(raw string) (constraint, error) {
	name, args, hasArgs := raw, "", false
	if i := strings.IndexByte(raw, '('); i >= 0 {
		name, args, hasArgs = raw[:i], raw[i+1:len(raw)-1], true
	}
	if name == "" {
		return constraint{}, fmt.Errorf("empty constraint in %q", raw)
	}
	key := strings.ToLower(name)
	if key == "regex" {
		if !hasArgs {
			return constraint{}, fmt.Errorf("constraint %q needs a pattern: regex(...)", raw)
		}
		m, err := regexMatcher(args)
		if err != nil {
			return constraint{}, fmt.Errorf("constraint %q: %w", raw, err)
		}
		return constraint{text: raw, match: m}, nil
	}
	if simple, ok := typeConstraints[key]; ok {
		if hasArgs {
			return constraint{}, fmt.Errorf("constraint %q takes no arguments", raw)
		}
		return constraint{text: raw, match: simple}, nil
	}
	build, ok := argConstraints[key]
	if !ok {
		return constraint{}, fmt.Errorf("unknown constraint %q (known: int, long, bool, guid, datetime, decimal, double, float, alpha, min, max, range, length, minlength, maxlength, regex)", name)
	}
	if !hasArgs {
		return constraint{}, fmt.Errorf("constraint %q needs arguments, e.g. %s(1)", raw, key)
	}
	nums, err := integerArgs(args)
	if err != nil {
		return constraint{}, fmt.Errorf("constraint %q: %w", raw, err)
	}
	m, err := build(nums)
	if err != nil {
		return constraint{}, fmt.Errorf("constraint %q: %w", raw, err)
	}
	return constraint{text: raw, match: m}, nil
}

// typeConstraints check that a value parses as a .NET type, invariant culture.
var typeConstraints = map[string]func(string) bool{
	"int":      func(v string) bool { return parseDotNetInteger(v, 32) },
	"long":     func(v string) bool { return parseDotNetInteger(v, 64) },
	"bool":     isDotNetBool,
	"guid":     isDotNetGUID,
	"datetime": isDotNetDateTime,
	"decimal":  isDotNetDecimal,
	"double":   isDotNetFloat,
	"float":    isDotNetFloat,
	"alpha":    isASCIILetters,
}

// argConstraints take integer arguments.
var argConstraints = map[string]func(args []int64) (func(string) bool, error){
	"min": func(a []int64) (func(string) bool, error) {
		if len(a) != 1 {
			return nil, fmt.Errorf("want 1 argument, got %d", len(a))
		}
		return intIn(a[0], maxInt64), nil
	},
	"max": func(a []int64) (func(string) bool, error) {
		if len(a) != 1 {
			return nil, fmt.Errorf("want 1 argument, got %d", len(a))
		}
		return intIn(minInt64, a[0]), nil
	},
	"range": func(a []int64) (func(string) bool, error) {
		if len(a) != 2 {
			return nil, fmt.Errorf("want 2 arguments (min,max), got %d", len(a))
		}
		if a[0] > a[1] {
			return nil, fmt.Errorf("min %d is greater than max %d", a[0], a[1])
		}
		return intIn(a[0], a[1]), nil
	},
	"length": func(a []int64) (func(string) bool, error) {
		switch len(a) {
		case 1:
			if a[0] < 0 {
				return nil, fmt.Errorf("length %d is negative", a[0])
			}
			return lengthIn(a[0], a[0]), nil
		case 2:
			if a[0] < 0 || a[0] > a[1] {
				return nil, fmt.Errorf("want 0 <= min <= max, got %d,%d", a[0], a[1])
			}
			return lengthIn(a[0], a[1]), nil
		}
		return nil, fmt.Errorf("want 1 or 2 arguments, got %d", len(a))
	},
	"minlength": func(a []int64) (func(string) bool, error) {
		if len(a) != 1 || a[0] < 0 {
			return nil, fmt.Errorf("want 1 non-negative argument")
		}
		return lengthIn(a[0], maxInt64), nil
	},
	"maxlength": func(a []int64) (func(string) bool, error) {
		if len(a) != 1 || a[0] < 0 {
			return nil, fmt.Errorf("want 1 non-negative argument")
		}
		return lengthIn(0, a[0]), nil
	},
}

const (
	maxInt64 = int64(^uint64(0) >> 1)
	minInt64 = -maxInt64 - 1
)

func integerArgs(s string) ([]int64, error) {
	var nums []int64
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("argument %q is not an integer", strings.TrimSpace(f))
		}
		nums = append(nums, n)
	}
	return nums, nil
}

// intIn matches values that parse as a 64-bit integer within [lo, hi].
func intIn(lo, hi int64) func(string) bool {
	return func(v string) bool {
		n, ok := dotNetInteger(v, 64)
		return ok && n >= lo && n <= hi
	}
}

// lengthIn counts UTF-16 code units, as .NET string.Length does.
func lengthIn(lo, hi int64) func(string) bool {
	return func(v string) bool {
		n := int64(len(utf16.Encode([]rune(v))))
		return n >= lo && n <= hi
	}
}

func isASCIILetters(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// regexMatcher compiles a regex constraint the way ASP.NET Core does:
// case-insensitive and NOT anchored (IsMatch finds the pattern anywhere),
// so templates write ^...$ themselves. Go's RE2 lacks some .NET features
// (lookaround, backreferences); those patterns are rejected here.
func regexMatcher(pattern string) (func(string) bool, error) {
	re, err := regexp.Compile("(?i)" + pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression: %w", err)
	}
	return re.MatchString, nil
}
