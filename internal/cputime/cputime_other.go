//go:build !unix

package cputime

import "time"

// Process is 0 where getrusage is missing: CPU figures then read 0.
func Process() time.Duration { return 0 }
