package poll

import (
	"testing"
	"time"
)

const ms = time.Millisecond

// fixedRand returns the same draw every time: 0.5 is the midpoint, a
// factor of exactly 1.
func fixedRand(v float64) func() float64 { return func() float64 { return v } }

func TestBackoffSequence(t *testing.T) {
	tests := []struct {
		name  string
		max   time.Duration
		rand  float64
		found []bool
		want  []time.Duration
	}{
		{"cold start grows to the local 2s maximum", 2 * time.Second, 0.5,
			[]bool{false, false, false, false, false, false, false, false},
			[]time.Duration{100 * ms, 200 * ms, 300 * ms, 500 * ms, 900 * ms, 1700 * ms, 2000 * ms, 2000 * ms}},
		{"Azure's 1 minute maximum", time.Minute, 0.5,
			[]bool{false, false, false, false, false, false, false, false, false, false, false, false},
			[]time.Duration{100 * ms, 200 * ms, 300 * ms, 500 * ms, 900 * ms, 1700 * ms, 3300 * ms, 6500 * ms, 12900 * ms, 25700 * ms, 51300 * ms, time.Minute}},
		{"a found message drops to the minimum and restarts at exponent 1", 2 * time.Second, 0.5,
			[]bool{false, false, false, true, false, false},
			[]time.Duration{100 * ms, 200 * ms, 300 * ms, 100 * ms, 200 * ms, 300 * ms}},
		{"found at the maximum", 2 * time.Second, 0.5,
			[]bool{false, false, false, false, false, false, false, true, false},
			[]time.Duration{100 * ms, 200 * ms, 300 * ms, 500 * ms, 900 * ms, 1700 * ms, 2000 * ms, 100 * ms, 200 * ms}},
		{"lowest jitter is 0.8 of each increment", 2 * time.Second, 0,
			[]bool{false, false, false, false},
			[]time.Duration{100 * ms, 180 * ms, 260 * ms, 420 * ms}},
		{"highest jitter approaches 1.2", 2 * time.Second, 0.999999,
			[]bool{false, false, false},
			[]time.Duration{100 * ms, 219999 * time.Microsecond, 339999 * time.Microsecond}},
		{"a maximum below 100ms is raised to it", 10 * ms, 0.5,
			[]bool{false, false, true},
			[]time.Duration{100 * ms, 100 * ms, 100 * ms}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBackoff(tc.max)
			b.Rand = fixedRand(tc.rand)
			for i, found := range tc.found {
				got := b.Next(found)
				// Float rounding may cost a nanosecond or so.
				if d := got - tc.want[i]; d < -time.Microsecond || d > time.Microsecond {
					t.Fatalf("step %d (found=%v): %v, want %v", i, found, got, tc.want[i])
				}
			}
		})
	}
}

func TestBackoffStaysWithinJitter(t *testing.T) {
	draws := []float64{0, 0.25, 0.5, 0.75, 0.9999}
	for _, r := range draws {
		b := NewBackoff(time.Minute)
		b.Rand = fixedRand(r)
		prev := time.Duration(0)
		for i := range 20 {
			d := b.Next(false)
			if d < prev || d > time.Minute || d < MinPollingInterval {
				t.Fatalf("rand %v step %d: %v after %v, want non-decreasing within [100ms, 1m]", r, i, d, prev)
			}
			prev = d
		}
		if prev != time.Minute {
			t.Errorf("rand %v: ended at %v, want the maximum", r, prev)
		}
	}
}
