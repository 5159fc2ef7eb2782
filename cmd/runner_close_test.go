package cmd

import (
	"testing"
	"time"
)

func TestCloseContextSharesOneDeadline(t *testing.T) {
	t.Parallel()
	r := &runner{closeBy: time.Now().Add(time.Second)}
	long, cancel := r.closeContext(time.Hour)
	defer cancel()
	if d, _ := long.Deadline(); !d.Equal(r.closeBy) {
		t.Fatalf("a closer's long grace ends at %v, want the shared deadline %v", d, r.closeBy)
	}
	short, cancel := r.closeContext(time.Millisecond)
	defer cancel()
	if d, _ := short.Deadline(); !d.Before(r.closeBy) {
		t.Fatalf("a closer's short grace ends at %v, after the shared deadline %v", d, r.closeBy)
	}
}
