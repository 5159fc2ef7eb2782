package rest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage"
)

// Ports bound ahead serve once Start takes them, at the URLs Bind gave:
// a client connecting in between waits instead of being refused.
func TestBindThenStartServesOnTheBoundPorts(t *testing.T) {
	t.Parallel()
	ports, err := Bind(BindConfig{})
	if err != nil {
		t.Fatal(err)
	}
	answered := make(chan error, 1)
	go func() { // connects before the store opens
		resp, err := http.Get(ports.QueueURL + "?comp=list")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized { // unsigned, answered by the queue service
				err = errors.New(resp.Status)
			}
		}
		answered <- err
	}()
	store, err := storage.Open(storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	s, err := Start(Config{Ports: ports, Blob: NewBlobService(store), Queue: NewQueueService(store)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	if s.BlobURL != ports.BlobURL || s.QueueURL != ports.QueueURL {
		t.Errorf("Start serves %s and %s, Bind said %s and %s", s.BlobURL, s.QueueURL, ports.BlobURL, ports.QueueURL)
	}
	if err := <-answered; err != nil {
		t.Fatalf("the request made while the store opened: %v", err)
	}
	// Table was not served: its bound port is closed, not left listening.
	if c, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(ports.TableURL, "http://"), "/"+DevAccountName)); err == nil {
		c.Close()
		t.Error("the unserved table port still accepts connections")
	}
}

// A port in use is named by its service.
func TestBindNamesTheServiceWhosePortIsTaken(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, err = Bind(BindConfig{QueuePort: busy.Addr().(*net.TCPAddr).Port})
	var le *ListenError
	if !errors.As(err, &le) || le.Service != "queue" {
		t.Fatalf("Bind with a taken queue port: %v, want a ListenError for queue", err)
	}
}
