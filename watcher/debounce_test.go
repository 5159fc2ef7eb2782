package watcher

import (
	"context"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// startDebounce runs debounce inside a synctest bubble, where time only
// moves when every goroutine is blocked, so the test controls it exactly.
func startDebounce(t *testing.T, delay time.Duration) (chan<- change, <-chan Batch) {
	return startFilteredDebounce(t, delay, nil)
}

func startFilteredDebounce(t *testing.T, delay time.Duration, keep func([]change) []string) (chan<- change, <-chan Batch) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	in := make(chan change)
	out := make(chan Batch)
	done := make(chan struct{})
	go func() {
		defer close(done)
		debounce(ctx, emulator.SystemClock{}, delay, keep, in, out, nil)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return in, out
}

// received returns the batch waiting on out, if any, once every goroutine
// of the bubble has settled.
func received(out <-chan Batch) (Batch, bool) {
	synctest.Wait()
	select {
	case b := <-out:
		return b, true
	default:
		return Batch{}, false
	}
}

func TestDebounceEmitsAfterTheLastEvent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startDebounce(t, 100*time.Millisecond)
		in <- change{path: "a.go"}
		time.Sleep(60 * time.Millisecond)
		in <- change{path: "b.go"} // restarts the quiet period
		time.Sleep(99 * time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch %v emitted before 100ms of quiet", b.Paths)
		}
		time.Sleep(1 * time.Millisecond)
		b, ok := received(out)
		if !ok {
			t.Fatal("no batch 100ms after the last event")
		}
		if want := []string{"a.go", "b.go"}; !reflect.DeepEqual(b.Paths, want) {
			t.Fatalf("Paths = %q, want %q", b.Paths, want)
		}
	})
}

func TestDebounceDedupesAndSorts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startDebounce(t, 100*time.Millisecond)
		for _, p := range []string{"z.go", "a.go", "z.go", "m/", "a.go"} {
			in <- change{path: p}
		}
		time.Sleep(100 * time.Millisecond)
		b, ok := received(out)
		if want := []string{"a.go", "m/", "z.go"}; !ok || !reflect.DeepEqual(b.Paths, want) {
			t.Fatalf("got %q (ok=%v), want %q", b.Paths, ok, want)
		}
	})
}

func TestDebounceSteadyStreamKeepsTheBatchOpen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startDebounce(t, 100*time.Millisecond)
		for i := 0; i < 20; i++ {
			in <- change{path: "gen.go"}
			time.Sleep(90 * time.Millisecond)
			if b, ok := received(out); ok {
				t.Fatalf("batch %v emitted while events kept coming", b.Paths)
			}
		}
		time.Sleep(10 * time.Millisecond)
		if _, ok := received(out); !ok {
			t.Fatal("no batch once the stream stopped")
		}
	})
}

func TestDebounceSeparatesQuietPeriods(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startDebounce(t, 100*time.Millisecond)
		in <- change{path: "a.go"}
		time.Sleep(100 * time.Millisecond)
		first, ok := received(out)
		if !ok || !reflect.DeepEqual(first.Paths, []string{"a.go"}) {
			t.Fatalf("first batch = %q (ok=%v)", first.Paths, ok)
		}
		in <- change{path: "b.go"}
		time.Sleep(100 * time.Millisecond)
		second, ok := received(out)
		if !ok || !reflect.DeepEqual(second.Paths, []string{"b.go"}) {
			t.Fatalf("second batch = %q (ok=%v), want only b.go", second.Paths, ok)
		}
	})
}

func TestDebounceMergesBatchesTheReaderHasNotTaken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out := startDebounce(t, 100*time.Millisecond)
		in <- change{path: "a.go"}
		time.Sleep(150 * time.Millisecond) // due, but nobody reads
		in <- change{path: "b.go"}
		time.Sleep(150 * time.Millisecond)
		b, ok := received(out)
		if want := []string{"a.go", "b.go"}; !ok || !reflect.DeepEqual(b.Paths, want) {
			t.Fatalf("got %q (ok=%v), want the merged %q", b.Paths, ok, want)
		}
		if extra, ok := received(out); ok {
			t.Fatalf("second batch %q after the merge", extra.Paths)
		}
	})
}

func TestDebounceHonoursTheConfiguredDelay(t *testing.T) {
	for _, delay := range []time.Duration{time.Millisecond, 100 * time.Millisecond, 2 * time.Second} {
		t.Run(delay.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				in, out := startDebounce(t, delay)
				in <- change{path: "x"}
				time.Sleep(delay - time.Nanosecond)
				if _, ok := received(out); ok {
					t.Fatal("emitted early")
				}
				time.Sleep(time.Nanosecond)
				if _, ok := received(out); !ok {
					t.Fatal("not emitted on time")
				}
			})
		})
	}
}

func TestDebounceClosesOutWhenInCloses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in := make(chan change)
		out := make(chan Batch)
		go debounce(t.Context(), emulator.SystemClock{}, time.Second, nil, in, out, nil)
		close(in)
		if _, ok := <-out; ok {
			t.Fatal("out still open")
		}
	})
}

func TestDebounceEmitsOnlyWhatTheFilterKeeps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dropGenerated := func(cs []change) []string {
			var out []string
			for _, c := range cs {
				if c.path != "gen.go" {
					out = append(out, c.path)
				}
			}
			return out
		}
		in, out := startFilteredDebounce(t, 100*time.Millisecond, dropGenerated)
		in <- change{path: "gen.go"}
		time.Sleep(100 * time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch %q emitted although the filter kept nothing", b.Paths)
		}
		in <- change{path: "gen.go"}
		in <- change{path: "main.go"}
		time.Sleep(100 * time.Millisecond)
		b, ok := received(out)
		if !ok || !reflect.DeepEqual(b.Paths, []string{"main.go"}) {
			t.Fatalf("got %q (ok=%v), want only main.go", b.Paths, ok)
		}
	})
}
