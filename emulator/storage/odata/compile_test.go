package odata

import (
	"strings"
	"testing"
)

var testSchema = Schema{
	Columns: map[string]Column{"PartitionKey": {SQL: "pk", Type: String}, "RowKey": {SQL: "rk", Type: String}, "Timestamp": {SQL: "ts", Type: DateTime}},
	Props:   "props",
}

func TestCompileRejects(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("A eq 1 and ", MaxComparisons) + "A eq 1"
	for _, f := range []string{"", "A", "A eq", "A eq B", "eq eq 1", "A eq 'x", "A eq 1 B", "A eq datetime'x'", "A eq guid'1'",
		"A eq X'zz'", "A eq 99999999999", "A eq foo'1'", "(A eq 1", "A eq 1)", long, strings.Repeat("(", 200) + "A eq 1" + strings.Repeat(")", 200)} {
		if _, _, err := Compile(f, testSchema); err == nil {
			t.Errorf("%q compiled", f)
		}
	}
}
