package worker

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/procgroup"
)

// Supervisor owns the handler process that invocations go to. It restarts
// a crashed handler with backoff and replaces the handler (Swap, Restart)
// with zero downtime: the new process starts on a new port, takes new
// invocations as soon as it is ready, and the old one is stopped once its
// invocations in flight are done.
type Supervisor struct {
	opts Options
	// transport carries invocations and the readiness probes: the probe
	// that finds the handler ready leaves its connection idle in the
	// pool, and the first invocation goes out on it.
	transport *http.Transport
	probe     *http.Client // readiness probes, over transport

	ctx    context.Context // canceled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // retiring processes and restarts

	ops sync.Mutex // serializes process replacements

	mu       sync.Mutex
	current  *process      // ready and serving; nil while none is
	changed  chan struct{} // closed and replaced when current changes
	exe      string
	env      []string
	closed   bool
	crashes  int // crashes in a row, for the backoff
	restartT emulator.Timer
}

// New returns a Supervisor for opts; Start launches the handler.
func New(opts Options) *Supervisor {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	transport := &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 512,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &Supervisor{
		opts:      opts,
		probe:     &http.Client{Transport: transport},
		transport: transport,
		ctx:       ctx,
		cancel:    cancel,
		changed:   make(chan struct{}),
		exe:       opts.Executable,
		env:       opts.Env,
	}
}

// Start launches the handler and waits until it answers HTTP.
func (s *Supervisor) Start(ctx context.Context) error {
	return s.replace(ctx, s.opts.Executable, s.opts.Env)
}

// Swap replaces the handler with the executable at exe, keeping the
// environment. If the new process fails to start, the old one keeps
// serving and the error is returned.
func (s *Supervisor) Swap(ctx context.Context, exe string) error {
	s.mu.Lock()
	env := s.env
	s.mu.Unlock()
	return s.replace(ctx, exe, env)
}

// Restart replaces the handler with a new process of the same executable
// and the environment env, the way Swap does.
func (s *Supervisor) Restart(ctx context.Context, env []string) error {
	s.mu.Lock()
	exe := s.exe
	s.mu.Unlock()
	return s.replace(ctx, exe, env)
}

// Acquire waits for a ready handler and holds it for one invocation;
// Release the lease when the invocation is done.
func (s *Supervisor) Acquire(ctx context.Context) (*Lease, error) {
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, emulator.Errorf(emulator.EUNAVAILABLE, "handler is stopped")
		}
		if p := s.current; p != nil {
			p.acquire()
			s.mu.Unlock()
			return &Lease{s: s, p: p}, nil
		}
		changed := s.changed
		s.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for the handler to be ready: %w", ctx.Err())
		}
	}
}

// Transport is the HTTP transport to reach handler processes with.
func (s *Supervisor) Transport() http.RoundTripper { return s.transport }

// PID returns the process id of the serving handler, 0 if none is.
func (s *Supervisor) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return 0
	}
	return s.current.pid()
}

// Close stops the handler and waits for every process to end.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	cur := s.current
	s.setCurrentLocked(nil)
	if s.restartT != nil && s.restartT.Stop() {
		s.wg.Done() // the restart it held will not run
	}
	s.mu.Unlock()
	s.cancel()
	if cur != nil {
		cur.stop()
	}
	s.ops.Lock() // wait for a replacement under way to give up
	s.ops.Unlock()
	s.wg.Wait()
	s.transport.CloseIdleConnections()
	return nil
}

// replace starts exe with env, waits for it to be ready, makes it current
// and retires the previous process.
func (s *Supervisor) replace(ctx context.Context, exe string, env []string) error {
	s.ops.Lock()
	defer s.ops.Unlock()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopOnClose := context.AfterFunc(s.ctx, cancel)
	defer stopOnClose()

	if s.ctx.Err() != nil {
		return emulator.Errorf(emulator.EUNAVAILABLE, "handler is stopped")
	}
	p, err := startProcess(s.opts, exe, env)
	if err != nil {
		return err
	}
	if err := p.waitReady(ctx, s.probe); err != nil {
		p.stop()
		return err
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		p.stop()
		return emulator.Errorf(emulator.EUNAVAILABLE, "handler is stopped")
	}
	old := s.current
	s.exe, s.env = exe, env
	s.setCurrentLocked(p)
	s.wg.Add(1)
	s.mu.Unlock()
	go s.watch(p)
	s.opts.log(emulator.LevelInfo, emulator.CategoryHost,
		fmt.Sprintf("Handler process started (pid %d, port %d).", p.pid(), p.port))
	if old != nil {
		s.wg.Add(1)
		go s.retire(old)
	}
	return nil
}

