package cmd

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
)

// testIO is what a command run in-process wrote.
type testIO struct {
	out, err *syncBuffer
}

// newTestFactory is a Factory for running commands in-process: stdin as
// input, output and errors into buffers, no terminal, and the process's
// environment (go builds need it) with env's KEY=value lines over it.
func newTestFactory(t testing.TB, stdin string, env ...string) (*Factory, testIO) {
	t.Helper()
	vars := map[string]string{}
	for _, kv := range append(os.Environ(), env...) {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	io := testIO{out: &syncBuffer{}, err: &syncBuffer{}}
	return &Factory{
		IO:         &IOStreams{In: strings.NewReader(stdin), Out: io.out, ErrOut: io.err, IsTerminal: func(any) bool { return false }},
		Getenv:     func(k string) string { return vars[k] },
		Environ:    func() []string { return append(os.Environ(), env...) },
		HTTPClient: &http.Client{},
	}, io
}

// testFactory is newTestFactory with no input nor extra environment.
func testFactory(t testing.TB) *Factory {
	f, _ := newTestFactory(t, "")
	return f
}

// runExit runs a command line in-process to its end as Main does, with no
// input, and returns the exit code, stdout and stderr.
func runExit(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	f, io := newTestFactory(t, "")
	code = run(context.Background(), f, args)
	return code, io.out.String(), io.err.String()
}
