package cmd

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

func TestStorageHTTPSFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ready := filepath.Join(t.TempDir(), "ready.json")
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	root := newRootCmd(testFactory(t))
	root.SetOut(&out)
	root.SetArgs([]string{"storage", "--https", "--data-dir", dir, "--blob-port", "0", "--queue-port", "0", "--ready-file", ready})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("storage: %v", err)
		}
	})
	var e emulator.Endpoints
	deadline := time.Now().Add(30 * time.Second) // readiness only, generous
	for {
		if b, err := os.ReadFile(ready); err == nil && json.Unmarshal(b, &e) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no ready file")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.HasPrefix(e.Blob, "https://127.0.0.1:") || !strings.HasPrefix(e.Queue, "https://127.0.0.1:") {
		t.Fatalf("ready file endpoints %+v", e)
	}
	certFile := filepath.Join(dir, rest.SelfSignedCertFile)
	if !strings.Contains(out.String(), certFile) || !strings.Contains(out.String(), "DefaultEndpointsProtocol=https;") {
		t.Fatalf("output does not name the certificate and an https connection string:\n%s", out.String())
	}
	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	cred, _ := azblob.NewSharedKeyCredential(rest.DevAccountName, rest.DevAccountKey)
	c, err := azblob.NewClientWithSharedKeyCredential(e.Blob+"/", cred, &azblob.ClientOptions{ClientOptions: azcore.ClientOptions{
		Transport: hc, Retry: policy.RetryOptions{MaxRetries: -1}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateContainer(context.Background(), "tls", nil); err != nil {
		t.Fatalf("create container over https: %v", err)
	}
}

func TestStorageSecurityFlagErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cert", "c.pem"}, "--cert and --key"},
		{[]string{"--oauth", "basic"}, "--oauth needs HTTPS"},
		{[]string{"--oauth", "full", "--https"}, "only basic"},
		{[]string{"--cert", "/nonexistent/c.pem", "--key", "/nonexistent/k.pem"}, "--cert"},
	} {
		root := newRootCmd(testFactory(t))
		root.SetArgs(append([]string{"storage", "--in-memory", "--queue-port", "0", "--blob-port", "0"}, tc.args...))
		err := root.Execute()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("%v: err = %v, want it to mention %q", tc.args, err, tc.want)
		}
	}
}
