package admin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/funcemu/funcemu/emulator"
)

// Replayer runs a recorded trigger input of function again, the way its
// trigger did; dryRun records the outputs without writing them. It
// returns when the invocation has finished.
type Replayer func(ctx context.Context, function string, in *emulator.Input, dryRun bool) (*emulator.Result, error)

// ReplayRequest is the body of POST /admin/funcemu/replay.
type ReplayRequest struct {
	Function string          `json:"function"`
	Input    *emulator.Input `json:"input"`
	DryRun   bool            `json:"dryRun,omitempty"`
}

// ReplayResponse names the invocation the replay made.
type ReplayResponse struct {
	ID     string                    `json:"id"`
	Status emulator.InvocationStatus `json:"status"`
	Error  string                    `json:"error,omitempty"`
}

// replay answers 200 with the new invocation once it finished (failed
// included), 400 for a body without a function or input, 404 for an
// unknown function, and 422 when the input cannot be replayed.
func (h *Handler) replay(w http.ResponseWriter, r *http.Request) {
	var req ReplayRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 200<<20)).Decode(&req); err != nil || req.Function == "" || req.Input == nil {
		http.Error(w, `replay: the body must be {"function": NAME, "input": {...}}`, http.StatusBadRequest)
		return
	}
	res, err := h.opts.Replay(r.Context(), req.Function, req.Input, req.DryRun)
	if res == nil || res.Invocation == nil {
		status := http.StatusUnprocessableEntity
		if emulator.ErrorCode(err) == emulator.ENOTFOUND {
			status = http.StatusNotFound
		}
		msg := "replay produced no invocation"
		if err != nil {
			msg = err.Error()
		}
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(ReplayResponse{ID: res.Invocation.ID, Status: res.Invocation.Status, Error: res.Invocation.Error})
}
