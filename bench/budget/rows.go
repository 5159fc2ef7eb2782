package main

import "strconv"

// The budget table of the performance work: each row names where its
// figures come from (a go test benchmark and metric, or a row of the
// storage driver's table against Azurite) and its budget. A benchmark that
// does not exist (yet) leaves its row "not measured" instead of failing
// the run, so rows can be wired before their benchmark lands.

const module = "github.com/funcemu/funcemu/"

// Packages of the benchmarks below, as `go test` prints them on "pkg:".
const (
	pkgCmd     = module + "cmd"
	pkgBlobTrg = module + "emulator/trigger/blob"
	pkgStorage = module + "emulator/storage"
	pkgJournal = module + "emulator/journal"
)

// goRun is one `go test -bench` invocation; rows read its results.
type goRun struct {
	pkgs       []string // relative to the module root
	bench      string   // -bench pattern
	benchtime  string
	count      string
	quickTime  string // -benchtime in -quick mode
	quickCount string
}

var goRuns = []goRun{
	{[]string{"./cmd"}, "^BenchmarkHTTPTrigger$", "5000x", "3", "200x", "1"},
	{[]string{"./cmd"}, "^BenchmarkStartToFirstResponse$", "20x", "1", "3x", "1"},
	{[]string{"./cmd"}, "^BenchmarkSaveToServing$/^debounce=100ms$", "10x", "1", "2x", "1"},
	{[]string{"./emulator/trigger/blob"}, "^BenchmarkSDK(QueueThroughput|EnqueueOnly|EnqueueToInvoke)$", "2000x", "3", "200x", "1"},
	{[]string{"./emulator/journal"}, "^BenchmarkJournalWriteGrowth$", "2000x", "1", "200x", "1"},
	// The storage growth rows: queue cycle with a backlog, a listing and a
	// blob trigger's latency in a 100,000-blob container (its fixture
	// seeds the blobs and lets the listener process each once first).
	{[]string{"./emulator/storage"}, "^BenchmarkQueueCycleBacklog$", "300x", "1", "20x", "1"},
	{[]string{"./emulator/storage"}, "^BenchmarkListBlobs100k$", "3x", "1", "1x", "1"},
	{[]string{"./emulator/trigger/blob"}, "^BenchmarkSDKBlobUploadToInvoke100k$", "200x", "1", "5x", "1"},
}

// lookup finds one figure in a run's results.
type lookup func(*results) (float64, bool)

func bench(pkg, name, unit string) lookup {
	return func(r *results) (float64, bool) { return r.bench.median(pkg, name, unit) }
}

// azurite and funcemu read a row of the storage driver's table.
func azurite(metric string) lookup {
	return func(r *results) (float64, bool) { f, ok := r.storage[metric]; return f.azurite, ok }
}

func funcemu(metric string) lookup {
	return func(r *results) (float64, bool) { f, ok := r.storage[metric]; return f.funcemu, ok }
}

// budget is a bound on a row's ratio or on its measured figure.
type budget struct {
	onRatio bool // the ratio measured/comparison, else the measured figure
	atMost  bool // ≤ limit, else ≥ limit
	limit   float64
	text    string // as printed
}

func ratioAtMost(l float64, text string) budget {
	return budget{onRatio: true, atMost: true, limit: l, text: text}
}
func ratioAtLeast(l float64, text string) budget { return budget{onRatio: true, limit: l, text: text} }
func atMost(l float64, text string) budget       { return budget{atMost: true, limit: l, text: text} }
func atLeast(l float64, text string) budget      { return budget{limit: l, text: text} }

// shown is a row with no budget: its figure is part of the picture.
var shown = budget{text: "shown"}

type row struct {
	name       string
	unit       string
	measured   lookup
	comparison lookup // nil: no comparison
	compared   string // what the comparison is
	budget     budget
}

// The listing's rows of the storage driver's table.
const (
	listMetric = "list blobs (the 4 KiB blobs, one page)"
	listRow    = listMetric + " (lists/s)"
	servedList = "list blobs, the server's answer served from memory (lists/s)"
)

const (
	httpTrigger = "BenchmarkHTTPTrigger"
	journal     = "BenchmarkJournalWriteGrowth"
)

