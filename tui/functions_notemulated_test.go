package tui

import (
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestFunctionsViewMarksNotEmulatedTriggers(t *testing.T) {
	app := &emulator.App{Functions: []*emulator.Function{{Name: "bus", Bindings: []*emulator.Binding{
		{Type: "serviceBusTrigger", Direction: "in", Name: "msg", NotEmulated: true}}}}}
	m := newTestModel(&fakeController{})
	feed(m, emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: app})
	press(m, "1")
	if view := capture(m); !strings.Contains(view, "not emulated") {
		t.Errorf("the functions view does not say bus is not emulated:\n%s", view)
	}
}
