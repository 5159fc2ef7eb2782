package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/funcemu/funcemu/emulator"
)

// parseJSONObject parses a JSON object, numbers kept as json.Number.
// Like the host's JSON reader it tolerates a UTF-8 BOM and // or /* */
// comments. Bad JSON is a *FileError with line and column.
func parseJSONObject(rel string, raw []byte) (map[string]any, error) {
	text := blankComments(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")))
	offset := len(raw) - len(text) // a stripped BOM shifts offsets
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(rel, raw, text, offset, dec, err)
	}
	end := int(dec.InputOffset())
	if _, err := dec.Token(); err != io.EOF {
		// Point at the first byte after the value, not past what follows.
		end = len(text) - len(bytes.TrimLeft(text[end:], " \t\r\n"))
		line, col := position(raw, offset+end)
		return nil, &FileError{File: rel, Line: line, Column: col,
			Err: emulator.Errorf(emulator.EINVALID, "unexpected data after the JSON value")}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(rel, "", "must hold a JSON object, found %s", jsonKind(v))
	}
	return obj, nil
}

func syntaxError(rel string, raw, text []byte, offset int, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	at := int(dec.InputOffset())
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		at = int(se.Offset) - 1 // Offset counts the offending byte; point at it
		if at < 0 {
			at = 0
		}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		at, msg = len(text), "unexpected end of JSON input"
		if len(bytes.TrimSpace(text)) == 0 {
			msg = "the file is empty; it must hold a JSON object"
		}
	}
	line, col := position(raw, offset+at)
	return &FileError{File: rel, Line: line, Column: col, Err: emulator.Errorf(emulator.EINVALID, "%s", msg)}
}

// position turns a byte offset into a 1-based line and column (in bytes).
func position(raw []byte, off int) (line, col int) {
	if off > len(raw) {
		off = len(raw)
	}
	if off < 0 {
		off = 0
	}
	before := raw[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = off - bytes.LastIndexByte(before, '\n')
	return line, col
}

// blankComments replaces // and /* */ comments outside strings with
// spaces (newlines kept), so offsets still point into the original file.
func blankComments(in []byte) []byte {
	out := bytes.Clone(in)
	inString, escaped := false, false
	for i := 0; i < len(out); i++ {
		c := out[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch {
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			end := bytes.Index(out[i+2:], []byte("*/"))
			stop := len(out)
			if end >= 0 {
				stop = i + 2 + end + 2
			}
			for ; i < stop; i++ {
				if out[i] != '\n' {
					out[i] = ' '
				}
			}
			i--
		}
	}
	return out
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
