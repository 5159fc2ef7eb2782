package starttrace

import (
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestMarkPrintsTimeSinceTheLaunch runs this test binary with the trace
// on, started at a known time, and reads the line Mark prints.
func TestMarkPrintsTimeSinceTheLaunch(t *testing.T) {
	if os.Getenv("STARTTRACE_CHILD") == "1" {
		Mark("step test")
		return
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestMarkPrintsTimeSinceTheLaunch$")
	launched := time.Now()
	cmd.Env = append(os.Environ(), "STARTTRACE_CHILD=1", Env+"="+strconv.FormatInt(launched.UnixNano(), 10))
	out, err := cmd.CombinedOutput()
	took := time.Since(launched)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	m := regexp.MustCompile(`(?m)^start-trace ([0-9.]+) ([0-9.]+) step test$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no trace line in\n%s", out)
	}
	since, _ := strconv.ParseFloat(string(m[1]), 64)
	if since <= 0 || since > float64(took.Milliseconds())+1 {
		t.Errorf("mark at %v ms, want within the %v the child ran", since, took)
	}
}

// TestMarkIsSilentWhenOff prints nothing without the variable.
func TestMarkIsSilentWhenOff(t *testing.T) {
	if !origin.IsZero() {
		t.Skip("the trace is on in this run")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := os.Stderr
	os.Stderr = w
	Mark("nothing")
	os.Stderr = stderr
	w.Close()
	b := make([]byte, 64)
	if n, _ := r.Read(b); n > 0 {
		t.Fatalf("printed %q with the trace off", b[:n])
	}
}
