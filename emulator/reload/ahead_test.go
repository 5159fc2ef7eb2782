package reload

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/watcher"
)

// look delivers an early look and waits until the controller has done
// all it can with it.
func (r *rig) look(seq uint64, paths ...string) {
	r.early <- watcher.Batch{Paths: paths, Seq: seq, Early: true}
	synctest.Wait()
}

// sendSeq delivers the batch closing a burst.
func (r *rig) sendSeq(seq uint64, paths ...string) {
	r.batches <- watcher.Batch{Paths: paths, Seq: seq}
	synctest.Wait()
}

// TestEarlyLookBuildsAheadAndKeepsTheBuild: a source change seen early is
// built at once, without a build.started event; when the burst's batch
// saw nothing more, that build is reported and swapped in, and no second
// build runs.
func TestEarlyLookBuildsAheadAndKeepsTheBuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.look(3, "main.go")
		r.wantCalls("build")
		if n := r.count(emulator.EventBuildStarted); n != 0 {
			t.Fatalf("%d build.started events before the burst was over", n)
		}
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build") // finished, but held until the burst is over
		if len(r.finished()) != 0 {
			t.Fatal("a build started ahead was reported before its batch")
		}
		r.sendSeq(3, "main.go")
		r.wantCalls("build", "swap")
		if r.count(emulator.EventBuildStarted) != 1 || !slices.Equal(r.buildStates(), []emulator.BuildState{emulator.BuildSucceeded}) {
			t.Fatalf("started %d, finished %v; want one build reported as succeeded", r.count(emulator.EventBuildStarted), r.buildStates())
		}
		r.wantLog("rebuild: main.go")
	})
}

// TestEarlyLookDroppedWhenTheBurstGoesOn: a change after the look (the
// batch's Seq differs) cancels the build started ahead unseen, and the
// batch is built as usual; a failure of the dropped build shows nowhere.
func TestEarlyLookDroppedWhenTheBurstGoesOn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.look(3, "main.go")
		r.wantCalls("build")
		r.sendSeq(5, "main.go", "util.go")
		r.wantCalls("build", "build")
		r.mu.Lock()
		first := r.buildCtx[0]
		r.mu.Unlock()
		if !errors.Is(first.Err(), context.Canceled) {
			t.Fatalf("the build started ahead was not canceled: %v", first.Err())
		}
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "build", "swap")
		if r.count(emulator.EventBuildStarted) != 1 || len(r.finished()) != 1 {
			t.Fatalf("started %d, finished %d; want only the second build reported", r.count(emulator.EventBuildStarted), len(r.finished()))
		}
		for _, l := range r.logs() {
			if l == "Build canceled: a newer change arrived." {
				t.Fatal("the dropped build was reported as canceled")
			}
		}
	})
}

// TestEarlyLookOnlyForSources: a look at a function.json change starts
// nothing; its batch reloads the index as usual.
func TestEarlyLookOnlyForSources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.look(1, "hello/function.json")
		r.wantCalls()
		r.sendSeq(1, "hello/function.json")
		r.wantCalls("load", "apply")
	})
}

// TestStaleLookIsIgnored: a look read after the batch of its own burst
// starts nothing, and leaves that batch's build running.
func TestStaleLookIsIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.sendSeq(4, "main.go")
		r.wantCalls("build")
		r.look(4, "main.go")
		r.wantCalls("build")
		r.mu.Lock()
		running := r.buildCtx[0]
		r.mu.Unlock()
		if running.Err() != nil {
			t.Fatal("a stale look canceled the build of its burst's batch")
		}
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "swap")
	})
}

// TestAheadBuildNotKeptForABatchAskingMore: a batch with the look's Seq
// that also changes the index (a batch of an earlier burst read late)
// drops the build started ahead and is handled in full.
func TestAheadBuildNotKeptForABatchAskingMore(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.look(6, "main.go")
		r.wantCalls("build")
		r.sendSeq(6, "hello/function.json", "main.go")
		r.wantCalls("build", "load", "build")
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "load", "build", "swap", "apply")
	})
}
