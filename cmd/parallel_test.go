package cmd

import (
	"flag"
	"runtime"
	"strconv"
)

// waitingTestsParallel lets twice as many of the package's parallel tests
// run at once as there are CPUs (at least four), unless -parallel was
// given. Most of them spend their time waiting rather than computing: on
// a handler process to start, on a rebuild, on Azurite's ten-second blob
// scan, on a signal to be delivered. With -parallel at its default of
// GOMAXPROCS, two such waits held both slots while the CPUs stood idle; a
// whole `go test ./...` on two CPUs took 62 s instead of 56 s.
func waitingTestsParallel() {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if given {
		return
	}
	_ = flag.Set("test.parallel", strconv.Itoa(max(4, 2*runtime.GOMAXPROCS(0))))
}
