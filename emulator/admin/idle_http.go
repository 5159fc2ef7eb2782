package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// defaultIdleTimeout is how long GET /admin/funcemu/idle waits without ?timeout.
const defaultIdleTimeout = 30 * time.Second

// idleStatus is the answer of GET /admin/funcemu/idle.
type idleStatus struct {
	Idle    bool   `json:"idle"`
	Running int    `json:"running"`
	Error   string `json:"error,omitempty"`
}

// idle answers 200 once the emulator is idle, 408 when ?timeout (a Go
// duration, default 30s) passes first, 400 for a bad timeout.
func (h *Handler) idle(w http.ResponseWriter, r *http.Request) {
	timeout := defaultIdleTimeout
	if s := r.URL.Query().Get("timeout"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			writeIdle(w, http.StatusBadRequest, idleStatus{Error: "query parameter timeout: want a duration such as 30s, got " + s})
			return
		}
		timeout = d
	}
	// The wait is bounded in wall time: it is the caller's patience, not
	// emulated time.
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	err := h.opts.Idle.Wait(ctx)
	st := idleStatus{Idle: err == nil, Running: h.opts.Idle.Running()}
	switch {
	case err == nil:
		writeIdle(w, http.StatusOK, st)
	case errors.Is(err, context.DeadlineExceeded):
		writeIdle(w, http.StatusRequestTimeout, st)
	default:
		st.Error = err.Error()
		writeIdle(w, http.StatusServiceUnavailable, st)
	}
}

func writeIdle(w http.ResponseWriter, status int, st idleStatus) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(st)
}
