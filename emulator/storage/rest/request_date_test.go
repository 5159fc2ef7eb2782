package rest

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// sendQueueCreate sends a signed Create Queue with the given date headers
// and version, and reports the answer.
func sendQueueCreate(t *testing.T, srv http.Handler, queue string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPut, "/"+DevAccountName+"/"+queue, nil)
	req.Header.Set("x-ms-version", "2026-12-06")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	signForTest(t, req, DevAccountName, DevAccountKey)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	return rec
}

func TestSharedKeyRequestDateMustBeFresh(t *testing.T) {
	t.Parallel()
	store := openTestStore(t, "memory", newFakeClock())
	srv := NewServer(NewQueueService(store), nil, newFakeClock(), nil)
	now := time.Now().UTC()
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	for i, c := range []struct {
		name    string
		headers map[string]string
		status  int
	}{
		{"fresh x-ms-date", map[string]string{"x-ms-date": date(0)}, 201},
		{"fresh Date only", map[string]string{"Date": date(-time.Minute)}, 201},
		{"x-ms-date within skew", map[string]string{"x-ms-date": date(10 * time.Minute)}, 201},
		{"x-ms-date 16 minutes old", map[string]string{"x-ms-date": date(-16 * time.Minute)}, 403},
		{"x-ms-date 16 minutes ahead", map[string]string{"x-ms-date": date(16 * time.Minute)}, 403},
		{"old x-ms-date wins over fresh Date", map[string]string{"x-ms-date": date(-time.Hour), "Date": date(0)}, 403},
		{"no date at all", nil, 403},
		{"date not a date", map[string]string{"x-ms-date": "yesterday"}, 403},
	} {
		t.Run(c.name, func(t *testing.T) {
			queue := "date" + string(rune('a'+i))
			rec := sendQueueCreate(t, srv, queue, c.headers)
			if rec.Code != c.status {
				t.Fatalf("got %d %s, want %d: %s", rec.Code, rec.Header().Get("x-ms-error-code"), c.status, rec.Body)
			}
			if c.status != 403 {
				return
			}
			if code := rec.Header().Get("x-ms-error-code"); code != "AuthenticationFailed" {
				t.Fatalf("code %s, want AuthenticationFailed", code)
			}
			if _, err := store.GetQueue(t.Context(), DevAccountName, queue); err == nil {
				t.Fatal("a request refused for its date created the queue")
			}
		})
	}
}

func TestVersionMustLookLikeADate(t *testing.T) {
	t.Parallel()
	store := openTestStore(t, "memory", newFakeClock())
	srv := NewServer(NewQueueService(store), nil, newFakeClock(), nil)
	fresh := time.Now().UTC().Format(http.TimeFormat)
	for i, c := range []struct {
		version string
		status  int
	}{
		{"2026-12-06", 201}, {"2009-09-19", 201}, {"2031-01-01", 201},
		{"latest", 400}, {"2026-12-6", 400}, {"2026-13-01", 400}, {"2026-12-06 ", 400}, {"20261206", 400},
	} {
		queue := "ver" + string(rune('a'+i))
		rec := sendQueueCreate(t, srv, queue, map[string]string{"x-ms-date": fresh, "x-ms-version": c.version})
		if rec.Code != c.status {
			t.Fatalf("x-ms-version %q: got %d %s, want %d", c.version, rec.Code, rec.Header().Get("x-ms-error-code"), c.status)
		}
		if c.status == 400 {
			if code := rec.Header().Get("x-ms-error-code"); code != "InvalidHeaderValue" {
				t.Fatalf("x-ms-version %q: code %s, want InvalidHeaderValue", c.version, code)
			}
			if v := rec.Header().Get("x-ms-version"); v != DefaultVersion {
				t.Fatalf("x-ms-version %q answered with version %q", c.version, v)
			}
			if _, err := store.GetQueue(t.Context(), DevAccountName, queue); err == nil {
				t.Fatalf("x-ms-version %q: the queue was created", c.version)
			}
		}
	}
}
