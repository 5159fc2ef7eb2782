package rest

import (
	"fmt"
	"net/http"
	"time"
)

// maxRequestDateSkew is how far a SharedKey request's date may be from
// the server's time either way, as on Azure: a captured request cannot be
// replayed after it, and a client clock that far off is told so.
const maxRequestDateSkew = 15 * time.Minute

// checkRequestDate applies Azure's freshness rule to a SharedKey request:
// x-ms-date (else Date) must be present, an HTTP date, and within 15
// minutes of now. now is the wall clock, not the emulator's virtual one:
// clients sign with their own clock, and moving the virtual clock must not
// lock every SDK out.
func checkRequestDate(h http.Header, now time.Time) error {
	name := "x-ms-date"
	v := h.Get(name)
	if v == "" {
		name, v = "Date", h.Get("Date")
	}
	if v == "" {
		return errAuthFailed("Request date header not specified (send x-ms-date or Date).")
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return errAuthFailed(fmt.Sprintf("The %s header %q is not an HTTP date such as %q.", name, v, now.UTC().Format(http.TimeFormat)))
	}
	switch {
	case now.Sub(t) > maxRequestDateSkew:
		return errAuthFailed(fmt.Sprintf("Request date header too old: '%s' (server time %s).", v, now.UTC().Format(http.TimeFormat)))
	case t.Sub(now) > maxRequestDateSkew:
		return errAuthFailed(fmt.Sprintf("Request date header too far in the future: '%s' (server time %s).", v, now.UTC().Format(http.TimeFormat)))
	}
	return nil
}
