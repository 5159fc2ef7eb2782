package storage

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

var odataFuzzSchema = odata.Schema{
	Columns: map[string]odata.Column{"PartitionKey": {SQL: "pk", Type: odata.String}, "RowKey": {SQL: "rk", Type: odata.String},
		"Timestamp": {SQL: "ts", Type: odata.DateTime}},
	Props: "props",
}

// FuzzCompile: any $filter either fails with an odata.SyntaxError or
// compiles to SQL that SQLite accepts, with one argument per placeholder.
// It lives with the store, whose SQLite runs that SQL, so that odata's
// own tests need no SQLite.
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
		cond, args, err := odata.Compile(filter, odataFuzzSchema)
		if err != nil {
			if _, ok := err.(*odata.SyntaxError); !ok {
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
