package cmd

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// execReport is what one exec run did: the invocations that finished
// during it and the messages it poisoned. The summary line and the JUnit
// report are both written from it, so they agree, and neither counts what
// an earlier run left in a kept data folder.
type execReport struct {
	mu          sync.Mutex
	invocations []emulator.Invocation // finished, in order
	poison      map[string]int        // new poison messages by queue
}

// collect records finished invocations from events until the channel
// closes.
func (rep *execReport) collect(events <-chan emulator.Event) {
	for e := range events {
		if e.Kind != emulator.EventInvocationFinished || e.Invocation == nil {
			continue
		}
		inv := *e.Invocation
		inv.Input, inv.Outputs = nil, nil
		rep.mu.Lock()
		rep.invocations = append(rep.invocations, inv)
		rep.mu.Unlock()
	}
}

// setPoison keeps the growth of each poison queue between two counts.
func (rep *execReport) setPoison(before, after map[string]int) {
	rep.poison = map[string]int{}
	for q, n := range after {
		if d := n - before[q]; d > 0 {
			rep.poison[q] = d
		}
	}
}

// counts are the totals of the summary.
func (rep *execReport) counts() (finished, failed, canceled, poison int) {
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for _, inv := range rep.invocations {
		switch inv.Status {
		case emulator.StatusFailed:
			failed++
		case emulator.StatusCanceled:
			canceled++
		}
	}
	for _, n := range rep.poison {
		poison += n
	}
	return len(rep.invocations), failed, canceled, poison
}

// poisonQueues lists the queues with new poison messages, sorted.
func (rep *execReport) poisonQueues() []string {
	return slices.Sorted(maps.Keys(rep.poison))
}

// summary is exec's last line: "3 invocations, 1 failed, 2 poison
// messages (orders-poison: 2)".
func (rep *execReport) summary() string {
	finished, failed, canceled, poison := rep.counts()
	s := fmt.Sprintf("%d invocations, %d failed", finished, failed)
	if canceled > 0 {
		s += fmt.Sprintf(", %d canceled", canceled)
	}
	s += fmt.Sprintf(", %d poison messages", poison)
	if poison > 0 {
		var parts []string
		for _, q := range rep.poisonQueues() {
			parts = append(parts, fmt.Sprintf("%s: %d", q, rep.poison[q]))
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s
}
