package app

import (
	"regexp"
	"strings"
	"testing"
)

// The host's FunctionNameValidationRegex and BindingNameValidationRegex,
// as oracles for the hand-written rules.
var (
	functionNameRule = regexp.MustCompile(`(?i)^[a-z][a-z0-9_\-]{0,127}$`)
	bindingNameRule  = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$`)
)

// The hand-written rules agree with the host's regular expressions.
func TestNameRulesMatchHostRegexes(t *testing.T) {
	t.Parallel()
	fn, binding := functionNameRule, bindingNameRule
	names := []string{"", "a", "A", "1a", "_a", "-a", "a1", "a_b", "a-b", "aB9", "a b", "a.b", "$return", "$returns",
		"é", "aé", "a\n", strings.Repeat("a", 128), strings.Repeat("a", 129), "Z" + strings.Repeat("9", 127)}
	for _, n := range names {
		if got, want := isFunctionName(n), fn.MatchString(n); got != want {
			t.Errorf("isFunctionName(%q) = %v, the host's rule says %v", n, got, want)
		}
		if got, want := isBindingName(n), binding.MatchString(n); got != want {
			t.Errorf("isBindingName(%q) = %v, the host's rule says %v", n, got, want)
		}
	}
}
