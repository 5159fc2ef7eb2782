package cmd

import "testing"

func TestIsLoopbackAddress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		address string
		want    bool
	}{
		{"127.0.0.1", true},
		{"127.0.0.2", true},
		{"::1", true},
		{"localhost", true},
		{"LOCALHOST", true},
		{"0.0.0.0", false},
		{"::", false},
		{"", false}, // Go listens on every interface for an empty host
		{"192.168.1.20", false},
		{"devbox.lan", false},
	}
	for _, tc := range tests {
		if got := isLoopbackAddress(tc.address); got != tc.want {
			t.Errorf("isLoopbackAddress(%q) = %v, want %v", tc.address, got, tc.want)
		}
	}
}
