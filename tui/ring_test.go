package tui

import "testing"

func TestRingKeepsNewest(t *testing.T) {
	tests := []struct {
		capacity, pushes int
		want             []int
		evictions        int
	}{
		{3, 2, []int{0, 1}, 0},
		{3, 3, []int{0, 1, 2}, 0},
		{3, 7, []int{4, 5, 6}, 4},
		{0, 2, []int{1}, 1}, // capacity clamps to 1
	}
	for _, tt := range tests {
		r := newRing[int](tt.capacity)
		evictions := 0
		for i := 0; i < tt.pushes; i++ {
			if _, ok := r.push(i); ok {
				evictions++
			}
		}
		if r.len() != len(tt.want) || evictions != tt.evictions {
			t.Fatalf("cap %d after %d pushes: len %d evictions %d, want %d and %d",
				tt.capacity, tt.pushes, r.len(), evictions, len(tt.want), tt.evictions)
		}
		for i, w := range tt.want {
			if got := r.at(i); got != w {
				t.Errorf("cap %d: at(%d) = %d, want %d", tt.capacity, i, got, w)
			}
		}
	}
}
