package schedule

import (
	"testing"
	"time"
)

func BenchmarkCronNext(b *testing.B) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		b.Fatal(err)
	}
	for _, expr := range []string{"0 */5 * * * *", "0 30 9 * * 1-5", "0 0 0 29 2 1"} {
		s, err := Parse(expr)
		if err != nil {
			b.Fatal(err)
		}
		after := time.Date(2026, 5, 1, 12, 0, 0, 0, ny)
		b.Run(expr, func(b *testing.B) {
			for b.Loop() {
				s.Next(after)
			}
		})
	}
}
