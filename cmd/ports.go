package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// checkPorts makes sure, before anything is built or started, that the
// ports start listens on are free, and says who holds one that is not.
func (r *runner) checkPorts(context.Context) error {
	address := r.opts.address
	if r.opts.port != 0 {
		if holder, busy := portBusy(address, r.opts.port); busy {
			return fmt.Errorf("Port %d is unavailable%s. Close the process using that port, or specify another port using --port [-p].",
				r.opts.port, holder.heldBy())
		}
	}
	for _, p := range []struct {
		port    int
		service string
	}{{r.opts.storageOpts.blobPort, "Blob"}, {r.opts.storageOpts.queuePort, "Queue"}} {
		if p.port == 0 {
			continue
		}
		if holder, busy := portBusy(address, p.port); busy {
			guess := ""
			if holder.pid == 0 || holder.name == "azurite" {
				guess = " (an Azurite that VS Code started, perhaps)"
			}
			return fmt.Errorf("port %d for the %s service is in use%s%s. "+
				"To go on, use --blob-port 0 --queue-port 0 for free ports, "+
				"or add --storage remote to run the bindings against that Azurite", p.port, p.service, holder.clause(), guess)
		}
	}
	return nil
}

// portBusy reports whether address:port is taken, and by whom when the
// system tells.
func portBusy(address string, port int) (portHolder, bool) {
	ln, err := net.Listen("tcp", net.JoinHostPort(address, strconv.Itoa(port)))
	if err == nil {
		ln.Close()
		return portHolder{}, false
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		return portHolder{}, false // not allowed, or a bad address: the listener says it later
	}
	h, _ := findPortHolder(port)
	return h, true
}

// portHolder is the process listening on a port.
type portHolder struct {
	name string
	pid  int
}

// heldBy is " (held by NAME, pid N)", or "" when the holder is unknown.
func (h portHolder) heldBy() string {
	if h.pid == 0 {
		return ""
	}
	return fmt.Sprintf(" (held by %s, pid %d)", h.name, h.pid)
}

// clause is " by NAME (pid N)", or "" when the holder is unknown.
func (h portHolder) clause() string {
	if h.pid == 0 {
		return ""
	}
	return fmt.Sprintf(" by %s (pid %d)", h.name, h.pid)
}

// listenErrorHolder is " (held by NAME, pid N)" for a storage port that
// another process holds, when the system tells.
func listenErrorHolder(le *rest.ListenError) string {
	if !errors.Is(le.Err, syscall.EADDRINUSE) {
		return ""
	}
	_, p, err := net.SplitHostPort(le.Addr)
	port, convErr := strconv.Atoi(p)
	if err != nil || convErr != nil {
		return ""
	}
	h, _ := findPortHolder(port)
	return h.heldBy()
}
