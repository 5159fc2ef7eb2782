package route

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The type constraints accept what .NET's TryParse accepts with the
// invariant culture, so a route that matches under func start matches here.

// trimDotNetSpace trims the characters NumberStyles.AllowLeadingWhite and
// AllowTrailingWhite allow: U+0009-U+000D and U+0020.
func trimDotNetSpace(s string) string {
	return strings.Trim(s, " \t\n\v\f\r")
}

// dotNetInteger parses NumberStyles.Integer: [ws][+|-]digits[ws].
func dotNetInteger(v string, bits int) (int64, bool) {
	s := trimDotNetSpace(v)
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, bits)
	return n, err == nil
}

func parseDotNetInteger(v string, bits int) bool {
	_, ok := dotNetInteger(v, bits)
	return ok
}

func isDotNetBool(v string) bool {
	s := strings.Trim(v, " \t\n\v\f\r\x00")
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false")
}

// guidForms are compiled on the first {x:guid} match, not at every
// funcemu start (about 1 ms of package init).
var guidForms = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`^[0-9a-fA-F]{32}$`), // N
		regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`),                                                // D
		regexp.MustCompile(`^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$`),                                            // B
		regexp.MustCompile(`^\([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\)$`),                                            // P
		regexp.MustCompile(`^\{0[xX][0-9a-fA-F]{1,8},0[xX][0-9a-fA-F]{1,4},0[xX][0-9a-fA-F]{1,4},\{(0[xX][0-9a-fA-F]{1,2},){7}0[xX][0-9a-fA-F]{1,2}\}\}$`), // X
	}
})

// isDotNetGUID accepts Guid.TryParse's N, D, B, P and X forms.
func isDotNetGUID(v string) bool {
	s := trimDotNetSpace(v)
	for _, re := range guidForms() {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// dateTimeLayouts approximate DateTime.TryParse with the invariant culture:
// ISO 8601 dates and times, US-style M/d/yyyy, month names and RFC 1123.
var dateTimeLayouts = []string{
	"2006-1-2", "2006/1/2", "1/2/2006", "1-2-2006", "2006-1",
	"2006-1-2T15:04", "2006-1-2T15:04:05", "2006-1-2T15:04:05.999999999",
	"2006-1-2T15:04Z07:00", "2006-1-2T15:04:05Z07:00", "2006-1-2T15:04:05.999999999Z07:00",
	"2006-1-2 15:04", "2006-1-2 15:04:05", "2006-1-2 15:04:05.999999999",
	"2006-1-2 15:04:05Z07:00", "2006/1/2 15:04:05",
	"1/2/2006 15:04", "1/2/2006 15:04:05", "1/2/2006 3:04 PM", "1/2/2006 3:04:05 PM",
	"15:04", "15:04:05", "3:04 PM", "3:04:05 PM",
	"Jan 2, 2006", "January 2, 2006", "2 Jan 2006", "2 January 2006", "Jan 2006", "January 2006",
	"Mon, 2 Jan 2006 15:04:05 MST", "Monday, January 2, 2006", "Monday, January 2, 2006 15:04:05",
}

func isDotNetDateTime(v string) bool {
	s := trimDotNetSpace(v)
	for _, layout := range dateTimeLayouts {
		if _, err := time.Parse(layout, s); err == nil {
			return true
		}
	}
	return false
}

// maxDecimal is System.Decimal.MaxValue.
var maxDecimal, _ = new(big.Float).SetPrec(128).SetString("79228162514264337593543950335")

// isDotNetDecimal accepts NumberStyles.Number: [ws][sign]digits with ','
// group separators, an optional '.' fraction and an optional trailing
// sign, no exponent, within ±Decimal.MaxValue.
func isDotNetDecimal(v string) bool {
	s := trimDotNetSpace(v)
	s, ok := stripSign(s, true)
	if !ok {
		return false
	}
	num, ok := dotNetDigits(s, false)
	if !ok {
		return false
	}
	f, _, err := big.ParseFloat(num, 10, 128, big.ToNearestEven)
	return err == nil && f.Abs(f).Cmp(maxDecimal) <= 0
}

// isDotNetFloat accepts NumberStyles.Float|AllowThousands, the style of
// double.TryParse and float.TryParse, plus the invariant symbols Infinity,
// -Infinity and NaN. Out-of-range values parse as infinity in .NET Core 3.0+,
// so they match.
func isDotNetFloat(v string) bool {
	s := trimDotNetSpace(v)
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case "infinity", "∞", "nan":
		return len(s)-len(strings.TrimLeft(s, "+-")) <= 1
	}
	s, ok := stripSign(s, false)
	if !ok {
		return false
	}
	num, ok := dotNetDigits(s, true)
	if !ok {
		return false
	}
	_, err := strconv.ParseFloat(num, 64)
	return err == nil || err.(*strconv.NumError).Err == strconv.ErrRange
}

// stripSign removes one leading sign, or with trailing allowed one
// trailing sign (but not both).
func stripSign(s string, trailing bool) (string, bool) {
	lead := strings.HasPrefix(s, "+") || strings.HasPrefix(s, "-")
	if lead {
		s = s[1:]
	}
	if trailing && (strings.HasSuffix(s, "+") || strings.HasSuffix(s, "-")) {
		if lead {
			return "", false
		}
		s = s[:len(s)-1]
	}
	return s, true
}

// dotNetDigits checks digits[,digits...][.digits][e[sign]digits] (the
// exponent only when allowed) and returns the number without group
// separators, ready for strconv.
func dotNetDigits(s string, exponent bool) (string, bool) {
	var b strings.Builder
	i, digits := 0, 0
	for ; i < len(s) && (isDigit(s[i]) || (s[i] == ',' && digits > 0)); i++ {
		if s[i] != ',' {
			b.WriteByte(s[i])
			digits++
		}
	}
	if i < len(s) && s[i] == '.' {
		b.WriteByte('.')
		for i++; i < len(s) && isDigit(s[i]); i++ {
			b.WriteByte(s[i])
			digits++
		}
	}
	if digits == 0 {
		return "", false
	}
	if exponent && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		b.WriteByte('e')
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			b.WriteByte(s[i])
			i++
		}
		start := i
		for ; i < len(s) && isDigit(s[i]); i++ {
			b.WriteByte(s[i])
		}
		if i == start {
			return "", false
		}
	}
	return b.String(), i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