var rows = []row{
	{"HTTP trigger, forwarded", "µs median",
		bench(pkgCmd, httpTrigger+"/forwarded", "µs-funcemu-median"),
		bench(pkgCmd, httpTrigger+"/forwarded", "µs-direct-median"), "handler direct", ratioAtMost(2.3, "≤ 2.3x")},
	{"HTTP trigger, default mode, no output bindings", "µs median",
		bench(pkgCmd, httpTrigger+"/default-plain", "µs-funcemu-median"),
		bench(pkgCmd, httpTrigger+"/default-plain", "µs-direct-median"), "envelope POSTed direct", ratioAtMost(2.5, "≤ 2.5x")},
	{"HTTP trigger, default mode, with a queue output", "µs median",
		bench(pkgCmd, httpTrigger+"/default", "µs-funcemu-median"),
		bench(pkgCmd, httpTrigger+"/default", "µs-direct-median"), "envelope POSTed direct", shown},
	{"queue end to end, 8 SDK writers, no-op handler", "msg/s",
		bench(pkgBlobTrg, "BenchmarkSDKQueueThroughput", "msg/s"),
		bench(pkgBlobTrg, "BenchmarkSDKEnqueueOnly", "msg/s"), "enqueue only", atLeast(3000, "≥ 3000 msg/s")},
	{"enqueue → invoked, p50", "ms",
		bench(pkgBlobTrg, "BenchmarkSDKEnqueueToInvoke", "ms-median"), nil, "", atMost(1, "≤ 1 ms")},
	{"enqueue → invoked, p99", "ms",
		bench(pkgBlobTrg, "BenchmarkSDKEnqueueToInvoke", "ms-p99"), nil, "", atMost(10, "≤ 10 ms")},
	storageRow("queue enqueue", "msg/s", 3),
	storageRow("queue dequeue(32)+delete", "msg/s", 3),
	storageRow("4 KiB blob upload", "ops/s", 3),
	storageRow("4 KiB blob download", "ops/s", 3),
	storageRow(listMetric, "lists/s", 3),
	// azblob against a server that only writes each server's recorded
	// page, over loopback: the ratio no server writing that page can
	// pass through the SDK.
	{"storage: list blobs, funcemu's page served from memory (no server work; Azure's elements)", "lists/s",
		funcemu(servedList), azurite(listRow), "Azurite's list", shown},
	{"storage: list blobs, Azurite's page served from memory (no server work; empty elements left out)", "lists/s",
		azurite(servedList), azurite(listRow), "Azurite's list", shown},
	storageRow("large blob upload (one Put Blob)", "MB/s", 1.5),
	storageRow("large blob download (one GET)", "MB/s", 1.5),
	storageRow("large blob upload (8 MiB blocks x4)", "MB/s", 1.5),
	storageRow("large blob download (8 MiB ranges x4)", "MB/s", 1.5),
	{"peak RSS during the storage benchmark (VmHWM)", "MB",
		funcemu(peakRSS), azurite(peakRSS), "Azurite", atMost(64, "≤ 64 MB")},
	{"start → first 200, prebuilt handler (--no-build)", "ms",
		bench(pkgCmd, "BenchmarkStartToFirstResponse", "ms-median"),
		bench(pkgCmd, "BenchmarkStartToFirstResponse", "ms-handler-alone-median"), "handler alone", atMost(60, "≤ 60 ms")},
	{"save → new build serving, beyond go build", "ms",
		bench(pkgCmd, "BenchmarkSaveToServing/debounce=100ms", "overhead-ms"), nil, "", atMost(150, "≤ 150 ms")},
	{"save → serving: failed requests", "requests",
		bench(pkgCmd, "BenchmarkSaveToServing/debounce=100ms", "failed-requests"), nil, "", atMost(0, "0")},
	{"growth: queue cycle, 20,000 backlog vs none", "µs",
		bench(pkgStorage, "BenchmarkQueueCycleBacklog", "us-20k"),
		bench(pkgStorage, "BenchmarkQueueCycleBacklog", "us-empty"), "no backlog", ratioAtMost(1.5, "≤ 1.5x")},
	{"growth: blob upload → invoked, 100,000 blobs vs none", "ms median",
		bench(pkgBlobTrg, "BenchmarkSDKBlobUploadToInvoke100k", "ms-median-100k"),
		bench(pkgBlobTrg, "BenchmarkSDKBlobUploadToInvoke100k", "ms-median-empty"), "empty container", shown},
	{"growth: journal write rate, 1,000,000 invocations vs empty", "invocations/s",
		bench(pkgJournal, journal+"/full", "invocations/s"),
		bench(pkgJournal, journal+"/empty", "invocations/s"), "empty journal", shown},
	{"growth: list 100,000 blobs vs 1,000 (time per blob)", "ms per list",
		bench(pkgStorage, "BenchmarkListBlobs100k", "ms-list-100k"),
		bench(pkgStorage, "BenchmarkListBlobs100k", "ms-list-1k"), "1,000 blobs (ratio ÷ 100 is per blob)", shown},
}

const peakRSS = "peak RSS, VmHWM (MB, lower is better)"

// storageRow is a storage operation funcemu must do at least minRatio
// times as fast as Azurite, through the same client.
func storageRow(metric, unit string, minRatio float64) row {
	name := metric + " (" + unit + ")"
	return row{"storage: " + metric, unit, funcemu(name), azurite(name), "Azurite",
		ratioAtLeast(minRatio, "≥ "+strconv.FormatFloat(minRatio, 'f', -1, 64)+"x Azurite")}
}
