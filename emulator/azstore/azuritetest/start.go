package azuritetest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
)

var listening = regexp.MustCompile(`Azurite (Blob|Queue|Table) service is successfully listening at (http://\S+)`)

// startNode starts Azurite's entry script with node, its stdout read for
// the listening lines and its stderr kept for errors, and waits until all
// three services listen. env is added to the environment.
func startNode(entry string, env ...string) (*Server, error) {
	cmd := exec.Command("node", entry,
		"--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
		"--blobHost", "127.0.0.1", "--blobPort", "0",
		"--queueHost", "127.0.0.1", "--queuePort", "0",
		"--tableHost", "127.0.0.1", "--tablePort", "0")
	cmd.Dir = os.TempDir()
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = procAttr()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start azurite: %w", err)
	}
	tail := &tailBuffer{}
	cmd.Stderr = tail
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start azurite: %w", err)
	}
	s := &Server{Account: AccountName, cmd: cmd, done: make(chan struct{}), out: tail}
	urls := make(chan [2]string, 3)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			_, _ = tail.Write([]byte(line + "\n"))
			if m := listening.FindStringSubmatch(line); m != nil {
				urls <- [2]string{m[1], m[2]}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { _ = cmd.Wait(); close(s.done) }()

	ctx, cancel := context.WithTimeout(context.Background(), readyTimeout)
	defer cancel()
	for s.services.Blob == "" || s.services.Queue == "" || s.services.Table == "" {
		select {
		case u := <-urls:
			switch u[0] {
			case "Blob":
				s.services.Blob = u[1]
			case "Queue":
				s.services.Queue = u[1]
			default:
				s.services.Table = u[1]
			}
		case <-s.done:
			return nil, fmt.Errorf("azurite exited before listening: %s", tail.String())
		case <-ctx.Done():
			s.Stop()
			return nil, fmt.Errorf("azurite not listening after %s: %s", readyTimeout, tail.String())
		}
	}
	s.useAccount(AccountName)
	return s, nil
}
