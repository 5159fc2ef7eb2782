//go:build !unix

package benchmeter

import "time"

// ProcessCPU is 0 where getrusage is missing: CPU figures then read 0.
func ProcessCPU() time.Duration { return 0 }
