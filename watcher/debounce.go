package watcher

import (
	"context"
	"sort"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Batch is a set of changes that arrived together: everything seen until
// the folder had been quiet for the debounce delay.
type Batch struct {
	// Paths are slash-separated, relative to the root, sorted and without
	// duplicates. Folders that appeared, disappeared or were renamed end
	// in "/".
	Paths []string
	// Seq counts the changes seen since the watcher started, up to this
	// batch: a batch with the same Seq as an early look saw nothing more.
	Seq uint64
	// Early marks an early look (see Watcher.Early): the folder was not
	// quiet yet, and the batch that closes the burst follows.
	Early bool
}

// earlyLook configures the early looks of debounce: after is the time
// since the first change of a burst to send one, peek filters the paths
// as the keep function does but without remembering them, out takes it
// when it is free (a look nobody reads is dropped).
type earlyLook struct {
	after time.Duration
	peek  func([]change) []string
	out   chan<- Batch
}

// change is one path the watcher saw change.
type change struct {
	path string
	// created is set when the path's event was a creation: if it is gone
	// again by the time the batch is due, it was a temporary file.
	created bool
}

// debounce collects paths from in and sends them on out as one Batch once
// no path has arrived for delay (a trailing-edge debounce: a steady stream
// of events keeps the batch open). If the reader has not taken a batch
// when the next one is due, the two merge, so at most one batch waits.
// keep, if not nil, takes the changes of a batch that is due and returns
// the paths still worth reporting. debounce returns when ctx is done or in is
// closed, closing out.
//
// With early set, the paths of a burst are also sent on early.out once
// early.after has passed since its first change, before the burst is
// over; the burst's own batch then follows even if keep leaves nothing of
// it, so a reader acting on the look always learns whether it held.
func debounce(ctx context.Context, clock emulator.Clock, delay time.Duration, keep func([]change) []string, in <-chan change, out chan<- Batch, early *earlyLook) {
	defer close(out)
	var (
		pending = map[string]bool{}     // paths since the last quiet period, and whether created first
		ready   = map[string]struct{}{} // paths due, waiting for the reader
		timer   emulator.Timer
		gen     uint64 // which timer is current; older ones fire stale
		fired   = make(chan uint64)
		seq     uint64 // changes seen
		// The early look of the current burst.
		lookTimer  emulator.Timer
		lookGen    uint64 // which look timer is current
		lookFired  = make(chan uint64)
		looked     bool // a look was sent for the pending burst
		readyAfter bool // ready must be sent, empty or not: it answers a look
	)
	defer func() {
		if timer != nil {
			timer.Stop()
		}
		if lookTimer != nil {
			lookTimer.Stop()
		}
	}()
	for {
		var send chan<- Batch
		var batch Batch
		if len(ready) > 0 || readyAfter {
			send, batch = out, Batch{Paths: sortedKeys(ready), Seq: seq}
		}
		select {
		case <-ctx.Done():
			return
		case c, ok := <-in:
			if !ok {
				return
			}
			seq++
			if early != nil && len(pending) == 0 && !looked {
				if lookTimer != nil {
					lookTimer.Stop()
				}
				lookGen = seq
				g := lookGen
				lookTimer = clock.AfterFunc(early.after, func() {
					select {
					case lookFired <- g:
					case <-ctx.Done():
					}
				})
			}
			if _, seen := pending[c.path]; !seen {
				pending[c.path] = c.created
			}
			if timer != nil {
				timer.Stop()
			}
			gen++
			g := gen
			timer = clock.AfterFunc(delay, func() {
				select {
				case fired <- g:
				case <-ctx.Done():
				}
			})
		case g := <-fired:
			if g != gen || len(pending) == 0 {
				continue // a timer stopped too late, or already flushed
			}
			for _, p := range keepDue(pending, keep) {
				ready[p] = struct{}{}
			}
			pending = map[string]bool{}
			readyAfter = readyAfter || looked
			looked = false
			if lookTimer != nil {
				lookTimer.Stop()
			}
		case g := <-lookFired:
			if g != lookGen || len(pending) == 0 || looked {
				continue // a timer stopped too late, or the burst closed first
			}
			paths := keepDue(pending, early.peek)
			if len(paths) == 0 {
				continue
			}
			select {
			case early.out <- Batch{Paths: paths, Seq: seq, Early: true}:
				looked = true
			default: // the last look is still unread: nobody is looking
			}
		case send <- batch:
			ready = map[string]struct{}{}
			readyAfter = false
		}
	}
}

// keepDue lists the pending changes in path order and applies keep.
func keepDue(pending map[string]bool, keep func([]change) []string) []string {
	changes := make([]change, 0, len(pending))
	for p, created := range pending {
		changes = append(changes, change{path: p, created: created})
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].path < changes[j].path })
	if keep == nil {
		paths := make([]string, len(changes))
		for i, c := range changes {
			paths[i] = c.path
		}
		return paths
	}
	return keep(changes)
}

func sortedKeys(m map[string]struct{}) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
