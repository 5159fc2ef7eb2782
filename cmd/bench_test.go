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
	plain := startFixture(b, builtPlainApp(b))
	resp, err := client.Get(plain.url + "/api/echo/port")
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	plainHandler := "http://127.0.0.1:" + resp.Header.Get("X-Handler-Port")

	cases := []httpCase{
		{
			"forwarded",
			func() *http.Request { return getRequest(r.url + "/api/forwarded/5?a=b") },
			func() *http.Request { return getRequest(handler + "/api/forwarded/5?a=b") },
		},
		// hello has a queue output binding: the message is stored before
		// the response, as the real host does.
		envelopeCase(b, client, "default", r.url+"/api/hello/Ada", r.url+"/api/echo/Ada", handler+"/hello"),
		// plain has no output binding but the response.
		envelopeCase(b, client, "default-plain", plain.url+"/api/plain/Ada", plain.url+"/api/echo/Ada", plainHandler+"/plain"),
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) { benchAlternating(b, client, tc) })
	}
}

// httpCase is one request sent through funcemu and its equivalent sent
// straight to the handler.
type httpCase struct {
	name            string
	viaFuncemu      func() *http.Request
	straightHandler func() *http.Request
}

// envelopeCase is a default-mode function: GET url through funcemu
// against POSTing to handlerPath the envelope funcemu sends for such a GET
// (as the echo function at echoURL received it), so the handler parses the
// same payload both ways.
func envelopeCase(b *testing.B, client *http.Client, name, url, echoURL, handlerPath string) httpCase {
	envelope := capturedEnvelope(b, client, echoURL)
	return httpCase{
		name,
		func() *http.Request { return getRequest(url) },
		func() *http.Request {
			req, _ := http.NewRequest("POST", handlerPath, strings.NewReader(envelope))
			req.Header.Set("Content-Type", "application/json")
			return req
		},
	}
}

// benchAlternating sends tc's two requests in turn, over warm keep-alive
// connections, and reports each one's median, the difference and the
// ratio.
func benchAlternating(b *testing.B, client *http.Client, tc httpCase) {
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
	b.ReportMetric(float64(mv)/float64(md), "ratio")
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
