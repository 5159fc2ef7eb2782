package cmd

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkHTTPTrigger sends the same request through funcemu and straight
// to the handler, alternating the two in one loop so both see the same
// machine load, and reports the median of each and the latency funcemu
// adds. forwarded: a function the host forwards (same path both ways).
// default: the envelope mode, compared with POSTing the envelope funcemu
// sends for such a request to the handler directly.
func BenchmarkHTTPTrigger(b *testing.B) {
	_, app := binaries(b)
	r := startFixture(b, app)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4, DisableCompression: true}}
	handler := "http://127.0.0.1:" + handlerPort(b, client, r)

	// The envelope funcemu sends for this GET, as the echo function
	// received it, so both paths hand the handler the same payload.
	envelope := capturedEnvelope(b, client, r.url+"/api/echo/Ada")
	cases := []struct {
		name            string
		viaFuncemu      func() *http.Request
		straightHandler func() *http.Request
	}{
		{
			"forwarded",
			func() *http.Request { return getRequest(r.url + "/api/forwarded/5?a=b") },
			func() *http.Request { return getRequest(handler + "/api/forwarded/5?a=b") },
		},
		{
			"default",
			func() *http.Request { return getRequest(r.url + "/api/hello/Ada") },
			func() *http.Request {
				req, _ := http.NewRequest("POST", handler+"/hello", strings.NewReader(envelope))
				req.Header.Set("Content-Type", "application/json")
				return req
			},
		},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			via := make([]time.Duration, 0, b.N)
			direct := make([]time.Duration, 0, b.N)
			for range 50 { // warm connections on both paths
				roundTrip(b, client, tc.viaFuncemu())
				roundTrip(b, client, tc.straightHandler())
			}
			b.ResetTimer()
			for range b.N {
				via = append(via, roundTrip(b, client, tc.viaFuncemu()))
				direct = append(direct, roundTrip(b, client, tc.straightHandler()))
			}
			b.StopTimer()
			mv, md := medianDuration(via), medianDuration(direct)
			b.ReportMetric(float64(mv.Microseconds()), "µs-funcemu-median")
			b.ReportMetric(float64(md.Microseconds()), "µs-direct-median")
			b.ReportMetric(float64((mv - md).Microseconds()), "µs-added-median")
		})
	}
}

func getRequest(url string) *http.Request {
	req, _ := http.NewRequest("GET", url, nil)
	return req
}

// roundTrip sends req, checks for a 200 and returns how long it took.
func roundTrip(b *testing.B, c *http.Client, req *http.Request) time.Duration {
	start := time.Now()
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if resp.StatusCode != 200 {
		b.Fatalf("%s %s: %d", req.Method, req.URL, resp.StatusCode)
	}
	return d
}

func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// capturedEnvelope returns the envelope the handler got for GET url.
func capturedEnvelope(b *testing.B, c *http.Client, url string) string {
	resp, err := c.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		b.Fatalf("echo: %d %v", resp.StatusCode, err)
	}
	return string(body)
}

// handlerPort asks the forwarded function which port the handler serves.
func handlerPort(b *testing.B, c *http.Client, r *running) string {
	resp, err := c.Get(r.url + "/api/forwarded")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var seen struct{ Port string }
	if err := json.NewDecoder(resp.Body).Decode(&seen); err != nil || seen.Port == "" {
		b.Fatalf("no port from the handler: %v", err)
	}
	return seen.Port
}
