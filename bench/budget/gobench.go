package main

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
)

// benchResults are the metrics of `go test -bench` output by benchmark:
// "<package> <Benchmark name without -GOMAXPROCS>" -> unit -> one value
// per run (-count).
type benchResults map[string]map[string][]float64

// key names a benchmark of a package for lookups.
func key(pkg, name string) string { return pkg + " " + name }

// parseGoBench reads `go test -bench` output: "pkg: ..." lines say which
// package the benchmark lines that follow belong to; a benchmark line is
// its name, the iteration count, then value-unit pairs (ns/op and every
// b.ReportMetric). Anything else (logs, PASS, ok) is skipped.
func parseGoBench(r io.Reader) benchResults {
	res := benchResults{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := trimProcs(f[0])
		m := res[key(pkg, name)]
		if m == nil {
			m = map[string][]float64{}
			res[key(pkg, name)] = m
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			m[f[i+1]] = append(m[f[i+1]], v)
		}
	}
	return res
}

// trimProcs drops the "-N" GOMAXPROCS suffix go test adds to names.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// median of a benchmark's runs of one metric; ok is false when the
// benchmark or the metric is missing.
func (r benchResults) median(pkg, name, unit string) (float64, bool) {
	vs := r[key(pkg, name)][unit]
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// merge adds o's results to r.
func (r benchResults) merge(o benchResults) {
	for k, m := range o {
		if r[k] == nil {
			r[k] = map[string][]float64{}
		}
		for unit, vs := range m {
			r[k][unit] = append(r[k][unit], vs...)
		}
	}
}
