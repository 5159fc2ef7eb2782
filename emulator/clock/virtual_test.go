package clock

import (
	"sync"
	"testing"
	"time"
)

var start = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func TestAdvanceFiresDueTimersInOrderAtTheirDeadlines(t *testing.T) {
	v := NewVirtual(start)
	var mu sync.Mutex
	var got []string
	record := func(name string) func() {
		return func() {
			mu.Lock()
			defer mu.Unlock()
			got = append(got, name+"@"+v.Now().Format("15:04"))
		}
	}
	v.AfterFunc(2*time.Hour, record("b"))
	v.AfterFunc(time.Hour, record("a"))
	v.AfterFunc(5*time.Hour, record("late"))

	if n := v.Advance(3 * time.Hour); n != 2 {
		t.Fatalf("Advance fired %d timers, want 2", n)
	}
	want := []string{"a@10:00", "b@11:00"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("fired %v, want %v", got, want)
	}
	if now := v.Now(); !now.Equal(start.Add(3 * time.Hour)) {
		t.Fatalf("Now() = %v after Advance", now)
	}
	if v.Pending() != 1 {
		t.Fatalf("Pending() = %d, want 1", v.Pending())
	}
}

func TestSelfRearmingDailyTimerFiresOncePerDay(t *testing.T) {
	v := NewVirtual(start)
	var fires []time.Time
	var arm func()
	arm = func() {
		v.AfterFunc(24*time.Hour, func() {
			fires = append(fires, v.Now())
			arm()
		})
	}
	arm()
	v.Advance(3*24*time.Hour + time.Minute)
	if len(fires) != 3 {
		t.Fatalf("daily timer fired %d times over three days, want 3", len(fires))
	}
	for i, f := range fires {
		if want := start.Add(time.Duration(i+1) * 24 * time.Hour); !f.Equal(want) {
			t.Fatalf("fire %d at %v, want %v", i, f, want)
		}
	}
}

func TestStopPreventsTheCall(t *testing.T) {
	v := NewVirtual(start)
	called := false
	tm := v.AfterFunc(time.Minute, func() { called = true })
	if !tm.Stop() {
		t.Fatal("Stop of a pending timer returned false")
	}
	if tm.Stop() {
		t.Fatal("second Stop returned true")
	}
	v.Advance(time.Hour)
	if called {
		t.Fatal("stopped timer fired")
	}
}

func TestSetBackwardsDoesNotMoveTheClock(t *testing.T) {
	v := NewVirtual(start)
	v.Set(start.Add(-time.Hour))
	if !v.Now().Equal(start) {
		t.Fatalf("Now() = %v, want %v", v.Now(), start)
	}
}

func TestZeroDelayTimerFiresOnAnyAdvance(t *testing.T) {
	v := NewVirtual(start)
	called := make(chan struct{}, 1)
	v.AfterFunc(0, func() { called <- struct{}{} })
	v.Advance(0)
	select {
	case <-called:
	default:
		t.Fatal("zero-delay timer did not fire on Advance(0)")
	}
}

func TestDeadlinesListsPendingTimersInOrder(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v := NewVirtual(start)
	v.AfterFunc(3*time.Hour, func() {})
	stopped := v.AfterFunc(2*time.Hour, func() {})
	v.AfterFunc(time.Hour, func() {})
	stopped.Stop()
	got := v.Deadlines()
	if len(got) != 2 || !got[0].Equal(start.Add(time.Hour)) || !got[1].Equal(start.Add(3*time.Hour)) {
		t.Fatalf("Deadlines = %v, want +1h and +3h", got)
	}
	v.Advance(time.Hour)
	if got := v.Deadlines(); len(got) != 1 || !got[0].Equal(start.Add(3*time.Hour)) {
		t.Fatalf("after firing the first, Deadlines = %v", got)
	}
}

func TestWaitForCallbacksZeroDoesNotWait(t *testing.T) {
	v := NewVirtual(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	v.WaitForCallbacks(0)
	release := make(chan struct{})
	ran := make(chan struct{})
	v.AfterFunc(time.Minute, func() { close(ran); <-release })
	if fired := v.Advance(time.Hour); fired != 1 {
		t.Fatalf("Advance fired %d, want 1", fired)
	}
	<-ran // Advance returned while the callback still blocks
	close(release)
}
