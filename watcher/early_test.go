package watcher

import (
	"context"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// startEarlyDebounce runs debounce with early looks after 10ms; keep
// applies to the batches, the looks see every path.
func startEarlyDebounce(t *testing.T, delay time.Duration, keep func([]change) []string) (chan<- change, <-chan Batch, <-chan Batch) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	in := make(chan change)
	out := make(chan Batch)
	early := make(chan Batch, 1)
	done := make(chan struct{})
	look := &earlyLook{after: 10 * time.Millisecond, peek: func(cs []change) []string { return keepDue(mapOf(cs), nil) }, out: early}
	go func() {
		defer close(done)
		debounce(ctx, emulator.SystemClock{}, delay, keep, in, out, look)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return in, out, early
}

func mapOf(cs []change) map[string]bool {
	m := map[string]bool{}
	for _, c := range cs {
		m[c.path] = c.created
	}
	return m
}

func TestEarlyLookComesBeforeTheQuietBatchWithItsSeq(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, early := startEarlyDebounce(t, 100*time.Millisecond, nil)
		in <- change{path: "main.go"}
		in <- change{path: "main.go"}
		time.Sleep(10 * time.Millisecond)
		look, ok := received(early)
		if !ok || !look.Early || !reflect.DeepEqual(look.Paths, []string{"main.go"}) || look.Seq != 2 {
			t.Fatalf("early look = %+v (%v), want main.go at Seq 2", look, ok)
		}
		if b, ok := received(out); ok {
			t.Fatalf("batch %+v before the folder was quiet", b)
		}
		time.Sleep(90 * time.Millisecond)
		b, ok := received(out)
		if !ok || b.Early || b.Seq != look.Seq || !reflect.DeepEqual(b.Paths, []string{"main.go"}) {
			t.Fatalf("batch = %+v (%v), want main.go with the look's Seq", b, ok)
		}
	})
}

func TestChangeAfterTheLookGivesTheBatchANewerSeq(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, early := startEarlyDebounce(t, 100*time.Millisecond, nil)
		in <- change{path: "main.go"}
		time.Sleep(10 * time.Millisecond)
		look, _ := received(early)
		time.Sleep(30 * time.Millisecond)
		in <- change{path: "util.go"}
		time.Sleep(100 * time.Millisecond)
		b, ok := received(out)
		if !ok || b.Seq == look.Seq || !reflect.DeepEqual(b.Paths, []string{"main.go", "util.go"}) {
			t.Fatalf("batch = %+v after look %+v, want both paths and a newer Seq", b, look)
		}
		if again, ok := received(early); ok {
			t.Fatalf("a second look %+v within one burst", again)
		}
	})
}

func TestLookedBurstEndsWithABatchEvenWhenNothingIsKept(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		in, out, early := startEarlyDebounce(t, 100*time.Millisecond, func([]change) []string { return nil })
		in <- change{path: "main.go"}
		time.Sleep(10 * time.Millisecond)
		if _, ok := received(early); !ok {
			t.Fatal("no early look")
		}
		time.Sleep(90 * time.Millisecond)
		b, ok := received(out)
		if !ok || len(b.Paths) != 0 {
			t.Fatalf("batch = %+v (%v), want an empty batch closing the looked burst", b, ok)
		}
	})
}
