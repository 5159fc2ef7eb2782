package rest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Config says where and how to serve the storage services.
type Config struct {
	Address   string // default 127.0.0.1
	BlobPort  int    // 0 picks a free port
	QueuePort int    // 0 picks a free port
	TablePort int    // 0 picks a free port
	// Blob, Queue and Table are the services; a nil one is not served.
	Blob, Queue, Table Service
	Accounts           *Accounts // default devstoreaccount1 only
	Clock              emulator.Clock
	Log                *slog.Logger
	// TLS, when set, serves HTTPS with it.
	TLS *tls.Config
	// OAuth accepts bearer tokens (see Server.EnableOAuth).
	OAuth bool
	// Ports, when set, are the listeners bound ahead by Bind; the port
	// fields are then not used. Start closes the ones it does not serve.
	Ports *Ports
}

// listen is kind's listener: the one bound ahead, or a new one on addr.
func (cfg Config) listen(kind, addr string) (net.Listener, error) {
	if cfg.Ports != nil {
		if ln := cfg.Ports.take(kind); ln != nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", addr)
}

// Servers are the running storage services.
type Servers struct {
	// BlobURL and QueueURL are the service URLs with the default account,
	// e.g. http://127.0.0.1:10000/devstoreaccount1; "" when not served.
	BlobURL, QueueURL string
	TableURL          string
	servers           []*http.Server
	done              chan error
}

// Start listens on the configured ports and serves until Close. Both
// listeners are bound before it returns, so the URLs answer at once.
func Start(cfg Config) (*Servers, error) {
	if cfg.Address == "" {
		cfg.Address = "127.0.0.1"
	}
	s := &Servers{done: make(chan error, 3)}
	type plan struct {
		svc  Service
		port int
		url  *string
	}
	for _, p := range []plan{{cfg.Blob, cfg.BlobPort, &s.BlobURL}, {cfg.Queue, cfg.QueuePort, &s.QueueURL}, {cfg.Table, cfg.TablePort, &s.TableURL}} {
		if p.svc == nil {
			continue
		}
		addr := net.JoinHostPort(cfg.Address, strconv.Itoa(p.port))
		ln, err := cfg.listen(p.svc.Kind(), addr)
		if err != nil {
			_ = s.Close(context.Background())
			return nil, &ListenError{Service: p.svc.Kind(), Addr: addr, Err: err}
		}
		handler := NewServer(p.svc, cfg.Accounts, cfg.Clock, cfg.Log)
		if cfg.OAuth {
			handler.EnableOAuth()
		}
		// net/http's own answers to unreadable requests are rewritten into
		// Azure's XML shape on plain connections; over TLS the server must
		// see the *tls.Conn itself (for Request.TLS), so they stay plain.
		scheme := "http"
		if cfg.TLS != nil {
			ln, scheme = tls.NewListener(ln, cfg.TLS), "https"
		} else {
			ln = azureErrorListener{ln}
		}
		srv := &http.Server{
			Handler:           handler,
			MaxHeaderBytes:    ServerMaxHeaderBytes,
			ReadHeaderTimeout: 30 * time.Second,
		}
		s.servers = append(s.servers, srv)
		*p.url = scheme + "://" + reachableAddr(ln.Addr()) + "/" + DevAccountName
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				s.done <- fmt.Errorf("%s service: %w", p.svc.Kind(), err)
			}
		}()
	}
	if cfg.Ports != nil {
		cfg.Ports.Close()
	}
	return s, nil
}

// reachableAddr is where a client on this machine reaches a listener: a
// listener on all interfaces (0.0.0.0, ::) is named by loopback, since
// http://[::]:10000 is no address a client can use.
func reachableAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return a.String()
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}

// ListenError is a service that could not bind its port (in use, or not
// allowed), so callers can name the flag at fault.
type ListenError struct {
	Service string // "blob", "queue" or "table"
	Addr    string
	Err     error
}

func (e *ListenError) Error() string {
	return fmt.Sprintf("%s service: listen on %s: %v", e.Service, e.Addr, e.Err)
}

func (e *ListenError) Unwrap() error { return e.Err }

// Err receives a serving failure (a listener that died).
func (s *Servers) Err() <-chan error { return s.done }

// Close stops accepting requests and waits for those in flight until ctx
// ends, then drops the rest.
func (s *Servers) Close(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err, srv.Close())
		}
	}
	return errors.Join(errs...)
}
