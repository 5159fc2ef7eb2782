package lifeline

import "testing"

func TestStartsHandler(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"funcemu", "start"}, true},
		{[]string{"funcemu", "start", "app", "--no-build"}, true},
		{[]string{"funcemu", "exec", "--", "go", "test"}, true},
		{[]string{"funcemu", "--verbose", "start"}, true},
		{[]string{"funcemu"}, false},
		{[]string{"funcemu", "storage"}, false},
		{[]string{"funcemu", "events", "start"}, false},
		{[]string{"funcemu.test", "-test.run=^TestX$"}, false},
	} {
		if got := startsHandler(c.args); got != c.want {
			t.Errorf("startsHandler(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
