package tui

import (
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// eventGridInputLine says which subscription delivered an event, which
// attempt it was and what published it.
func eventGridInputLine(g *emulator.EventGridInput) string {
	sub := g.Subscription
	if sub == "" {
		sub = "(webhook)"
	}
	return fmt.Sprintf("event grid: subscription %s, delivery %d, published by %s", sub, g.DeliveryCount, g.Cause)
}
