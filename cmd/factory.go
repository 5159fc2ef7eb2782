package cmd

import (
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/emulator/keys"
)

// Factory is what commands take from the world outside their flags: the
// streams, the environment and the HTTP client for funcemu's admin API.
// Main builds it from the process; tests build one from buffers and a map
// (newTestFactory), so every command runs in-process.
type Factory struct {
	IO *IOStreams
	// Getenv reads one environment variable ("" when unset).
	Getenv func(string) string
	// Environ is the whole environment, as KEY=value lines, that funcemu
	// hands to the handler and to the command exec runs.
	Environ func() []string
	// HTTPClient sends the commands' calls to a running funcemu.
	HTTPClient *http.Client
}

// IOStreams are a command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTerminal reports whether a stream is a terminal, which decides
	// whether lines are coloured.
	IsTerminal func(stream any) bool
}

// processFactory is the Factory of the running process: its standard
// streams and environment. It is the only place commands reach for them.
func processFactory() *Factory {
	return &Factory{
		IO:         &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, IsTerminal: isCharDevice},
		Getenv:     os.Getenv,
		Environ:    os.Environ,
		HTTPClient: &http.Client{},
	}
}

// isCharDevice reports whether stream is a file on a character device.
func isCharDevice(stream any) bool {
	f, ok := stream.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// masterKey is the master key funcemu's own commands send to a running
// funcemu: FUNCEMU_MASTER_KEY, else the one in the app's data folder; ""
// when keys were never turned on (a keyless funcemu ignores none).
func (f *Factory) masterKey(cmd *cobra.Command, events *eventsOptions) (string, error) {
	if k := f.Getenv(masterKeyEnv); k != "" {
		return k, nil
	}
	dir, err := events.dataDirIn(cmd, nil)
	if err != nil {
		return "", err
	}
	return keys.ReadMaster(keys.PathIn(dir))
}

// adminClient is a client for the running funcemu's admin API: the one at
// url (--url) when given, else the one whose instance file is in the app's
// data folder.
func (f *Factory) adminClient(cmd *cobra.Command, events *eventsOptions, url string) (*adminclient.Client, error) {
	base := strings.TrimSuffix(url, "/")
	if base == "" {
		dir, err := events.dataDirIn(cmd, nil)
		if err != nil {
			return nil, err
		}
		e, err := adminclient.ReadInstance(dir)
		if err != nil {
			return nil, err
		}
		base = e.HTTP
	}
	key, err := f.masterKey(cmd, events)
	if err != nil {
		return nil, err
	}
	return adminclient.New(base, key, f.HTTPClient), nil
}
