package rest

import (
	"net/http"
	"regexp"
	"sync"
	"time"
)

var versionRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`) })

// checkVersion accepts any x-ms-version that is a date (YYYY-MM-DD), past
// or future: SDKs move to new versions faster than any emulator, and
// gating on a list is the Azurite failure users hit most. A value that is
// not a version at all is 400 InvalidHeaderValue, as on Azure.
func checkVersion(h http.Header) error {
	v, ok := h["X-Ms-Version"]
	if !ok {
		return nil
	}
	if len(v) != 1 || !validVersion(v[0]) {
		return errInvalidHeader("x-ms-version", h.Get("x-ms-version"), "a service version is a date such as "+DefaultVersion)
	}
	return nil
}

func validVersion(v string) bool {
	if !versionRE().MatchString(v) {
		return false
	}
	_, err := time.Parse("2006-01-02", v)
	return err == nil
}

// answeredVersion is the x-ms-version of the answer: the request's when it
// is well formed, else the newest this server knows.
func answeredVersion(requested string) string {
	if validVersion(requested) {
		return requested
	}
	return DefaultVersion
}
