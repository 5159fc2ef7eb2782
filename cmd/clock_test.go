package cmd

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// TestVirtualClockFiresADailyTimerThreeTimes starts an app whose daily
// timer runs at 03:00 on a virtual clock, advances the clock three days
// and finds three timer invocations in the journal, without waiting days.
func TestVirtualClockFiresADailyTimerThreeTimes(t *testing.T) {
	t.Parallel()
	app, endpoints, _ := startHelloWith(t, func(app string, o *startOptions) {
		o.clock = "virtual"
		dir := filepath.Join(app, "nightly")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		fn := `{"bindings":[{"type":"timerTrigger","direction":"in","name":"tick","schedule":"0 0 3 * * *"}]}`
		if err := os.WriteFile(filepath.Join(dir, "function.json"), []byte(fn), 0o644); err != nil {
			t.Fatal(err)
		}
	})
	out, err := runFuncemu(t, "", "clock", "advance", "72h", "--app", app)
	if err != nil || !strings.Contains(out, "timers fired") {
		t.Fatalf("clock advance: %v\n%s", err, out)
	}
	idle, err := http.Get(endpoints.HTTP + "/admin/funcemu/idle?timeout=1m")
	if err != nil {
		t.Fatal(err)
	}
	idle.Body.Close()
	if idle.StatusCode != http.StatusOK {
		t.Fatalf("idle: %s", idle.Status)
	}
	// Idle means the invocations finished; the journal writes them a
	// moment later, so poll it.
	j, err := journal.Open(journal.Options{Path: journal.PathIn(filepath.Join(app, ".funcemu"))})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var got []emulator.Invocation
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		got, err = j.List(context.Background(), journal.Filter{Function: "nightly"})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) >= 3 && got[0].Status != emulator.StatusRunning {
			break
		}
	}
	if len(got) != 3 {
		t.Fatalf("%d nightly invocations after three virtual days, want 3", len(got))
	}
	for i := 0; i < 2; i++ {
		if d := got[i].Start.Sub(got[i+1].Start); d.Hours() != 24 {
			t.Fatalf("runs %v apart, want a day", d)
		}
	}
}

func TestClockRefusesBadArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"clock", "advance", "soon"}, `duration "soon"`},
		{[]string{"clock", "set", "tomorrow"}, `time "tomorrow"`},
		{[]string{"clock", "advance", "1h", "--app", t.TempDir()}, "no running funcemu found"},
	}
	for _, tt := range tests {
		_, err := runFuncemu(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one mentioning %q", tt.args, err, tt.want)
		}
	}
}
