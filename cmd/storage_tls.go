package cmd

import (
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// storageSecurity are the HTTPS and OAuth flags of `storage` and `start`.
type storageSecurity struct {
	cert, key string
	https     bool
	oauth     string
}

func addStorageSecurityFlags(f *pflag.FlagSet, o *storageSecurity) {
	f.StringVar(&o.cert, "cert", "", "serve Blob and Queue over HTTPS with this PEM certificate (needs --key)")
	f.StringVar(&o.key, "key", "", "PEM private key of --cert")
	f.BoolVar(&o.https, "https", false, "serve Blob and Queue over HTTPS with a self-signed certificate funcemu creates in the data folder")
	f.StringVar(&o.oauth, "oauth", "", `accept OAuth bearer tokens: "basic" takes any well-formed token for Azure Storage (needs HTTPS)`)
}

// tlsConfig resolves the flags to a TLS configuration and the certificate
// file clients must trust; nil when serving plain HTTP. certDir holds a
// self-signed pair.
func (o storageSecurity) tlsConfig(certDir string) (*tls.Config, string, error) {
	switch {
	case (o.cert == "") != (o.key == ""):
		return nil, "", errors.New("--cert and --key go together")
	case o.cert != "" && o.https:
		return nil, "", errors.New("--https creates its own certificate; leave out --cert and --key, or --https")
	case o.oauth != "" && o.oauth != "basic":
		return nil, "", fmt.Errorf("--oauth %q: only basic is supported", o.oauth)
	case o.oauth != "" && o.cert == "" && !o.https:
		return nil, "", errors.New("--oauth needs HTTPS (--https, or --cert and --key): SDKs send tokens only over HTTPS")
	}
	cert, key := o.cert, o.key
	if o.https {
		var err error
		if cert, key, err = rest.SelfSignedCert(certDir, time.Now()); err != nil {
			return nil, "", fmt.Errorf("--https: %w", err)
		}
	}
	if cert == "" {
		return nil, "", nil
	}
	cfg, err := rest.LoadTLS(cert, key)
	if err != nil {
		return nil, "", fmt.Errorf("--cert: %w", err)
	}
	return cfg, cert, nil
}

// certDir is where --https keeps its pair: the data folder, or with
// --in-memory the user cache, so nothing lands in the app.
func (o storageOptions) certDir() string {
	if !o.inMemory {
		return o.dataDir
	}
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "funcemu")
	}
	return filepath.Join(os.TempDir(), "funcemu")
}
