package storage

import (
	"testing"
	"time"
)

func TestLeaseStateMachine(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	const id, other = "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	held := leased(id, 15, t0.UnixNano())
	infinite := leased(id, -1, t0.UnixNano())
	ten := 10
	zero := 0
	tests := []struct {
		name      string
		start     lease
		at        time.Duration // after t0
		req       LeaseRequest
		wantState string
		wantID    string
		wantLeft  int
		wantErr   error
	}{
		{"acquire available", lease{state: LeaseAvailable}, 0, LeaseRequest{Action: LeaseAcquire, ProposedID: id, Duration: 15}, LeaseLeased, id, 0, nil},
		{"acquire bad duration", lease{state: LeaseAvailable}, 0, LeaseRequest{Action: LeaseAcquire, Duration: 10}, "", "", 0, ErrInvalidHeader},
		{"acquire same id renews", held, 5 * time.Second, LeaseRequest{Action: LeaseAcquire, ProposedID: id, Duration: 30}, LeaseLeased, id, 0, nil},
		{"acquire other id", held, 0, LeaseRequest{Action: LeaseAcquire, ProposedID: other, Duration: 15}, "", "", 0, ErrLeaseAlreadyPresent},
		{"acquire after expiry", held, 16 * time.Second, LeaseRequest{Action: LeaseAcquire, ProposedID: other, Duration: 15}, LeaseLeased, other, 0, nil},
		{"renew expired by owner", held, 20 * time.Second, LeaseRequest{Action: LeaseRenew, ID: id}, LeaseLeased, id, 0, nil},
		{"renew wrong id", held, 0, LeaseRequest{Action: LeaseRenew, ID: other}, "", "", 0, ErrLeaseMismatch},
		{"renew available", lease{state: LeaseAvailable}, 0, LeaseRequest{Action: LeaseRenew, ID: id}, "", "", 0, ErrLeaseNotPresent},
		{"renew broken", lease{id: id, state: LeaseBroken}, 0, LeaseRequest{Action: LeaseRenew, ID: id}, "", "", 0, ErrLeaseBrokenRenew},
		{"change", held, 0, LeaseRequest{Action: LeaseChange, ID: id, ProposedID: other}, LeaseLeased, other, 0, nil},
		{"change wrong id", held, 0, LeaseRequest{Action: LeaseChange, ID: "x", ProposedID: "y"}, "", "", 0, ErrLeaseMismatch},
		{"release", held, 0, LeaseRequest{Action: LeaseRelease, ID: id}, LeaseAvailable, "", 0, nil},
		{"release wrong id", held, 0, LeaseRequest{Action: LeaseRelease, ID: other}, "", "", 0, ErrLeaseMismatch},
		{"break infinite now", infinite, 0, LeaseRequest{Action: LeaseBreak}, LeaseBroken, id, 0, nil},
		{"break infinite with period", infinite, 0, LeaseRequest{Action: LeaseBreak, BreakPeriod: &ten}, LeaseBreaking, id, 10, nil},
		{"break fixed takes remaining", held, 5 * time.Second, LeaseRequest{Action: LeaseBreak}, LeaseBreaking, id, 10, nil},
		{"break fixed period capped", held, 10 * time.Second, LeaseRequest{Action: LeaseBreak, BreakPeriod: &ten}, LeaseBreaking, id, 5, nil},
		{"break zero", held, 0, LeaseRequest{Action: LeaseBreak, BreakPeriod: &zero}, LeaseBroken, id, 0, nil},
		{"break available", lease{state: LeaseAvailable}, 0, LeaseRequest{Action: LeaseBreak}, "", "", 0, ErrLeaseNotPresent},
		{"acquire while breaking", lease{id: id, state: LeaseBreaking, until: t0.Add(time.Minute).UnixNano()}, 0, LeaseRequest{Action: LeaseAcquire, ProposedID: other, Duration: -1}, "", "", 0, ErrLeaseAlreadyPresent},
		{"acquire after break ends", lease{id: id, state: LeaseBreaking, until: t0.Add(time.Second).UnixNano()}, 2 * time.Second, LeaseRequest{Action: LeaseAcquire, ProposedID: other, Duration: -1}, LeaseLeased, other, 0, nil},
		{"unknown action", held, 0, LeaseRequest{Action: "steal"}, "", "", 0, ErrInvalidHeader},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := t0.Add(tc.at)
			got, left, err := tc.start.at(now).apply(tc.req, now)
			if tc.wantErr != nil {
				wantErr(t, err, tc.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.state != tc.wantState || (tc.wantID != "" && got.id != tc.wantID) || left != tc.wantLeft {
				t.Fatalf("got state %s id %s left %d, want %s %s %d", got.state, got.id, left, tc.wantState, tc.wantID, tc.wantLeft)
			}
		})
	}
}

func TestLeaseExpiresAndBreaksLazily(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1000, 0)
	l := leased("id", 15, t0.UnixNano())
	if s := l.at(t0.Add(14 * time.Second)).state; s != LeaseLeased {
		t.Fatalf("at 14s state = %s", s)
	}
	if s := l.at(t0.Add(15 * time.Second)).state; s != LeaseExpired {
		t.Fatalf("at 15s state = %s", s)
	}
	b := lease{id: "id", state: LeaseBreaking, until: t0.Add(time.Second).UnixNano()}
	if s := b.at(t0.Add(time.Second)).state; s != LeaseBroken {
		t.Fatalf("break end state = %s", s)
	}
	if info := l.info(); info != (LeaseInfo{State: LeaseLeased, Status: "locked", Duration: "fixed"}) {
		t.Fatalf("info = %+v", info)
	}
}

func TestLeaseGuardsWrites(t *testing.T) {
	t.Parallel()
	l := leased("id", -1, 0)
	wantErr(t, l.checkWrite(""), ErrLeaseIDMissing)
	wantErr(t, l.checkWrite("other"), ErrBlobLeaseMismatch)
	if err := l.checkWrite("id"); err != nil {
		t.Fatal(err)
	}
	free := lease{state: LeaseAvailable}
	if err := free.checkWrite(""); err != nil {
		t.Fatal(err)
	}
	wantErr(t, free.checkWrite("id"), ErrBlobLeaseNotPresent)
	if err := l.checkRead(""); err != nil {
		t.Fatal(err)
	}
}
