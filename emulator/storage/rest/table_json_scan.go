package rest

import (
	"encoding/json"
	"unicode/utf8"
)

// scanFlatObject reads the common entity body without the decoder: one
// JSON object whose values are strings, numbers, booleans or null, and
// whose names and string values hold no escapes or control characters.
// ok is false for anything else, valid or not; decodeObject then reads
// it and names any fault. The decoder cost more than the rest of an
// insert (it builds an error for the comma after every value).
func scanFlatObject(body []byte) (members []objectMember, ok bool) {
	i := skipJSONSpace(body, 0)
	if i >= len(body) || body[i] != '{' {
		return nil, false
	}
	i = skipJSONSpace(body, i+1)
	if i < len(body) && body[i] == '}' {
		return nil, skipJSONSpace(body, i+1) == len(body)
	}
	members = make([]objectMember, 0, 8)
	for {
		end := plainStringEnd(body, i)
		if end < 0 || !utf8.Valid(body[i+1:end-1]) {
			return nil, false
		}
		name := string(body[i+1 : end-1])
		i = skipJSONSpace(body, end)
		if i >= len(body) || body[i] != ':' {
			return nil, false
		}
		i = skipJSONSpace(body, i+1)
		vend := scalarEnd(body, i)
		if vend < 0 {
			return nil, false
		}
		members = append(members, objectMember{name, json.RawMessage(body[i:vend])})
		i = skipJSONSpace(body, vend)
		if i >= len(body) {
			return nil, false
		}
		if body[i] == '}' {
			break
		}
		if body[i] != ',' {
			return nil, false
		}
		i = skipJSONSpace(body, i+1)
	}
	return members, skipJSONSpace(body, i+1) == len(body)
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// plainStringEnd is the offset after the string starting at b[i], or -1
// if there is none or it holds a backslash or a control character.
func plainStringEnd(b []byte, i int) int {
	if i >= len(b) || b[i] != '"' {
		return -1
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return j + 1
		case c == '\\' || c < 0x20:
			return -1
		}
	}
	return -1
}

// scalarEnd is the offset after the string, number or literal at b[i],
// or -1 if there is none (or a string plainStringEnd refuses). What
// follows it is checked by the caller.
func scalarEnd(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return plainStringEnd(b, i)
	case 't':
		return literalEnd(b, i, "true")
	case 'f':
		return literalEnd(b, i, "false")
	case 'n':
		return literalEnd(b, i, "null")
	}
	return numberEnd(b, i)
}

func literalEnd(b []byte, i int, lit string) int {
	if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
		return i + len(lit)
	}
	return -1
}

// numberEnd follows JSON's number grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberEnd(b []byte, i int) int {
	digits := func(j int) int {
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(i + 1)
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}
