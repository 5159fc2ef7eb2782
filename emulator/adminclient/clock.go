package adminclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/funcemu/funcemu/emulator/admin"
)

// SystemClockError is a clock move asked of a funcemu on the system clock.
type SystemClockError struct{ Base string }

func (e *SystemClockError) Error() string {
	return fmt.Sprintf("the funcemu at %s runs on the system clock; start it with --clock virtual", e.Base)
}

const clockPath = "/admin/funcemu/clock/advance"

// AdvanceClock moves the virtual clock forward by a duration such as "1h";
// the timers that fall due fire before it returns.
func (c *Client) AdvanceClock(ctx context.Context, by string) (admin.ClockState, error) {
	return c.moveClock(ctx, admin.ClockMove{By: by})
}

// SetClock moves the virtual clock forward to an RFC 3339 time.
func (c *Client) SetClock(ctx context.Context, to string) (admin.ClockState, error) {
	return c.moveClock(ctx, admin.ClockMove{To: to})
}

func (c *Client) moveClock(ctx context.Context, m admin.ClockMove) (admin.ClockState, error) {
	var st admin.ClockState
	resp, err := c.postJSON(ctx, clockPath, m)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return st, &SystemClockError{Base: c.base}
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return st, fmt.Errorf("POST %s answered %s: %w", clockPath, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		return st, &StatusError{Method: http.MethodPost, Path: clockPath, Status: resp.Status, Code: resp.StatusCode, Message: st.Error}
	}
	return st, nil
}
