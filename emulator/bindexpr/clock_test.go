package bindexpr

import (
	"time"

	"github.com/funcemu/funcemu/emulator/clock"
)

// may1 is the instant templates resolve at; they only read Now.
var may1 = clock.NewVirtual(time.Date(2024, 5, 1, 13, 45, 7, 123456700, time.UTC))
