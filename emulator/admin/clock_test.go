package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func TestClockEndpoints(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		body      string
		wantCode  int
		wantNow   time.Time
		wantFired int
		wantError string
	}{
		{"advance", `{"by":"25h"}`, http.StatusOK, start.Add(25 * time.Hour), 1, ""},
		{"set", `{"to":"2026-03-05T00:00:00Z"}`, http.StatusOK, time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC), 2, ""},
		{"backwards", `{"to":"2026-01-01T00:00:00Z"}`, http.StatusConflict, start, 0, "only moves forward"},
		{"negative", `{"by":"-1h"}`, http.StatusBadRequest, time.Time{}, 0, `field "by"`},
		{"both", `{"by":"1h","to":"2026-03-05T00:00:00Z"}`, http.StatusBadRequest, time.Time{}, 0, "exactly one"},
		{"not JSON", `1h`, http.StatusBadRequest, time.Time{}, 0, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Two timers: advancing by 25h fires one, setting to March 5th both.
			c := clock.NewVirtual(start)
			c.AfterFunc(time.Hour, func() {})
			c.AfterFunc(48*time.Hour, func() {})
			h := New(Options{App: func() *emulator.App { return &emulator.App{} }, ClockMover: c})
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/admin/funcemu/clock/advance", strings.NewReader(tt.body)))
			var st ClockState
			if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if rec.Code != tt.wantCode || !st.Now.Equal(tt.wantNow) || st.Fired != tt.wantFired || !strings.Contains(st.Error, tt.wantError) {
				t.Fatalf("got %d %+v; want %d now %v fired %d error ~%q", rec.Code, st, tt.wantCode, tt.wantNow, tt.wantFired, tt.wantError)
			}
		})
	}
}

func TestClockEndpointsNeedAVirtualClock(t *testing.T) {
	h := New(Options{App: func() *emulator.App { return &emulator.App{} }})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/admin/funcemu/clock/advance", strings.NewReader(`{"by":"1h"}`)))
	if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("without a virtual clock: %d, want not found", rec.Code)
	}
}
