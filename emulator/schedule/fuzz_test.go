package schedule

import (
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"0 */5 * * * *", "*/5 * * * *", "0 30 9 * * MON-FRI", "0 0 0 13 * 5", "0 30 1 * * *",
		"0 0 0 30 2 *", "1-5/2,7 * * * * *", "00:05:00", "1.00:00:00", "5", "00:00:00.5",
		"0 5-2/3 * * jan-mar sun", "", "* * * *", "0 0 0 * * 7", "99999999999999999999 * * * *",
	} {
		f.Add(seed, int64(1777777777))
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, expr string, unix int64) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		if s.String() == "" {
			t.Fatalf("Parse(%q).String() is empty", expr)
		}
		// Keep the base within years Next can handle quickly.
		base := time.Unix(1e9+unix%(2e9), 0)
		for _, loc := range []*time.Location{time.UTC, ny} {
			after := base.In(loc)
			for range 5 {
				next := s.Next(after)
				if next.IsZero() {
					break
				}
				if next.Location() != loc {
					t.Fatalf("Parse(%q).Next(%s) is in %v, want %v", expr, after, next.Location(), loc)
				}
				if !next.After(after) {
					t.Fatalf("Parse(%q).Next(%s) = %s, not after", expr, after, next)
				}
				after = next
			}
		}
	})
}
