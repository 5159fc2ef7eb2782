//go:build unix

package cmd

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkSaveToServing measures the inner loop from outside, as a
// developer feels it: from saving main.go to the first response served by
// the new build. funcemu's own go build time for the same change, read
// from its build.finished event, is reported beside it, and overhead-ms
// is the difference: what funcemu adds to go build (debounce, watching,
// starting the new handler, switching traffic). Run it with a fixed count:
//
//	go test ./cmd -run '^$' -bench SaveToServing -benchtime 10x
func BenchmarkSaveToServing(b *testing.B) {
	for _, debounce := range []string{"100ms", "20ms"} {
		b.Run("debounce="+debounce, func(b *testing.B) {
			benchSaveToServing(b, debounce)
		})
	}
}

func benchSaveToServing(b *testing.B, debounce string) {
	bin := buildFuncemu(b)
	dir := reloadApp(b)
	run := startFuncemu(b, bin, dir, "--debounce", debounce)
	client := &http.Client{Timeout: time.Minute}
	if _, err := askVersion(client, run.url); err != nil {
		b.Fatalf("the app does not answer: %v", err)
	}
	drain(run.events)

	var total, build, overhead []float64
	n, failed := 0, 0
	for b.Loop() {
		n++
		start := time.Now()
		saveVersion(b, dir, n)
		for {
			v, err := askVersion(client, run.url)
			if err != nil {
				// Counted, not fatal: the figure is part of the budget.
				b.Logf("request failed during the swap: %v", err)
				if failed++; failed > 100 {
					b.Fatal("every request fails")
				}
				continue
			}
			if v == n {
				break
			}
		}
		served := time.Since(start)
		built := nextBuild(b, run.events)
		total = append(total, ms(served))
		build = append(build, ms(built))
		overhead = append(overhead, ms(served-built))
	}
	b.ReportMetric(median(total), "save-to-serving-ms")
	b.ReportMetric(median(build), "go-build-ms")
	b.ReportMetric(median(overhead), "overhead-ms")
	b.ReportMetric(slices.Max(overhead), "max-overhead-ms")
	b.ReportMetric(float64(failed), "failed-requests")
}

// nextBuild waits for the next successful build.finished event and
// returns the build's duration.
func nextBuild(b *testing.B, events <-chan jsonEvent) time.Duration {
	b.Helper()
	deadline := time.After(reloadGiveUp)
	for {
		select {
		case e := <-events:
			if e.Kind == "build.finished" && e.Status == "succeeded" && e.DurationMs != nil {
				return time.Duration(*e.DurationMs) * time.Millisecond
			}
		case <-deadline:
			b.Fatal("no build.finished event")
		}
	}
}

func drain(events <-chan jsonEvent) {
	for {
		select {
		case <-events:
		default:
			return
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
