package cmd

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/keys"
)

// serveKeyedAdmin serves the real admin API behind its guard, with the
// keys of a data folder of its own, and writes the instance file there as
// funcemu start does. It returns the data folder and the master key.
func serveKeyedAdmin(t *testing.T, opts admin.Options) (dataDir, master string) {
	t.Helper()
	dataDir = t.TempDir()
	store, _, err := keys.Open(keys.PathIn(dataDir), "")
	if err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	if opts.App == nil {
		a := &emulator.App{}
		opts.App = func() *emulator.App { return a }
	}
	opts.BaseURL = func() string { return srv.URL }
	srv = httptest.NewServer(admin.Guard(admin.New(opts), admin.GuardOptions{Address: "127.0.0.1", Keys: store}))
	t.Cleanup(srv.Close)
	if err := writeReadyFile(adminclient.InstancePath(dataDir), &emulator.Endpoints{HTTP: srv.URL}); err != nil {
		t.Fatal(err)
	}
	return dataDir, store.MasterKey()
}

// TestClockCommand runs funcemu clock in-process against the admin API of
// a funcemu on a virtual clock, found through its data folder, with the
// master key from the folder or from FUNCEMU_MASTER_KEY.
func TestClockCommand(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	dir, master := serveKeyedAdmin(t, admin.Options{ClockMover: clock.NewVirtual(start)})
	systemDir, _ := serveKeyedAdmin(t, admin.Options{})
	tests := []struct {
		name    string
		env     []string
		args    []string
		wantOut string
		wantErr string
	}{
		{"advance with the folder's key", nil, []string{"clock", "advance", "1h", "--data-dir", dir},
			"clock at 2026-03-01T01:00:00Z, 0 timers fired\n", ""},
		{"set with the key from the environment", []string{masterKeyEnv + "=" + master}, []string{"clock", "set", "2026-03-02T00:00:00Z", "--data-dir", dir},
			"clock at 2026-03-02T00:00:00Z, 0 timers fired\n", ""},
		{"a wrong key from the environment", []string{masterKeyEnv + "=wrong"}, []string{"clock", "advance", "1h", "--data-dir", dir},
			"", "clock: POST /admin/funcemu/clock/advance answered 401"},
		{"set back in time", nil, []string{"clock", "set", "2026-03-01T00:00:00Z", "--data-dir", dir},
			"", "the clock only moves forward"},
		{"negative duration", nil, []string{"clock", "advance", "-5m", "--data-dir", dir},
			"", "only moves forward, as time does"},
		{"system clock", nil, []string{"clock", "advance", "1h", "--data-dir", systemDir},
			"", "runs on the system clock; start it with --clock virtual"},
	}
	for _, tc := range tests { // in order: the clock moves
		t.Run(tc.name, func(t *testing.T) {
			out, err := runFuncemuEnv(t, "", tc.env, tc.args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || out != tc.wantOut {
				t.Fatalf("out %q, err %v; want %q", out, err, tc.wantOut)
			}
		})
	}
}
