package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestGuardProofHeaders: a header no simple cross-site request can carry
// (Event Grid's aeg-event-type) stands in for JSON; without it a
// text/plain or form POST is refused, and an Origin still is.
func TestGuardProofHeaders(t *testing.T) {
	t.Parallel()
	ran := 0
	h := Guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ran++; w.WriteHeader(http.StatusAccepted) }),
		GuardOptions{ProofHeaders: []string{"aeg-event-type"}})
	cases := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"proof header, no type", map[string]string{"aeg-event-type": "Notification"}, http.StatusAccepted},
		{"proof header, form type", map[string]string{"aeg-event-type": "Notification", "Content-Type": "application/x-www-form-urlencoded"}, http.StatusAccepted},
		{"cloudevents json", map[string]string{"Content-Type": "application/cloudevents+json"}, http.StatusAccepted},
		{"text/plain", map[string]string{"Content-Type": "text/plain"}, http.StatusUnsupportedMediaType},
		{"no type", nil, http.StatusUnsupportedMediaType},
		{"proof header from another site", map[string]string{"aeg-event-type": "Notification", "Origin": "http://evil.example"}, http.StatusForbidden},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:7071/runtime/webhooks/EventGrid?functionName=F", strings.NewReader("[]"))
		for k, v := range c.header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		before := ran
		h.ServeHTTP(rec, req)
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
		if handled := ran > before; handled != (c.want == http.StatusAccepted) {
			t.Errorf("%s: handler ran = %v", c.name, handled)
		}
	}
}
