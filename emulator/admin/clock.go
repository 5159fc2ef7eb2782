package admin

import (
	"encoding/json"
	"net/http"
	"time"
)

// ClockMover is a clock that can be moved by hand: the virtual clock.
type ClockMover interface {
	Now() time.Time
	// Advance moves the clock forward by d and returns the timers fired.
	Advance(d time.Duration) int
	// Set moves the clock forward to t and returns the timers fired.
	Set(t time.Time) int
}

// ClockMove is the body of POST /admin/funcemu/clock/advance: a duration
// ("by") or a time to move to ("to", RFC 3339), exactly one of them.
type ClockMove struct {
	By string `json:"by"`
	To string `json:"to"`
}

// ClockState is the answer of the clock endpoints: the virtual time, the
// timers a move fired, or what was wrong with the move.
type ClockState struct {
	Now   time.Time `json:"now"`
	Fired int       `json:"fired"`
	Error string    `json:"error,omitempty"`
}

func (h *Handler) clockNow(w http.ResponseWriter, _ *http.Request) {
	writeClock(w, http.StatusOK, ClockState{Now: h.opts.ClockMover.Now()})
}

// clockAdvance moves the virtual clock; due timers fire before it answers.
func (h *Handler) clockAdvance(w http.ResponseWriter, r *http.Request) {
	var m ClockMove
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<10)).Decode(&m); err != nil {
		writeClock(w, http.StatusBadRequest, ClockState{Error: `body: want {"by":"1h"} or {"to":"2026-03-01T09:00:00Z"}`})
		return
	}
	c := h.opts.ClockMover
	switch {
	case m.By != "" && m.To == "":
		d, err := time.ParseDuration(m.By)
		if err != nil || d < 0 {
			writeClock(w, http.StatusBadRequest, ClockState{Error: `field "by": want a positive duration such as 1h, got ` + m.By})
			return
		}
		n := c.Advance(d)
		writeClock(w, http.StatusOK, ClockState{Now: c.Now(), Fired: n})
	case m.To != "" && m.By == "":
		t, err := time.Parse(time.RFC3339Nano, m.To)
		if err != nil {
			writeClock(w, http.StatusBadRequest, ClockState{Error: `field "to": want an RFC 3339 time, got ` + m.To})
			return
		}
		if t.Before(c.Now()) {
			writeClock(w, http.StatusConflict, ClockState{Now: c.Now(), Error: `field "to": the clock only moves forward`})
			return
		}
		n := c.Set(t)
		writeClock(w, http.StatusOK, ClockState{Now: c.Now(), Fired: n})
	default:
		writeClock(w, http.StatusBadRequest, ClockState{Error: `body: give exactly one of "by" and "to"`})
	}
}

func writeClock(w http.ResponseWriter, status int, st ClockState) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(st)
}
