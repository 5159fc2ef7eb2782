package lifeline

// The package imports as little as it can (no fmt, os/exec or time):
// Go initializes a package only after everything it imports, so the fewer
// imports, the earlier the supervisor takes over and the less of funcemu's
// start-up it pays for.
import (
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

// Env, set to 1, makes funcemu's executable (or a test binary that starts
// handlers) run as a handler's supervisor instead of its normal command
// line.
const Env = "FUNCEMU_SUPERVISE_HANDLER"

// The supervisor's inherited descriptors: the lifeline it watches, the
// pipe on which it reports the handler's pid ("pid N") or its start error
// ("error ..."), and, for a supervisor started ahead of need (no handler
// on its command line), the pipe its handler's Spec comes on.
const (
	LifelineFD = 3
	ReportFD   = 4
	SpecFD     = 5
)

// init turns the process into a supervisor before anything else it does.
// This package imports only the standard library, so Go initializes it
// before most of funcemu's packages (the SDKs, the UI): the supervisor
// skips their init work and starts the handler sooner. In funcemu start
// and exec, it starts their first supervisor (see early_linux.go).
func init() {
	if os.Getenv(Env) == "1" {
		os.Exit(supervise())
	}
	if startsHandler(os.Args) {
		early = startEarly()
	}
}

// supervise runs the handler named by os.Args[1:] (path, then argv) and
// returns the exit code to leave with.
func supervise() int {
	lifeline := os.NewFile(LifelineFD, "lifeline")
	report := os.NewFile(ReportFD, "report")
	syscall.CloseOnExec(LifelineFD)
	syscall.CloseOnExec(ReportFD)
	syscall.CloseOnExec(SpecFD)
	os.Unsetenv(Env)
	// Orphans of the handler's tree become our children, not init's.
	if err := prctlSubreaper(); err != nil {
		os.Stderr.WriteString("funcemu: handler supervisor: cannot become a subreaper (" + err.Error() + "); orphaned processes of the handler may outlive funcemu\n")
	}
	spec := Spec{Env: os.Environ()}
	if len(os.Args) >= 3 {
		spec.Path, spec.Args = os.Args[1], os.Args[2:]
	} else if len(os.Args) == 1 {
		// Started ahead of need: the handler comes on SpecFD, or nothing
		// does when funcemu ends (or drops this spare) first.
		b := readAll(os.NewFile(SpecFD, "spec"))
		if len(b) == 0 {
			return 0
		}
		var err error
		if spec, err = decodeSpec(b); err != nil {
			report.WriteString("error handler supervisor: " + err.Error() + "\n")
			return 2
		}
	} else {
		report.WriteString("error handler supervisor: no handler to run\n")
		return 2
	}
	// SIGINT goes to the whole group when funcemu stops the handler: the
	// handler acts on it, the supervisor waits for the handler. Caught, not
	// ignored, so the handler starts with the default disposition.
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, syscall.SIGINT)
	terms := make(chan os.Signal, 1)
	signal.Notify(terms, syscall.SIGTERM, syscall.SIGHUP)

	handler, err := startHandler(spec)
	if err != nil {
		report.WriteString("error " + strings.ReplaceAll(err.Error(), "\n", " ") + "\n")
		return 127
	}
	report.WriteString("pid " + strconv.Itoa(handler.Pid) + "\n")
	report.Close()

	lifelineCut := make(chan struct{})
	go func() {
		readAll(lifeline) // funcemu never writes: this returns when it is gone
		close(lifelineCut)
	}()
	exited := make(chan *os.ProcessState, 1)
	go func() {
		st, _ := handler.Wait()
		exited <- st
	}()
	for {
		select {
		case <-interrupts:
		case <-terms:
			killDescendants()
			return 128 + int(syscall.SIGTERM)
		case <-lifelineCut:
			killDescendants()
			return 128 + int(syscall.SIGKILL)
		case st := <-exited:
			killDescendants()
			return exitLike(st)
		}
	}
}

// startHandler starts the handler with its output on ours, its input
// from /dev/null, and a parent-death signal.
func startHandler(spec Spec) (*os.Process, error) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		return nil, err
	}
	defer null.Close()
	return os.StartProcess(spec.Path, spec.Args, &os.ProcAttr{Dir: spec.Dir, Env: spec.Env,
		Files: []*os.File{null, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}})
}

// readAll reads f to its end (or first error) and closes it.
func readAll(f *os.File) []byte {
	defer f.Close()
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := f.Read(buf)
		out = append(out, buf[:n]...)
		if err != nil {
			return out
		}
	}
}

// sleep pauses for ns nanoseconds.
func sleep(ns int64) {
	ts := syscall.NsecToTimespec(ns)
	_ = syscall.Nanosleep(&ts, nil)
}

// exitLike ends the supervisor the way the handler ended: its exit code,
// or killed by the same signal, so funcemu reports what the handler did.
func exitLike(st *os.ProcessState) int {
	if st == nil {
		return 1
	}
	ws, ok := st.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return st.ExitCode()
	}
	sig := ws.Signal()
	signal.Reset(sig)
	_ = syscall.Kill(os.Getpid(), sig)
	sleep(100_000_000) // the signal ends us; this is only a fallback
	return 128 + int(sig)
}

// killDescendants kills every process below the supervisor and reaps
// them. Orphans reparent to the supervisor (a subreaper) as their parents
// die, so it scans again until nothing is left. A process that died after
// the last reap is a zombie the scan no longer lists; the final reap
// takes it, so none is left for init to reap after the supervisor exits
// (until then its pid would still answer).
func killDescendants() {
	self := os.Getpid()
	defer reapExited()
	for round := 0; round < 200; round++ {
		pids := descendants(self)
		if len(pids) == 0 {
			return
		}
		for _, p := range pids {
			_ = syscall.Kill(p, syscall.SIGKILL)
		}
		reapExited()
		sleep(1_000_000)
	}
}

// reapExited reaps every child that has exited, without waiting for more.
func reapExited() {
	for {
		pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

// descendants lists the live processes below root, from /proc.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, state, ok := procStat(pid)
		if ok && state != "Z" {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// procStat reads a process's parent and state from /proc/PID/stat, whose
// second field (the command name) may hold spaces and parentheses.
func procStat(pid int) (ppid int, state string, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, "", false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, "", false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, "", false
	}
	ppid, err = strconv.Atoi(f[1])
	return ppid, f[0], err == nil
}

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER from linux/prctl.h.
const prSetChildSubreaper = 36

func prctlSubreaper() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return errno
	}
	return nil
}
