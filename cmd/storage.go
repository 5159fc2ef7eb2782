package cmd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
	"github.com/funcemu/funcemu/internal/sqlitedb"
)

// storageFileName is the store's database inside a data folder.
const storageFileName = "storage.db"

// storageOptions are the flags of `funcemu storage`, shared with `start`.
type storageOptions struct {
	address   string
	blobPort  int
	queuePort int
	tablePort int // -1: 10002, or free when the blob and queue ports are
	// both picked free
	dataDir   string
	inMemory  bool
	accounts  string
	readyFile string
	// durability is --durability: normal or full.
	durability string
	compact    bool // --compact: compact the data folder's databases and exit
	security   storageSecurity
	// certFile is the certificate served over HTTPS, set by openStorage.
	certFile string
}

func newStorageCmd(sys *Factory) *cobra.Command {
	var o storageOptions
	c := &cobra.Command{
		Use:   "storage",
		Short: "Run only the storage services (Blob, Queue and Table), a drop-in for Azurite",
		Long: `Run the embedded Azure Storage Blob, Queue and Table services on SQLite.

The well-known devstoreaccount1 account and key work unchanged; more accounts come
from --accounts or AZURITE_ACCOUNTS ("acct1:key1[:key2];acct2:key").`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.compact {
				return compactDataDir(cmd.Context(), o.dataDir, cmd.OutOrStdout())
			}
			return runStorage(cmd.Context(), o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := c.Flags()
	f.StringVar(&o.address, "address", "127.0.0.1", "address to listen on")
	addStorageFlags(f, &o, ".funcemu", sys.Getenv)
	f.StringVar(&o.readyFile, "ready-file", "", "write the service URLs and pid as JSON to this file once serving")
	f.BoolVar(&o.compact, "compact", false, "give the space of deleted blobs and messages back to the disk, then exit (needs the data folder to itself)")
	return c
}

// addStorageFlags declares the storage flags `storage` and `start` share.
func addStorageFlags(f *pflag.FlagSet, o *storageOptions, dataDir string, getenv func(string) string) {
	f.IntVar(&o.blobPort, "blob-port", 10000, "Blob service port (0 picks a free port)")
	f.IntVar(&o.queuePort, "queue-port", 10001, "Queue service port (0 picks a free port)")
	f.IntVar(&o.tablePort, "table-port", -1, "Table service port (0 picks a free port; free too when --blob-port and --queue-port are 0)")
	f.Lookup("table-port").DefValue = "10002"
	help := dataDirHelp
	if dataDir != "" {
		help = "folder holding the storage database"
	}
	f.StringVar(&o.dataDir, "data-dir", dataDir, help)
	addDurabilityFlag(f, o)
	f.BoolVar(&o.inMemory, "in-memory", false, "keep storage (and under start, the journal) in memory; no data folder is used")
	f.StringVar(&o.accounts, "accounts", getenv("AZURITE_ACCOUNTS"), `extra storage accounts, "name:key1[:key2];name2:key"`)
	addStorageSecurityFlags(f, &o.security)
}

// openStorage opens the store and starts both services. A nil clock is
// the wall clock.
func openStorage(o *storageOptions, clock emulator.Clock, log *slog.Logger) (*storage.Store, *rest.Servers, error) {
	b, err := bindStorage(o)
	if err != nil {
		return nil, nil, err
	}
	return b.open(o, clock, log)
}

// boundStorage is storage whose flags are checked and ports bound, its
// store not yet open: funcemu start hands the URLs to the handler and
// starts it while the store opens (migrations take tens of ms).
type boundStorage struct {
	accounts   *rest.Accounts
	durability sqlitedb.Durability
	tls        *tls.Config
	ports      *rest.Ports
}

// bindStorage checks the storage flags and binds the services' ports.
func bindStorage(o *storageOptions) (*boundStorage, error) {
	accounts, err := rest.ParseAccounts(o.accounts)
	if err != nil {
		return nil, fmt.Errorf("--accounts: %w", err)
	}
	durability, err := sqlitedb.ParseDurability(o.durability)
	if err != nil {
		return nil, err
	}
	tlsCfg, certFile, err := o.security.tlsConfig(o.certDir())
	if err != nil {
		return nil, err
	}
	o.certFile = certFile
	ports, err := rest.Bind(rest.BindConfig{Address: o.address, BlobPort: o.blobPort, QueuePort: o.queuePort,
		TablePort: o.resolvedTablePort(), TLS: tlsCfg != nil})
	if err != nil {
		var le *rest.ListenError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("--%s-port: %w%s", le.Service, err, listenErrorHolder(le))
		}
		return nil, err
	}
	return &boundStorage{accounts: accounts, durability: durability, tls: tlsCfg, ports: ports}, nil
}

// open opens the store and serves it on the bound ports; on error the
// ports are closed.
func (b *boundStorage) open(o *storageOptions, clock emulator.Clock, log *slog.Logger) (*storage.Store, *rest.Servers, error) {
	defer b.ports.Close() // the ones Start did not take
	path := ""
	if !o.inMemory {
		if err := os.MkdirAll(o.dataDir, 0o755); err != nil {
			return nil, nil, fmt.Errorf("--data-dir: %w", err)
		}
		path = filepath.Join(o.dataDir, storageFileName)
	}
	store, err := storage.Open(storage.Options{Path: path, Clock: clock, Durability: b.durability})
	if err != nil {
		return nil, nil, err
	}
	servers, err := rest.Start(rest.Config{
		Address:  o.address,
		Ports:    b.ports,
		Table:    rest.NewTableService(store),
		Blob:     rest.NewBlobService(store),
		Queue:    rest.NewQueueService(store),
		Accounts: b.accounts,
		Clock:    store.Clock(),
		Log:      log,
		TLS:      b.tls,
		OAuth:    o.security.oauth != "",
	})
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, servers, nil
}

func runStorage(ctx context.Context, o storageOptions, out, errOut io.Writer) error {
	log := slog.New(slog.NewTextHandler(errOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if !o.inMemory {
		l, err := lockDataDir(o.dataDir)
		if err != nil {
			return err
		}
		defer l.Release()
	}
	store, servers, err := openStorage(&o, nil, log)
	if err != nil {
		return err
	}
	defer store.Close()
	stopProfiler, err := startProfiler(os.Getenv(pprofEnv), func(err error) { log.Warn("profiler stopped", "err", err) })
	if err != nil {
		_ = servers.Close(context.Background())
		return err
	}
	defer stopProfiler()
	// Warned before the ready file is written, so whoever sees it ready
	// has seen the warning.
	if !isLoopbackAddress(o.address) {
		fmt.Fprintln(errOut, exposedStorageWarning(o.address))
	}
	ends := emulator.Endpoints{Blob: servers.BlobURL, Queue: servers.QueueURL, Table: servers.TableURL, PID: os.Getpid()}
	if o.readyFile != "" {
		if err := writeReadyFile(o.readyFile, &ends); err != nil {
			_ = servers.Close(context.Background())
			return err
		}
		defer os.Remove(o.readyFile)
	}
	fmt.Fprintf(out, "Blob service:  %s\nQueue service: %s\nTable service: %s\n", ends.Blob, ends.Queue, ends.Table)
	if o.certFile != "" {
		fmt.Fprintf(out, "HTTPS certificate (trust it in clients): %s\n", o.certFile)
	}
	fmt.Fprintf(out, "Connection string:\n  %s\n", connectionString(ends))
	select {
	case <-ctx.Done():
	case err := <-servers.Err():
		_ = servers.Close(context.Background())
		return err
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return servers.Close(shutdown)
}

// connectionString is what Go SDK users pass, since the Go SDKs do not
// expand UseDevelopmentStorage=true.
func connectionString(e emulator.Endpoints) string {
	scheme := "http"
	if strings.HasPrefix(e.Blob, "https:") || strings.HasPrefix(e.Queue, "https:") {
		scheme = "https"
	}
	s := "DefaultEndpointsProtocol=" + scheme + ";AccountName=" + rest.DevAccountName + ";AccountKey=" + rest.DevAccountKey + ";"
	if e.Blob != "" {
		s += "BlobEndpoint=" + e.Blob + ";"
	}
	if e.Queue != "" {
		s += "QueueEndpoint=" + e.Queue + ";"
	}
	if e.Table != "" {
		s += "TableEndpoint=" + e.Table + ";"
	}
	return s
}

// resolvedTablePort is --table-port, defaulting to 10002, or to a free port
// when the other two services were asked for free ports (as tests and CI
// do), so that adding the Table service never makes such a run collide.
func (o storageOptions) resolvedTablePort() int {
	switch {
	case o.tablePort >= 0:
		return o.tablePort
	case o.blobPort == 0 && o.queuePort == 0:
		return 0
	}
	return 10002
}
