package journal

import "github.com/funcemu/funcemu/emulator"

// noPartner marks an event written on its own.
const noPartner = -1

// pairRuns finds, in events, each invocation's started event followed by
// its finished event with no other started or finished event of that
// invocation between them, and returns for every event the index of its
// partner, or noPartner. A pair is written as one row write at the
// started event's place (see writer.ran): in a busy journal nearly every
// invocation starts and finishes within one batch, and writing its row
// once instead of twice is most of the journal's cost per invocation.
// Writing at the started event's place keeps the recording order (seq),
// which follows starts.
func pairRuns(events []emulator.Event) []int {
	partner := make([]int, len(events))
	pending := make(map[string]int)
	for i, e := range events {
		partner[i] = noPartner
		switch e.Kind {
		case emulator.EventInvocationStarted:
			// An earlier started event of the same invocation stays
			// unpaired: this one follows it.
			pending[e.Invocation.ID] = i
		case emulator.EventInvocationFinished:
			if s, ok := pending[e.Invocation.ID]; ok {
				partner[s], partner[i] = i, s
				delete(pending, e.Invocation.ID)
			}
		}
	}
	return partner
}
