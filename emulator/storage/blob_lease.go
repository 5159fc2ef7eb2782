package storage

import (
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Lease states as Azure reports them in x-ms-lease-state.
const (
	LeaseAvailable = "available"
	LeaseLeased    = "leased"
	LeaseExpired   = "expired"
	LeaseBreaking  = "breaking"
	LeaseBroken    = "broken"
)

// Lease actions of x-ms-lease-action.
const (
	LeaseAcquire = "acquire"
	LeaseRenew   = "renew"
	LeaseChange  = "change"
	LeaseRelease = "release"
	LeaseBreak   = "break"
)

// LeaseInfo is what a container or blob reports about its lease.
type LeaseInfo struct {
	State    string // available, leased, expired, breaking, broken
	Status   string // locked, unlocked
	Duration string // infinite, fixed; "" unless leased
}

// LeaseRequest is one lease operation.
type LeaseRequest struct {
	Action     string
	ID         string // x-ms-lease-id (renew, change, release)
	ProposedID string // x-ms-proposed-lease-id (acquire, change)
	// Duration in seconds for acquire: 15..60, or -1 for infinite.
	Duration int
	// BreakPeriod in seconds for break, nil for "the remaining time".
	BreakPeriod *int
}

// LeaseResult is the outcome of a lease operation.
type LeaseResult struct {
	ID           string // the lease id after the operation; "" after release/break
	TimeLeft     int    // seconds until a breaking lease is broken (break only)
	ETag         string
	LastModified time.Time
}

// lease is the stored lease; expiry of a timed lease and the end of a break
// are evaluated lazily against the clock, so no timers are needed.
type lease struct {
	id       string
	state    string // stored: available, leased, breaking, broken
	duration int    // seconds, -1 infinite
	until    int64  // unix nanos: end of a timed lease or of a break period
}

// at gives the effective lease at now.
func (l lease) at(now time.Time) lease {
	n := now.UnixNano()
	switch {
	case l.state == LeaseLeased && l.duration > 0 && n >= l.until:
		l.state = LeaseExpired
	case l.state == LeaseBreaking && n >= l.until:
		l.state = LeaseBroken
	}
	return l
}

func (l lease) locked() bool { return l.state == LeaseLeased || l.state == LeaseBreaking }

func (l lease) info() LeaseInfo {
	li := LeaseInfo{State: l.state, Status: "unlocked"}
	if l.locked() {
		li.Status = "locked"
	}
	if l.state == LeaseLeased {
		li.Duration = "fixed"
		if l.duration < 0 {
			li.Duration = "infinite"
		}
	}
	return li
}

func validLeaseDuration(d int) bool { return d == -1 || (d >= 15 && d <= 60) }

// apply runs a lease operation on the effective lease l.
func (l lease) apply(req LeaseRequest, now time.Time) (lease, int, error) {
	n := now.UnixNano()
	switch req.Action {
	case LeaseAcquire:
		if !validLeaseDuration(req.Duration) {
			return l, 0, ErrInvalidHeader.with("x-ms-lease-duration %d must be -1 or 15 to 60", req.Duration)
		}
		id := req.ProposedID
		switch l.state {
		case LeaseLeased:
			if id != l.id {
				return l, 0, ErrLeaseAlreadyPresent
			}
		case LeaseBreaking:
			if id == l.id {
				return l, 0, ErrLeaseBreakingAcquire
			}
			return l, 0, ErrLeaseAlreadyPresent
		}
		if id == "" {
			id = emulator.NewGUID()
		}
		return leased(id, req.Duration, n), 0, nil
	case LeaseRenew:
		if err := l.requireID(req.ID); err != nil {
			return l, 0, err
		}
		switch l.state {
		case LeaseBreaking, LeaseBroken:
			return l, 0, ErrLeaseBrokenRenew
		}
		return leased(l.id, l.duration, n), 0, nil
	case LeaseChange:
		if req.ProposedID == "" {
			return l, 0, ErrMissingHeader.with("x-ms-proposed-lease-id")
		}
		switch l.state {
		case LeaseAvailable, LeaseExpired, LeaseBroken:
			return l, 0, ErrLeaseNotPresent
		case LeaseBreaking:
			return l, 0, ErrLeaseBreakingChange
		}
		if req.ID != l.id && req.ProposedID != l.id {
			return l, 0, ErrLeaseMismatch
		}
		l.id = req.ProposedID
		return l, 0, nil
	case LeaseRelease:
		if err := l.requireID(req.ID); err != nil {
			return l, 0, err
		}
		return lease{state: LeaseAvailable}, 0, nil
	case LeaseBreak:
		return l.breakAt(req.BreakPeriod, n)
	}
	return l, 0, ErrInvalidHeader.with("x-ms-lease-action %q", req.Action)
}

func (l lease) breakAt(period *int, n int64) (lease, int, error) {
	if period != nil && (*period < 0 || *period > 60) {
		return l, 0, ErrInvalidHeader.with("x-ms-lease-break-period %d must be 0 to 60", *period)
	}
	switch l.state {
	case LeaseAvailable:
		return l, 0, ErrLeaseNotPresent
	case LeaseExpired, LeaseBroken:
		return lease{id: l.id, state: LeaseBroken}, 0, nil
	}
	remaining := int64(-1) // nanos left on the lease or the break; -1 infinite
	if l.state == LeaseBreaking || l.duration > 0 {
		remaining = l.until - n
	}
	var wait int64
	switch {
	case period != nil:
		wait = int64(*period) * int64(time.Second)
		if remaining >= 0 && remaining < wait {
			wait = remaining
		}
	case remaining >= 0:
		wait = remaining
	}
	if wait <= 0 {
		return lease{id: l.id, state: LeaseBroken}, 0, nil
	}
	secs := int((wait + int64(time.Second) - 1) / int64(time.Second))
	return lease{id: l.id, state: LeaseBreaking, duration: l.duration, until: n + wait}, secs, nil
}

func (l lease) requireID(id string) error {
	if id == "" {
		return ErrMissingHeader.with("x-ms-lease-id")
	}
	if l.state == LeaseAvailable {
		return ErrLeaseNotPresent
	}
	if id != l.id {
		return ErrLeaseMismatch
	}
	return nil
}

func leased(id string, duration int, n int64) lease {
	l := lease{id: id, state: LeaseLeased, duration: duration}
	if duration > 0 {
		l.until = n + int64(duration)*int64(time.Second)
	}
	return l
}

// checkWrite enforces the lease on a write: a locked resource needs the
// active lease id, an unlocked one refuses any lease id.
func (l lease) checkWrite(id string) error {
	if l.locked() {
		if id == "" {
			return ErrLeaseIDMissing
		}
		if id != l.id {
			return ErrBlobLeaseMismatch
		}
		return nil
	}
	return l.checkRead(id)
}

// checkRead enforces a lease id given on a read: it must be the active one.
func (l lease) checkRead(id string) error {
	if id == "" {
		return nil
	}
	if !l.locked() {
		if l.state == LeaseExpired && id == l.id {
			return ErrLeaseLost
		}
		return ErrBlobLeaseNotPresent
	}
	if id != l.id {
		return ErrBlobLeaseMismatch
	}
	return nil
}
