package queue

import (
	"testing"
	"time"
)

func TestBackoffFollowsTheHostSequence(t *testing.T) {
	tests := []struct {
		name   string
		random float64
		want   []time.Duration
	}{
		{"middle", 0.5, []time.Duration{100, 200, 300, 500, 900, 1700, 2000, 2000}},
		{"low", 0, []time.Duration{100, 180, 260, 420, 740, 1380, 2000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBackoff(2 * time.Second)
			b.random = func() float64 { return tc.random }
			for i, w := range tc.want {
				if got := b.next(); got != w*time.Millisecond {
					t.Fatalf("delay %d = %v, want %v", i, got, w*time.Millisecond)
				}
			}
			b.reset()
			if got := b.next(); got != minPollingInterval {
				t.Errorf("after reset = %v", got)
			}
		})
	}
}
