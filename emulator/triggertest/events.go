package triggertest

import (
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// Events records published events.
type Events struct {
	mu     sync.Mutex
	events []emulator.Event
}

// Publish records e.
func (p *Events) Publish(e emulator.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.events = append(p.events, e)
}

// Logs returns the messages of the log events at level.
func (p *Events) Logs(level emulator.Level) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, e := range p.events {
		if e.Log != nil && e.Log.Level == level {
			out = append(out, e.Log.Message)
		}
	}
	return out
}

// Logged reports whether a log line at level contains part.
func (p *Events) Logged(level emulator.Level, part string) bool {
	for _, m := range p.Logs(level) {
		if strings.Contains(m, part) {
			return true
		}
	}
	return false
}
