package cmd

import (
	"io"
	"os"
	"sync"
)

// sharedOutput returns stdout and stderr made safe to write from funcemu's
// printer and the command's output copiers at once. Files are safe as they
// are, and passing them on lets the command write to the terminal itself.
func sharedOutput(stdout, stderr io.Writer) (io.Writer, io.Writer) {
	_, outFile := stdout.(*os.File)
	_, errFile := stderr.(*os.File)
	if outFile && errFile {
		return stdout, stderr
	}
	mu := &sync.Mutex{}
	return &lockedWriter{mu: mu, w: stdout}, &lockedWriter{mu: mu, w: stderr}
}

// lockedWriter serializes writes; one mutex may guard several writers
// that share a destination.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
