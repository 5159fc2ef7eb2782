package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/procgroup"
)

// A starting handler is probed every half millisecond at first, then at
// a twentieth of the time waited so far, up to maxReadyPoll (the real
// host's interval): a Go handler up in 20 ms is seen within about 1 ms
// (the poll adds ~5% to the start, not its interval), and a slow one costs
// few probes. Probes of a port nobody listens on yet are refused at once,
// so they cost next to nothing.
const (
	minReadyPoll = 500 * time.Microsecond
	maxReadyPoll = 25 * time.Millisecond
)

// readyPoll is the wait before the next probe, waited already.
func readyPoll(waited time.Duration) time.Duration {
	return min(max(waited/20, minReadyPoll), maxReadyPoll)
}

// process is one running handler executable.
type process struct {
	opts    Options
	proc    *os.Process // the handler, or on Linux its supervisor
	exe     string      // the handler executable
	handler int         // the handler's pid
	// lifeline, when set, is the pipe whose closing makes the supervisor
	// kill the handler and every process it started.
	lifeline *os.File
	port     int
	id       string // worker id, a GUID
	addr     string // 127.0.0.1:port
	url      string // http://127.0.0.1:port
	started  time.Time

	done     chan struct{} // closed once the process has exited
	exitErr  error         // the exit status; read after done
	stopping atomic.Bool   // set when funcemu stops it on purpose

	mu       sync.Mutex
	inflight int
	idle     chan struct{} // closed when inflight drops to zero
}

// startProcess launches exe with env and the custom-handler variables of
// the real host. It does not wait for readiness.
func startProcess(o Options, exe string, env []string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p := &process{
		opts: o,
		exe:  exe,
		port: port,
		id:   emulator.NewGUID(),
		addr: "127.0.0.1:" + strconv.Itoa(port),
		url:  "http://127.0.0.1:" + strconv.Itoa(port),
		done: make(chan struct{}),
	}
	cmd := exec.Command(exe, o.Args...)
	cmd.Dir = o.Dir
	cmd.Env = append(append([]string(nil), env...),
		"FUNCTIONS_CUSTOMHANDLER_PORT="+strconv.Itoa(port),
		"FUNCTIONS_HTTPWORKER_PORT="+strconv.Itoa(port),
		"FUNCTIONS_CUSTOMHANDLER_WORKER_ID="+p.id,
		"FUNCTIONS_HTTPWORKER_ID="+p.id,
		"FUNCTIONS_APP_ROOT_PATH="+o.AppRoot,
	)
	stdout := &lineWriter{emit: func(l string) { o.log(emulator.LevelInfo, emulator.CategoryConsole, l) }}
	stderr := &lineWriter{emit: func(l string) { o.log(emulator.LevelError, emulator.CategoryConsole, l) }}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A grandchild holding the output pipes open must not keep us waiting.
	cmd.WaitDelay = time.Second
	setProcAttr(cmd)
	l, err := startSupervised(cmd)
	if err != nil {
		return nil, fmt.Errorf("start handler %s: %w", exe, err)
	}
	p.proc, p.handler, p.lifeline = l.proc, l.pid, l.cut
	p.started = o.Clock.Now()
	go func() {
		p.exitErr = l.wait()
		if l.cut != nil {
			l.cut.Close()
		}
		stdout.flush()
		stderr.flush()
		close(p.done)
	}()
	return p, nil
}

// launch is a started handler.
type launch struct {
	proc *os.Process // what runs: the handler's supervisor, or the handler
	pid  int         // the handler's process id
	cut  *os.File    // closing it kills the handler's tree; nil without a supervisor
	// wait waits for proc to exit and its output to be read.
	wait func() error
}

