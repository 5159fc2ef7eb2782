package rest

import (
	"net"
	"strconv"
	"sync"
)

// Ports are the services' listeners bound ahead of the store, so a caller
// can hand their URLs out (funcemu start gives them to the handler it
// starts) while the store still opens; Start serves on them through
// Config.Ports. Connections made meanwhile wait in the listen backlog.
type Ports struct {
	// BlobURL, QueueURL and TableURL are the URLs Start will report.
	BlobURL, QueueURL, TableURL string

	mu        sync.Mutex
	listeners map[string]net.Listener // by Service.Kind, until Start takes them
}

// BindConfig is where Bind listens; a port of 0 picks a free one.
type BindConfig struct {
	Address                        string // default 127.0.0.1
	BlobPort, QueuePort, TablePort int
	TLS                            bool // the URLs say https
}

// Bind listens on the three services' ports. Its error is a *ListenError
// naming the service whose port could not be bound.
func Bind(cfg BindConfig) (*Ports, error) {
	if cfg.Address == "" {
		cfg.Address = "127.0.0.1"
	}
	scheme := "http"
	if cfg.TLS {
		scheme = "https"
	}
	p := &Ports{listeners: map[string]net.Listener{}}
	for _, s := range []struct {
		kind string
		port int
		url  *string
	}{{"blob", cfg.BlobPort, &p.BlobURL}, {"queue", cfg.QueuePort, &p.QueueURL}, {"table", cfg.TablePort, &p.TableURL}} {
		addr := net.JoinHostPort(cfg.Address, strconv.Itoa(s.port))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			p.Close()
			return nil, &ListenError{Service: s.kind, Addr: addr, Err: err}
		}
		p.listeners[s.kind] = ln
		*s.url = scheme + "://" + reachableAddr(ln.Addr()) + "/" + DevAccountName
	}
	return p, nil
}

// take hands kind's listener to Start, once; nil when there is none.
func (p *Ports) take(kind string) net.Listener {
	p.mu.Lock()
	defer p.mu.Unlock()
	ln := p.listeners[kind]
	delete(p.listeners, kind)
	return ln
}

// Close closes the listeners Start has not taken (when the store failed
// to open, or a service is not served).
func (p *Ports) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for kind, ln := range p.listeners {
		_ = ln.Close()
		delete(p.listeners, kind)
	}
}
