package cmd

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/journal"
	"github.com/funcemu/funcemu/watcher"
)

// defaultPort is func start's port when neither --port nor
// Host.LocalHttpPort gives one.
const defaultPort = 7071

// startOptions are the flags of funcemu start.
type startOptions struct {
	dir             string
	port            int
	address         string
	functions       []string
	noBuild         bool
	cors            string
	corsCredentials bool
	verbose         bool
	json            bool
	noTUI           bool
	readyFile       string
	compatBase64    bool
	noWatch         bool           // no rebuild, reload or restart on change
	debounce        time.Duration  // quiet period before a change is acted on
	buildCmd        string         // custom build command instead of go build
	storageOpts     storageOptions // --blob-port, --queue-port, --data-dir, --in-memory, --accounts
	storage         string

	journalMaxInvocations int
	journalMaxBytes       int64
	clock                 string
	auth                  authOptions // --enable-auth, --master-key

	portSet, addressSet, corsSet, corsCredentialsSet bool

	// sys gives start its streams and environment; nil is the process's.
	sys *Factory
}

// system is the Factory start runs with: the command's, or the process's
// for options a test builds by hand.
func (o *startOptions) system() *Factory {
	if o.sys == nil {
		return processFactory()
	}
	return o.sys
}

func newStartCmd(sys *Factory) *cobra.Command {
	o := &startOptions{sys: sys}
	cmd := &cobra.Command{
		Use:   "start [DIR]",
		Short: "Run a function app folder like func start",
		Long: `Run the function app in DIR (default: the current folder) the way func start does:
build the Go custom handler when the folder has a go.mod, start it, and serve the
HTTP triggers and the admin API.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = "."
			if len(args) == 1 {
				o.dir = args[0]
			}
			o.markSet(cmd.Flags())
			return runStart(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	o.addFlags(cmd.Flags())
	return cmd
}

// addFlags registers the flags of start, which exec shares.
func (o *startOptions) addFlags(f *pflag.FlagSet) {
	f.IntVarP(&o.port, "port", "p", defaultPort, "local port to listen on (default Host.LocalHttpPort, else 7071; 0 picks a free port)")
	f.StringVar(&o.address, "address", "127.0.0.1", "local IP address to listen on")
	f.StringSliceVar(&o.functions, "functions", nil, "only load these functions (comma-separated)")
	f.BoolVar(&o.noBuild, "no-build", false, "do not run go build before starting the handler")
	f.StringVar(&o.cors, "cors", "", "comma-separated list of CORS origins, * for any")
	f.BoolVar(&o.corsCredentials, "cors-credentials", false, "allow cross-origin requests with credentials")
	f.BoolVar(&o.verbose, "verbose", false, "show host logs below warning level")
	f.BoolVar(&o.json, "json", false, "print one JSON object a line instead of text")
	f.BoolVar(&o.noTUI, "no-tui", false, "print plain lines instead of the terminal UI")
	f.StringVar(&o.readyFile, "ready-file", "", `once serving, write {"http": URL, "blob": URL, "queue": URL, "pid": N} to this file (removed on exit)`)
	f.IntVar(&o.journalMaxInvocations, "journal-max-invocations", journal.DefaultMaxInvocations,
		"keep at most this many invocations in the journal, pruning the oldest (-1 for no limit)")
	f.Int64Var(&o.journalMaxBytes, "journal-max-bytes", journal.DefaultMaxBytes,
		"keep the journal under this many bytes of recorded data, pruning the oldest (-1 for no limit)")
	f.StringVar(&o.clock, "clock", "system", "system, or virtual: time moves only with funcemu clock advance")
	addStorageFlags(f, &o.storageOpts, "", o.system().Getenv)
	addAuthFlags(f, &o.auth, o.system().Getenv)
	f.BoolVar(&o.compatBase64, "compat-base64-outputs", true,
		"decode string outputs that happen to be valid base64, as Azure's host does (see host.Options.CompatBase64Outputs)")
	f.BoolVar(&o.noWatch, "no-watch", false, "do not watch the app folder: no rebuild, index reload or restart on change")
	f.DurationVar(&o.debounce, "debounce", watcher.DefaultDebounce, "how long the app folder must be quiet before a change is acted on")
	f.StringVar(&o.buildCmd, "build", "", "build the handler with this shell command, run in the app folder, instead of go build")
	f.StringVar(&o.storage, "storage", "auto",
		"which store serves queue and blob connections: auto (UseDevelopmentStorage=true embedded, other accounts remote), embedded or remote")
}

// markSet records which flags were given, so local.settings.json's Host
// section fills only the others.
func (o *startOptions) markSet(f *pflag.FlagSet) {
	o.portSet, o.addressSet = f.Changed("port"), f.Changed("address")
	o.corsSet, o.corsCredentialsSet = f.Changed("cors"), f.Changed("cors-credentials")
}

// resolve fills defaults from local.settings.json's Host section.
func (o *startOptions) resolve(a *emulator.App) {
	if !o.portSet && a.Settings.LocalHTTPPort != 0 {
		o.port = a.Settings.LocalHTTPPort
	}
	if !o.addressSet && a.Settings.LocalHTTPAddress != "" {
		o.address = a.Settings.LocalHTTPAddress
	}
	if !o.corsSet && len(a.Settings.CORS) > 0 {
		o.cors = strings.Join(a.Settings.CORS, ",")
	}
	if !o.corsCredentialsSet && a.Settings.CORSCredentials {
		o.corsCredentials = true
	}
}

// corsOrigins splits --cors.
func (o *startOptions) corsOrigins() []string {
	var out []string
	for _, s := range strings.Split(o.cors, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// listen binds the HTTP port, with func start's message when it is taken.
func listen(address string, port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(address, strconv.Itoa(port)))
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("Port %d is unavailable. Close the process using that port, or specify another port using --port [-p].", port)
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s:%d: %w", address, port, err)
	}
	return ln, nil
}

// executablePath is where the handler executable is, or is built to: the
// loader makes it absolute when the file exists; a relative path is taken
// under the working directory when the app is a Go module to build or the
// path names a folder, and is otherwise a command on PATH.
func executablePath(a *emulator.App) string {
	p := a.Host.CustomHandler.ExecutablePath
	if filepath.IsAbs(p) {
		return p
	}
	if strings.ContainsRune(p, filepath.Separator) || fileExists(filepath.Join(a.Dir, "go.mod")) {
		return filepath.Join(a.Host.CustomHandler.WorkingDirectory, p)
	}
	return p
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// loadApp loads the app folder; a broken host.json is an error.
func loadApp(dir string, functions, environ []string) (*emulator.App, error) {
	// Load makes dir absolute; it names dir as given in its errors.
	return app.Load(dir, app.Options{Environ: environ, Functions: functions})
}
