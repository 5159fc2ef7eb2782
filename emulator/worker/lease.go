package worker

import (
	"net/http"
	"sync"
)

// Lease is a hold on the handler process serving one invocation. The
// process is not stopped by a Swap while leases on it are held (up to the
// drain timeout).
type Lease struct {
	s    *Supervisor
	p    *process
	once sync.Once
}

// URL is the handler's base URL, http://127.0.0.1:PORT.
func (l *Lease) URL() string { return l.p.url }

// PID is the handler's process id.
func (l *Lease) PID() int { return l.p.pid() }

// Transport is the HTTP transport to reach the handler with.
func (l *Lease) Transport() http.RoundTripper { return leaseTransport{next: l.s.transport, p: l.p} }

// Release ends the hold; calling it again does nothing.
func (l *Lease) Release() { l.once.Do(l.p.release) }

// Recycle kills the handler process (after a function timeout) and starts
// a new one; reason is logged.
func (l *Lease) Recycle(reason string) { l.s.recycle(l.p, reason) }
