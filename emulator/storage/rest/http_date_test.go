package rest

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// appendHTTPDate writes what time.Format writes with http.TimeFormat, for
// any instant in any zone, the zero time and years beyond four digits.
func TestAppendHTTPDateMatchesFormat(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	zone := time.FixedZone("x", -7*3600-30*60)
	times := []time.Time{{}, time.Date(9999, 12, 31, 23, 59, 59, 999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 2, 0, 0, 0, 0, zone)}
	for i := 0; i < 20000; i++ {
		times = append(times, time.Unix(rng.Int64N(1<<37)-1<<36, rng.Int64N(1e9)).In(zone))
	}
	for _, tm := range times {
		want := tm.UTC().Format(http.TimeFormat)
		if got := string(appendHTTPDate([]byte("x"), tm)); got != "x"+want {
			t.Fatalf("%v: got %q, want %q", tm, got, "x"+want)
		}
	}
}
