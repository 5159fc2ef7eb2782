package worker

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"github.com/funcemu/funcemu/emulator/worker/lifeline"
)

// On Linux the handler does not run as funcemu's child but as the child of
// a small supervisor: funcemu's own executable started again with
// lifeline.Env set (package lifeline is the supervisor). The supervisor is
// a child subreaper, so every process the handler starts stays in its tree
// even when orphaned, and it holds the read end of a pipe (the lifeline)
// whose only writer is funcemu. When funcemu dies, however it dies (SIGKILL
// included), the kernel closes the pipe; the supervisor sees end of file,
// kills every descendant and exits. A parent-death signal alone would reach
// only the handler, not the processes the handler started.

// startSupervised starts cmd, a handler command, under a supervisor: a
// spare one started ahead (see Prewarm), else a new one. The launch's
// process is the supervisor, whose exit status is the handler's, and its
// lifeline is what to close to kill the handler with every process it
// started.
func startSupervised(cmd *exec.Cmd) (launch, error) {
	if cmd.Err != nil {
		return launch{}, cmd.Err
	}
	if sp := takeSpare(); sp != nil {
		l, usable, err := sp.run(cmd)
		if usable {
			return l, err
		}
		// The spare died before taking its handler: start a new one.
	}
	self, err := os.Executable()
	if err != nil { // no supervisor: the handler still dies with funcemu (parent-death signal)
		return startDirect(cmd)
	}
	pid, cut, err := startNewSupervisor(cmd, self)
	return launch{proc: cmd.Process, pid: pid, cut: cut, wait: cmd.Wait}, err
}

// startNewSupervisor starts funcemu's executable, self, as cmd's
// supervisor and waits for it to report the handler started.
func startNewSupervisor(cmd *exec.Cmd, self string) (pid int, cut *os.File, err error) {
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
	cmd.Env = append(env[:len(env):len(env)], lifeline.Env+"=1")
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
	pid, err = readReport(reportR)
	if err != nil {
		lifeW.Close()
		_ = cmd.Wait()
		return 0, nil, err
	}
	return pid, lifeW, nil
}

// readReport reads the supervisor's report: the handler's pid, or why it
// did not start.
func readReport(r *os.File) (int, error) {
	line, _ := bufio.NewReader(r).ReadString('\n')
	r.Close()
	if pid, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(line), "pid ")); err == nil && strings.HasPrefix(line, "pid ") {
		return pid, nil
	}
	if msg, ok := strings.CutPrefix(strings.TrimSpace(line), "error "); ok {
		return 0, errors.New(msg)
	}
	return 0, errNoReport
}

// errNoReport is a supervisor that ended before saying anything.
var errNoReport = errors.New("the handler supervisor exited without starting the handler")

func startDirect(cmd *exec.Cmd) (launch, error) {
	if err := cmd.Start(); err != nil {
		return launch{}, err
	}
	return launch{proc: cmd.Process, pid: cmd.Process.Pid, wait: cmd.Wait}, nil
}
