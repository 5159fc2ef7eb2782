package odata

import (
	"database/sql"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

var testSchema = Schema{
	Columns: map[string]Column{"PartitionKey": {SQL: "pk", Type: String}, "RowKey": {SQL: "rk", Type: String}, "Timestamp": {SQL: "ts", Type: DateTime}},
	Props:   "props",
}

// FuzzCompile: any $filter either fails with a SyntaxError or compiles to
// SQL that SQLite accepts, with one argument per placeholder.
func FuzzCompile(f *testing.F) {
	for _, s := range []string{
		"PartitionKey eq 'a'", "Age gt 5 and not (Name eq 'x''y')", "T eq datetime'2020-01-01T00:00:00Z'",
		"G eq guid'00000000-0000-0000-0000-000000000000'", "B eq X'0aff'", "L le 5L or D lt 1.5e3", "((A eq true))",
		"5 lt Age", "A eq", "(", "'", "not not not A eq 1",
	} {
		f.Add(s)
	}
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE e (pk TEXT, rk TEXT, ts TEXT, props TEXT)`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, filter string) {
		cond, args, err := Compile(filter, testSchema)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("%q: error %T %v is not a SyntaxError", filter, err, err)
			}
			return
		}
		if n := strings.Count(cond, "?"); n != len(args) {
			t.Fatalf("%q: %d placeholders, %d args: %s", filter, n, len(args), cond)
		}
		if _, err := db.Exec(`SELECT 1 FROM e WHERE `+cond, args...); err != nil {
			t.Fatalf("%q compiled to SQL SQLite refuses: %s: %v", filter, cond, err)
		}
	})
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
