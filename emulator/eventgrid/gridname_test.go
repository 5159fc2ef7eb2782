package eventgrid

import (
	"regexp"
	"strings"
	"testing"
)

// The hand-written name checks agree with Event Grid's regular expressions.
func TestGridNamesMatchRegexes(t *testing.T) {
	t.Parallel()
	topic := regexp.MustCompile(`^[A-Za-z0-9-]{3,50}$`)
	sub := regexp.MustCompile(`^[A-Za-z0-9-]{3,64}$`)
	names := []string{"", "ab", "abc", "a-b", "A9-", "a_b", "a.b", "a b", "é12", strings.Repeat("a", 50),
		strings.Repeat("a", 51), strings.Repeat("Z", 64), strings.Repeat("Z", 65)}
	for _, n := range names {
		if got, want := isTopicName(n), topic.MatchString(n); got != want {
			t.Errorf("isTopicName(%q) = %v, want %v", n, got, want)
		}
		if got, want := isSubscriptionName(n), sub.MatchString(n); got != want {
			t.Errorf("isSubscriptionName(%q) = %v, want %v", n, got, want)
		}
	}
}
