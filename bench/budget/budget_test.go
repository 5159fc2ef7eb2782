package main

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// sampleGoBench is go test -bench output of two packages, with -count 3
// on one benchmark, custom metrics, logs and a failed run's noise.
const sampleGoBench = `goos: linux
goarch: amd64
pkg: github.com/funcemu/funcemu/cmd
cpu: AMD EPYC
BenchmarkHTTPTrigger/forwarded-2         	    5000	    612345 ns/op	       410.0 µs-direct-median	       800.0 µs-funcemu-median
BenchmarkHTTPTrigger/forwarded-2         	    5000	    612345 ns/op	       400.0 µs-direct-median	       900.0 µs-funcemu-median
BenchmarkHTTPTrigger/forwarded-2         	    5000	    612345 ns/op	       390.0 µs-direct-median	      1000 µs-funcemu-median
--- FAIL: BenchmarkSaveToServing/debounce=100ms
    hotreload_bench_test.go:45: request failed during the swap
PASS
ok  	github.com/funcemu/funcemu/cmd	42.1s
pkg: github.com/funcemu/funcemu/emulator/trigger/blob
BenchmarkSDKQueueThroughput-2   	    2000	    300000 ns/op	      3300 msg/s
BenchmarkSDKEnqueueOnly	    2000	    200000 ns/op	      5000 msg/s
`

const sampleStorage = `| metric | Azurite 3.37.0 | funcemu | funcemu ÷ Azurite |
|---|---|---|---|
| queue enqueue (msg/s) | 200.0 | 700.0 | 3.50x |
| large blob download (one GET) (MB/s) | 100.0 | 120.0 | 1.20x |
| peak RSS, VmHWM (MB, lower is better) | 300.0 | 60.5 | 0.20x |

workload: 100 queue messages of 80 B
`

func sampleResults(t *testing.T) *results {
	t.Helper()
	return &results{bench: parseGoBench(strings.NewReader(sampleGoBench)), storage: parseStorageTable(strings.NewReader(sampleStorage))}
}

func TestParseGoBenchKeepsEveryRunByPackage(t *testing.T) {
	r := parseGoBench(strings.NewReader(sampleGoBench))
	got := r[key(pkgCmd, "BenchmarkHTTPTrigger/forwarded")]["µs-funcemu-median"]
	if len(got) != 3 || got[2] != 1000 {
		t.Fatalf("funcemu medians = %v, want three runs ending in 1000", got)
	}
	if m, ok := r.median(pkgCmd, "BenchmarkHTTPTrigger/forwarded", "µs-direct-median"); !ok || m != 400 {
		t.Fatalf("median direct = %v %v, want 400", m, ok)
	}
	if m, ok := r.median(pkgBlobTrg, "BenchmarkSDKEnqueueOnly", "msg/s"); !ok || m != 5000 {
		t.Fatalf("a name without the -N suffix: %v %v, want 5000", m, ok)
	}
	if _, ok := r.median(pkgCmd, "BenchmarkSaveToServing/debounce=100ms", "overhead-ms"); ok {
		t.Fatal("a failed benchmark has no figures")
	}
}

func TestParseStorageTableReadsBothServers(t *testing.T) {
	s := parseStorageTable(strings.NewReader(sampleStorage))
	if len(s) != 3 {
		t.Fatalf("parsed %d rows, want 3: %v", len(s), s)
	}
	if f := s["queue enqueue (msg/s)"]; f.azurite != 200 || f.funcemu != 700 {
		t.Fatalf("queue enqueue = %+v", f)
	}
}

func TestEvaluateChecksBudgetsAndToleratesMissingBenchmarks(t *testing.T) {
	res := sampleResults(t)
	byName := map[string]outcome{}
	for _, o := range evaluate(rows, res) {
		byName[o.row.name] = o
	}
	cases := map[string]string{
		"HTTP trigger, forwarded":                             "met", // 900 / 400 µs = 2.25x, within 2.3x
		"queue end to end, 8 SDK writers, no-op handler":      "met",
		"storage: queue enqueue":                              "met",
		"storage: large blob download (one GET)":              "not met",
		"peak RSS during the storage benchmark (VmHWM)":       "met",
		"HTTP trigger, default mode, no output bindings":      "not measured",
		"save → new build serving, beyond go build":           "not measured",
		"growth: list 100,000 blobs vs 1,000 (time per blob)": "not measured",
	}
	for name, want := range cases {
		o, ok := byName[name]
		if !ok {
			t.Fatalf("no row %q", name)
		}
		if o.verdict != want {
			t.Errorf("%s: %s (measured %v, comparison %v, ratio %v), want %s", name, o.verdict, o.measured, o.comparison, o.ratio, want)
		}
	}
	if o := byName["HTTP trigger, forwarded"]; o.ratio != 2.25 {
		t.Errorf("forwarded ratio = %v, want 2.25", o.ratio)
	}
}

func TestReportPrintsOneRowPerBudgetWithTheMachine(t *testing.T) {
	var buf bytes.Buffer
	m := machine{date: "2026-12-02 10:00 UTC", cpus: 2, cpu: "AMD EPYC", goVersion: "go version go1.26.8", loadBefore: "load average: 1.00", loadAfter: "load average: 2.00"}
	printReport(&buf, m, evaluate(rows, sampleResults(t)), []string{"something failed"}, false)
	out := buf.String()
	for _, want := range []string{"2 CPUs (AMD EPYC)", "go1.26.8", "Load before: load average: 1.00", "Load after: load average: 2.00",
		"| HTTP trigger, forwarded | 900 µs median | 400 (handler direct) | 2.25x | ≤ 2.3x | met |",
		"| storage: queue enqueue | 700 msg/s | 200 (Azurite) | 3.50x | ≥ 3x Azurite | met |",
		"not measured", "Note: something failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n| "); n != len(rows)+1 {
		t.Errorf("%d table lines, want %d rows and the header", n, len(rows))
	}
}

func TestListCeilingsCompareEachPageWithAzuritesList(t *testing.T) {
	const table = `| metric | Azurite 3.37.0 | funcemu | funcemu ÷ Azurite |
|---|---|---|---|
| list blobs (the 4 KiB blobs, one page) (lists/s) | 30.0 | 75.0 | 2.50x |
| list blobs, the server's answer served from memory (lists/s) | 96.0 | 84.0 | 0.88x |
`
	res := &results{storage: parseStorageTable(strings.NewReader(table))}
	want := map[string]float64{ // the page's name in the row → the ratio
		"funcemu's page": 84.0 / 30,
		"Azurite's page": 96.0 / 30,
	}
	for _, o := range evaluate(rows, res) {
		for page, ratio := range want {
			if !strings.Contains(o.row.name, page+" served from memory") {
				continue
			}
			if o.comparison != 30 || math.Abs(o.ratio-ratio) > 1e-9 || o.verdict != "shown" {
				t.Errorf("%s: comparison %v, ratio %v, %s; want 30, %v, shown", o.row.name, o.comparison, o.ratio, o.verdict, ratio)
			}
			delete(want, page)
		}
	}
	if len(want) > 0 {
		t.Fatalf("no ceiling rows for %v", want)
	}
}
