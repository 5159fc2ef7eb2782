package bindexpr

import "testing"

func TestResolveSettings(t *testing.T) {
	settings := map[string]string{"INPUT_QUEUE": "jobs", "Empty": "", "Nested:Key": "deep", "Pct": "50%"}
	lookup := func(k string) (string, bool) { v, ok := settings[k]; return v, ok }
	tests := []struct {
		in, want, wantErr string
	}{
		{"plain", "plain", ""},
		{"%INPUT_QUEUE%", "jobs", ""},
		{"in-%INPUT_QUEUE%-%INPUT_QUEUE%", "in-jobs-jobs", ""},
		{"%INPUT_QUEUE%%Empty%x", "jobsx", ""},
		{"%Nested:Key%", "deep", ""},
		{"%Pct%%INPUT_QUEUE%", "50%jobs", ""}, // substituted values are not re-read
		{"abc%def", "", "The '%' at position 3 does not have a closing '%'"},
		{"é%x", "", "The '%' at position 1 does not have a closing '%'"}, // UTF-16 index, as .NET
		{"%MISSING%", "", "'%MISSING%' does not resolve to a value."},
		{"%%", "", "'%%' does not resolve to a value."},
	}
	for _, tt := range tests {
		got, err := ResolveSettings(tt.in, lookup)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ResolveSettings(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ResolveSettings(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