// pid is the handler's process id.
func (p *process) pid() int { return p.handler }

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitReady polls GET / until the handler answers with any HTTP status,
// the process exits, ctx ends or the init timeout passes.
func (p *process) waitReady(ctx context.Context, client *http.Client) error {
	timedOut := make(chan struct{})
	t := p.opts.Clock.AfterFunc(p.opts.InitTimeout, func() { close(timedOut) })
	defer t.Stop()
	// The probes' pace is real time: the process starts in real time
	// whatever clock the app runs on.
	began := time.Now()
	tick := time.NewTimer(maxReadyPoll) // reset before each wait
	defer tick.Stop()
	for {
		if p.probe(ctx, client) {
			return nil
		}
		tick.Reset(readyPoll(time.Since(began)))
		select {
		case <-tick.C:
		case <-p.done:
			return fmt.Errorf("handler %s exited during startup (%v)", p.exe, p.exitErr)
		case <-timedOut:
			return emulator.Errorf(emulator.ETIMEOUT,
				"handler %s did not answer HTTP on 127.0.0.1:%d within %s: a custom handler must listen on the port in FUNCTIONS_CUSTOMHANDLER_PORT (raise customHandler.initializationTimeout in host.json if it needs longer)",
				p.exe, p.port, p.opts.InitTimeout)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// probe sends one GET /; any HTTP answer means ready. Until the handler
// listens, a bare connect is refused at once: that is all a probe costs
// then, not an HTTP request, while the handler needs the CPU to start.
func (p *process) probe(ctx context.Context, client *http.Client) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := probeDialer.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return false
	}
	conn.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.url+"/", nil)
	if err != nil {
		return false
	}
	resp, err := client.Do(req)
	if err != nil {
		return false
	}
	// Read to the end so the connection goes back to the pool for the
	// first invocation.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxProbeBody))
	resp.Body.Close()
	return true
}

// probeDialer connects to a starting handler without keep-alive probes of
// its own: the connection only tells that the port listens.
var probeDialer = &net.Dialer{KeepAlive: -1}

// maxProbeBody is how much of the answer to GET / is read to keep its
// connection; a larger answer is dropped with the connection.
const maxProbeBody = 64 << 10

// stop sends SIGINT to the process group, then SIGKILL after the grace
// period, and waits for the exit.
func (p *process) stop() {
	p.stopping.Store(true)
	if p.exited() {
		return
	}
	_ = procgroup.Interrupt(p.proc)
	graceOver := make(chan struct{})
	t := p.opts.Clock.AfterFunc(p.opts.StopGrace, func() { close(graceOver) })
	defer t.Stop()
	select {
	case <-p.done:
		// The leader is gone; make sure nothing it started lingers.
		_ = procgroup.Kill(p.proc)
		return
	case <-graceOver:
	}
	p.killTree()
	<-p.done
}

// treeKillWait bounds the wait for the supervisor to kill the handler's
// tree before the process group is killed outright. It is real time: the
// processes die in real time whatever the emulated clock says.
const treeKillWait = 2 * time.Second

// killTree ends the handler and every process it started: closing the
// lifeline makes the supervisor kill the whole tree; the process group is
// killed too, for systems without a supervisor.
func (p *process) killTree() {
	if p.lifeline != nil {
		p.lifeline.Close()
		t := time.NewTimer(treeKillWait)
		select {
		case <-p.done:
		case <-t.C:
		}
		t.Stop()
	}
	_ = procgroup.Kill(p.proc)
}

// acquire counts an invocation in flight on p.
func (p *process) acquire() {
	p.mu.Lock()
	p.inflight++
	p.mu.Unlock()
}

// release ends an invocation in flight on p.
func (p *process) release() {
	p.mu.Lock()
	p.inflight--
	if p.inflight == 0 && p.idle != nil {
		close(p.idle)
		p.idle = nil
	}
	p.mu.Unlock()
}

// whenIdle returns a channel closed once no invocation is in flight.
func (p *process) whenIdle() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.inflight == 0 {
		ch := make(chan struct{})
		close(ch)
		return ch
	}
	if p.idle == nil {
		p.idle = make(chan struct{})
	}
	return p.idle
}

// exitDescription says how the process ended, for logs.
func (p *process) exitDescription() string {
	var ee *exec.ExitError
	if errors.As(p.exitErr, &ee) {
		return ee.ProcessState.String()
	}
	if p.exitErr == nil {
		return "exit status 0"
	}
	return p.exitErr.Error()
}
