package app

import (
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// FileError is a problem in one file of the app folder. Its message
// starts with the file (relative to the app folder), then the line and
// column for JSON syntax errors, then the field, e.g.
//
//	orders/function.json: bindings[1].name: The binding name 1st is invalid. Please assign a valid name to the binding.
//	host.json:4:3: invalid character '}' looking for beginning of object key string
type FileError struct {
	File   string // slash-separated, relative to the app folder
	Line   int    // 1-based position of a JSON syntax error, else 0
	Column int
	Field  string // e.g. "bindings[1].name"; empty for whole-file problems
	Err    error  // carries emulator.EINVALID
}

func (e *FileError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d:%d", e.Line, e.Column)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

func (e *FileError) Unwrap() error { return e.Err }

// invalid returns a FileError for file and field with an EINVALID cause.
func invalid(file, field, format string, args ...any) *FileError {
	return &FileError{File: file, Field: field, Err: emulator.Errorf(emulator.EINVALID, format, args...)}
}

// NotAppError is a folder without host.json: not a function app at all.
type NotAppError struct {
	Dir string
}

func (e *NotAppError) Error() string {
	return fmt.Sprintf("no host.json in %s: not a function app; funcemu init %s creates one", e.Dir, e.Dir)
}

// Unwrap gives the error the code EINVALID for emulator.ErrorCode.
func (e *NotAppError) Unwrap() error { return emulator.Errorf(emulator.EINVALID, "no host.json") }
