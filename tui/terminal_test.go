package tui

import (
	"os"
	"testing"
)

func TestInteractiveIsFalseForPipesAndFiles(t *testing.T) {
	r, w := ioPipe(t)
	f, err := os.Create(t.TempDir() + "/out.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name    string
		in, out *os.File
	}{
		{"pipes", r, w},
		{"file output", r, f},
		{"no input", nil, w},
	}
	for _, tt := range tests {
		if Interactive(tt.in, tt.out) {
			t.Errorf("%s: Interactive = true", tt.name)
		}
	}
}
