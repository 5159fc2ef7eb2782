package worker

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// On Linux the handler does not run as funcemu's child but as the child of
// a small supervisor: funcemu's own executable started again with
// superviseEnv set. The supervisor is a child subreaper, so every process
// the handler starts stays in its tree even when orphaned, and it holds
// the read end of a pipe (the lifeline) whose only writer is funcemu. When
// funcemu dies, however it dies (SIGKILL included), the kernel closes the
// pipe; the supervisor sees end of file, kills every descendant and exits.
// A parent-death signal alone would reach only the handler, not the
// processes the handler started.

// superviseEnv, set to 1, makes funcemu's executable run as a handler's
// supervisor (see init) instead of its normal command line.
const superviseEnv = "FUNCEMU_SUPERVISE_HANDLER"

// The supervisor's inherited descriptors: the lifeline it watches and the
// pipe on which it reports the handler's pid or its start error.
const (
	lifelineFD = 3
	reportFD   = 4
)

// init turns the process into a supervisor before anything else runs, in
// funcemu and in any test binary that starts handlers alike.
func init() {
	if os.Getenv(superviseEnv) == "1" {
		os.Exit(supervise())
	}
}

// startSupervised starts cmd, a handler command, under a supervisor. It
// returns the handler's pid and the lifeline to close to kill the handler
// with every process it started; cmd then runs the supervisor, whose exit
// status is the handler's.
func startSupervised(cmd *exec.Cmd) (pid int, lifeline *os.File, err error) {
	if cmd.Err != nil {
		return 0, nil, cmd.Err
	}
	self, err := os.Executable()
	if err != nil { // no supervisor: the handler still dies with funcemu (parent-death signal)
		return startDirect(cmd)
	}
	lifeR, lifeW, err := os.Pipe()
	if err != nil {
		return 0, nil, err
	}
	reportR, reportW, err := os.Pipe()
	if err != nil {
		lifeR.Close()
		lifeW.Close()
		return 0, nil, err
	}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Args = append([]string{self, cmd.Path}, cmd.Args...)
	cmd.Path = self
	cmd.Env = append(env[:len(env):len(env)], superviseEnv+"=1")
	cmd.ExtraFiles = []*os.File{lifeR, reportW}
	// Its own process group, which the handler joins: stopping the group
	// reaches both. No parent-death signal: the lifeline is the signal.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	lifeR.Close()
	reportW.Close()
	if err != nil {
		lifeW.Close()
		reportR.Close()
		return 0, nil, err
	}
	line, _ := bufio.NewReader(reportR).ReadString('\n')
	reportR.Close()
	if pid, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(line), "pid ")); err == nil && strings.HasPrefix(line, "pid ") {
		return pid, lifeW, nil
	}
	lifeW.Close()
	_ = cmd.Wait()
	if msg, ok := strings.CutPrefix(strings.TrimSpace(line), "error "); ok {
		return 0, nil, errors.New(msg)
	}
	return 0, nil, fmt.Errorf("handler supervisor %s exited without starting the handler", self)
}

func startDirect(cmd *exec.Cmd) (int, *os.File, error) {
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	return cmd.Process.Pid, nil, nil
}

// supervise runs the handler named by os.Args[1:] (path, then argv) and
// returns the exit code to leave with.
func supervise() int {
	lifeline := os.NewFile(lifelineFD, "lifeline")
	report := os.NewFile(reportFD, "report")
	syscall.CloseOnExec(lifelineFD)
	syscall.CloseOnExec(reportFD)
	os.Unsetenv(superviseEnv)
	// Orphans of the handler's tree become our children, not init's.
	if err := prctlSubreaper(); err != nil {
		fmt.Fprintf(os.Stderr, "funcemu: handler supervisor: cannot become a subreaper (%v); orphaned processes of the handler may outlive funcemu\n", err)
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(report, "error handler supervisor: no handler to run")
		return 2
	}
	// SIGINT goes to the whole group when funcemu stops the handler: the
	// handler acts on it, the supervisor waits for the handler. Caught, not
	// ignored, so the handler starts with the default disposition.
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, syscall.SIGINT)
	terms := make(chan os.Signal, 1)
	signal.Notify(terms, syscall.SIGTERM, syscall.SIGHUP)

	handler := &exec.Cmd{Path: os.Args[1], Args: os.Args[2:], Env: os.Environ(), Stdout: os.Stdout, Stderr: os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}}
	if err := handler.Start(); err != nil {
		fmt.Fprintf(report, "error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		return 127
	}
	fmt.Fprintf(report, "pid %d\n", handler.Process.Pid)
	report.Close()

	lifelineCut := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, lifeline) // funcemu never writes: this returns when it is gone
		close(lifelineCut)
	}()
	exited := make(chan *os.ProcessState, 1)
	go func() {
		st, _ := handler.Process.Wait()
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
	time.Sleep(100 * time.Millisecond) // the signal ends us; this is only a fallback
	return 128 + int(sig)
}

// killDescendants kills every process below the supervisor and reaps
// them. Orphans reparent to the supervisor (a subreaper) as their parents
// die, so it scans again until nothing is left.
func killDescendants() {
	self := os.Getpid()
	for round := 0; round < 200; round++ {
		pids := descendants(self)
		if len(pids) == 0 {
			return
		}
		for _, p := range pids {
			_ = syscall.Kill(p, syscall.SIGKILL)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
		time.Sleep(time.Millisecond)
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
