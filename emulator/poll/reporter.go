package poll

import (
	"fmt"
	"sync"

	"github.com/funcemu/funcemu/emulator"
)

// DefaultEvery is how many repeats of one failure pass between reminders.
// With the queue backoff at its 1-minute cap that is one line every ten
// minutes; at the local 2-second cap, one every 20 seconds.
const DefaultEvery = 10

// Reporter keeps a retrying listener from flooding the log: it words a
// storage failure once, clearly, naming the function and the connection
// setting; then stays quiet while the same failure repeats, except for a
// reminder every Every-th time; speaks again when the failure changes; and
// says once when the account works again. Safe for concurrent use.
type Reporter struct {
	Function string // the function whose trigger or binding failed
	Setting  string // the connection setting, e.g. AzureWebJobsStorage
	Every    int    // reminder period in repeats; 0 means DefaultEvery

	mu       sync.Mutex
	last     string // the failing error's text; "" while healthy
	repeats  int    // times the current failure happened in a row
	failures int    // failures since the last success
}

// Failure records a failed attempt and returns the line to log, or
// ok=false when this repeat should stay quiet.
func (r *Reporter) Failure(err error) (line string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	text := err.Error()
	r.failures++
	if text != r.last {
		r.last, r.repeats = text, 1
		return r.describe(err, ""), true
	}
	r.repeats++
	every := r.Every
	if every <= 0 {
		every = DefaultEvery
	}
	if r.repeats%every != 0 {
		return "", false
	}
	return r.describe(err, fmt.Sprintf(" (still failing, %d attempts)", r.repeats)), true
}

// Success records a working attempt and returns the line to log when it
// ends a run of failures.
func (r *Reporter) Success() (line string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == "" {
		return "", false
	}
	failures := r.failures
	r.last, r.repeats, r.failures = "", 0, 0
	return fmt.Sprintf("Function '%s': storage in setting '%s' works again after %d failed attempts.",
		r.Function, r.Setting, failures), true
}

// describe words the failure by its kind.
func (r *Reporter) describe(err error, suffix string) string {
	var what string
	switch emulator.ErrorCode(err) {
	case emulator.EUNAVAILABLE:
		what = "cannot reach the storage account"
	case emulator.EUNAUTHORIZED:
		what = "the storage account refused the credentials (check AccountKey, the SAS expiry and permissions, or the identity's role)"
	case emulator.ENOTFOUND:
		what = "a queue or container is missing"
	default:
		what = "storage failed"
	}
	return fmt.Sprintf("Function '%s': %s, setting '%s': %v. Retrying with backoff%s.", r.Function, what, r.Setting, err, suffix)
}
