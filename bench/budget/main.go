// Command budget runs every row of funcemu's performance budget — the
// HTTP trigger against a direct call to the handler, queue throughput and
// latency, storage against Azurite, memory, start-up, hot reload and the
// growth rows — and prints one table: each row's figure, what it is
// compared with, the ratio, the budget and whether it is met, with the
// machine and its load before and after. bench/run.sh installs Azurite and
// builds what it needs first.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

type config struct {
	root         string // the module root
	work         string // scratch folder for logs and the servers' data
	azurite      string // azurite.js
	funcemu      string // the funcemu binary
	storagebench string // the bench/storage driver binary
	quick        bool
}

// results are every run's figures.
type results struct {
	bench   benchResults
	storage map[string]storageFigure
	notes   []string
}

func main() {
	var c config
	flag.StringVar(&c.root, "root", ".", "the funcemu module root")
	flag.StringVar(&c.work, "work", filepath.Join(os.TempDir(), "funcemu-bench"), "scratch folder for logs and data")
	flag.StringVar(&c.azurite, "azurite", "", "path of azurite.js; empty skips the storage rows")
	flag.StringVar(&c.funcemu, "funcemu", "", "path of the funcemu binary, for the storage rows")
	flag.StringVar(&c.storagebench, "storagebench", "", "path of the bench/storage driver, for the storage rows")
	flag.BoolVar(&c.quick, "quick", false, "run every row briefly: checks the runner works, figures mean little")
	flag.Parse()
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "budget:", err)
		os.Exit(1)
	}
	m := describeMachine()
	m.loadBefore = load()
	res := &results{bench: benchResults{}, storage: map[string]storageFigure{}}
	for i, r := range goRuns {
		runGoBench(c, r, fmt.Sprintf("gotest-%d.txt", i+1), res)
	}
	runStorage(c, res)
	m.loadAfter = load()
	printReport(os.Stdout, m, evaluate(rows, res), res.notes, c.quick)
}

// runGoBench runs one go test -bench and adds its figures; a failure is
// noted, and whatever the benchmarks printed before it still counts.
func runGoBench(c config, r goRun, logName string, res *results) {
	benchtime, count := r.benchtime, r.count
	if c.quick {
		benchtime, count = r.quickTime, r.quickCount
	}
	args := append([]string{"test", "-run", "^$", "-bench", r.bench, "-benchtime", benchtime, "-count", count, "-timeout", "60m"}, r.pkgs...)
	fmt.Fprintf(os.Stderr, "budget: go %s\n", strings.Join(args, " "))
	var env []string
	if c.quick {
		// A journal of 10,000 invocations instead of 1,000,000.
		env = append(env, "FUNCEMU_BENCH_JOURNAL_RECORDS=10000")
	}
	out, err := runLogged(c, logName, env, "go", args...)
	if err != nil {
		res.notes = append(res.notes, fmt.Sprintf("`go %s` failed (%v); output in %s", strings.Join(args, " "), err, filepath.Join(c.work, logName)))
	}
	res.bench.merge(parseGoBench(bytes.NewReader(out)))
}

// runStorage runs the storage driver against Azurite and funcemu.
func runStorage(c config, res *results) {
	if c.azurite == "" || c.funcemu == "" || c.storagebench == "" {
		res.notes = append(res.notes, "storage rows not run: -azurite, -funcemu and -storagebench are needed (bench/run.sh gives them)")
		return
	}
	args := []string{"-azurite", c.azurite, "-funcemu", c.funcemu, "-work", c.work, "-markdown"}
	if c.quick {
		args = append(args, "-rounds", "1", "-messages", "100", "-blobs", "50", "-large", "8", "-tagged", "10", "-pages", "10", "-entities", "0")
	} else {
		args = append(args, "-rounds", "2")
	}
	fmt.Fprintf(os.Stderr, "budget: storagebench %s\n", strings.Join(args, " "))
	out, err := runLogged(c, "storage.txt", nil, c.storagebench, args...)
	if err != nil {
		res.notes = append(res.notes, fmt.Sprintf("the storage driver failed (%v); output in %s", err, filepath.Join(c.work, "storage.txt")))
	}
	res.storage = parseStorageTable(bytes.NewReader(out))
}

// runLogged runs a command in the module root, keeping its standard
// output in the work folder's logName and returning it; its standard
// error goes to ours, for progress. env is added to ours.
func runLogged(c config, logName string, env []string, name string, args ...string) ([]byte, error) {
	f, err := os.Create(filepath.Join(c.work, logName))
	if err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	defer f.Close()
	var out bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Dir = c.root
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stdout = io.MultiWriter(&out, f)
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	return out.Bytes(), err
}
