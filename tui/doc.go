// Package tui shows the emulator's event stream to the developer: a plain
// line printer in the style of `func start` for pipes, CI and --no-tui, and
// a bubbletea terminal UI for interactive terminals. It reads
// emulator.Event values and never blocks the publisher.
package tui
