package tui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func TestFunctionsViewShowsATimersNextOccurrence(t *testing.T) {
	var asked []string
	next := func(f *emulator.Function, after time.Time) (time.Time, bool) {
		asked = append(asked, f.Name)
		return after.Truncate(5 * time.Minute).Add(5 * time.Minute), true
	}
	m := newModel(context.Background(), &fakeController{}, nil, Options{Clock: clock.NewVirtual(t0), NextRun: next})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 24})
	feed(m, emulator.Event{Time: t0, Kind: emulator.EventAppLoaded, App: sampleApp()})

	var timer *functionRow
	rows := functionsOf(m).rows()
	for i := range rows {
		if rows[i].name == "MyTimer" {
			timer = &rows[i]
		}
	}
	if timer == nil {
		t.Fatal("no MyTimer row")
	}
	if want := "0 */5 * * * * → 12:05:00"; timer.detail != want {
		t.Errorf("detail = %q, want %q", timer.detail, want)
	}
	if want := "schedule 0 */5 * * * * · next 2024-05-01 12:05:00 UTC"; timer.more != want {
		t.Errorf("more = %q, want %q", timer.more, want)
	}
	for _, name := range asked {
		if name != "MyTimer" {
			t.Errorf("NextRun asked about %s, which is not a timer", name)
		}
	}
}

func TestFunctionsViewWithoutNextRunShowsTheSchedule(t *testing.T) {
	m := newTestModel(&fakeController{})
	feed(m, emulator.Event{Time: t0, Kind: emulator.EventAppLoaded, App: sampleApp()})
	for _, r := range functionsOf(m).rows() {
		if r.name == "MyTimer" && r.detail != "0 */5 * * * *" {
			t.Errorf("detail = %q, want the schedule alone", r.detail)
		}
	}
}