// setCurrentLocked makes p the serving process and wakes Acquire callers.
func (s *Supervisor) setCurrentLocked(p *process) {
	s.current = p
	close(s.changed)
	s.changed = make(chan struct{})
}

// retire lets p finish its invocations in flight (bounded by the drain
// timeout, or cut short by Close) and stops it.
func (s *Supervisor) retire(p *process) {
	defer s.wg.Done()
	p.stopping.Store(true)
	var expired chan struct{}
	if s.opts.DrainTimeout > 0 {
		expired = make(chan struct{})
		t := s.opts.Clock.AfterFunc(s.opts.DrainTimeout, func() { close(expired) })
		defer t.Stop()
	}
	select {
	case <-p.whenIdle():
	case <-expired:
	case <-s.ctx.Done():
	}
	p.stop()
}

// watch waits for p to exit and restarts the handler if p crashed while
// serving.
func (s *Supervisor) watch(p *process) {
	defer s.wg.Done()
	select {
	case <-p.done:
	case <-s.ctx.Done():
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || p.stopping.Load() || s.current != p {
		return
	}
	s.setCurrentLocked(nil)
	if s.opts.Clock.Now().Sub(p.started) > time.Minute {
		s.crashes = 0 // a long healthy run starts the backoff over
	}
	delay := s.backoffLocked()
	s.opts.log(emulator.LevelError, emulator.CategoryHost, fmt.Sprintf(
		"Handler process exited unexpectedly (pid %d, %s). Restarting in %s.", p.pid(), p.exitDescription(), delay))
	s.scheduleRestartLocked(delay)
}

// backoffLocked returns the delay before the next restart and counts the
// crash.
func (s *Supervisor) backoffLocked() time.Duration {
	d := s.opts.MinBackoff << min(s.crashes, 16)
	s.crashes++
	return min(d, s.opts.MaxBackoff)
}

func (s *Supervisor) scheduleRestartLocked(delay time.Duration) {
	s.wg.Add(1)
	s.restartT = s.opts.Clock.AfterFunc(delay, func() {
		defer s.wg.Done()
		s.restartAfterCrash()
	})
}

// restartAfterCrash starts the handler again unless another one took over
// in the meantime; a failed start is retried with a longer delay.
func (s *Supervisor) restartAfterCrash() {
	s.mu.Lock()
	if s.closed || s.current != nil {
		s.mu.Unlock()
		return
	}
	exe, env := s.exe, s.env
	s.mu.Unlock()
	err := s.replace(s.ctx, exe, env)
	if err == nil || s.ctx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.current != nil {
		return
	}
	delay := s.backoffLocked()
	s.opts.log(emulator.LevelError, emulator.CategoryHost,
		fmt.Sprintf("Handler failed to restart: %v. Retrying in %s.", err, delay))
	s.scheduleRestartLocked(delay)
}

// recycle kills p, which failed an invocation by timing out, and starts a
// fresh handler at once if p was serving.
func (s *Supervisor) recycle(p *process, reason string) {
	s.mu.Lock()
	if s.closed || s.current != p {
		s.mu.Unlock()
		return
	}
	p.stopping.Store(true)
	s.setCurrentLocked(nil)
	exe, env := s.exe, s.env
	s.wg.Add(1)
	s.mu.Unlock()
	s.opts.log(emulator.LevelWarning, emulator.CategoryHost, reason)
	go func() {
		defer s.wg.Done()
		_ = procgroup.Kill(p.proc)
		<-p.done
		if err := s.replace(s.ctx, exe, env); err != nil && s.ctx.Err() == nil {
			s.mu.Lock()
			defer s.mu.Unlock()
			if !s.closed && s.current == nil {
				s.opts.log(emulator.LevelError, emulator.CategoryHost,
					fmt.Sprintf("Handler failed to restart: %v.", err))
				s.scheduleRestartLocked(s.backoffLocked())
			}
		}
	}()
}
