// Package watcher watches a function app folder and reports what changed.
//
// A Watcher follows the folder recursively with fsnotify, skips what a
// developer never means as a change (version control, build outputs, editor
// swap files, whatever .gitignore and .funcignore list), and debounces the
// rest into Batches of paths relative to the folder. Classify turns a batch
// into a Plan: rebuild the handler, reload the function index, restart the
// handler, or nothing. The package imports no concrete emulator package, so
// it can be tested without a host or a handler.
package watcher
