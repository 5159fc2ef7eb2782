package app

import (
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// notEmulatedWarnings tells, for each input or output binding of a type
// funcemu does not run, what becomes of it. Triggers of such types are
// listed with the functions instead.
func notEmulatedWarnings(fns []*emulator.Function) []string {
	var out []string
	for _, fn := range fns {
		for i, b := range fn.Bindings {
			if !b.NotEmulated || b.IsTrigger() {
				continue
			}
			where := fmt.Sprintf("%s/%s: bindings[%d]", fn.Name, functionFile, i)
			switch b.Direction {
			case emulator.DirectionOut:
				out = append(out, fmt.Sprintf("%s: the %s output %q is not emulated: what the handler returns for it is not sent (funcemu events show --raw shows it).", where, b.Type, b.Name))
			default:
				out = append(out, fmt.Sprintf("%s: the %s input %q is not emulated: the handler gets no value for it.", where, b.Type, b.Name))
			}
		}
	}
	return out
}
