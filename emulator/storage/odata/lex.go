// Package odata compiles the Table service's OData $filter subset into a
// SQL WHERE clause over the embedded store's entity rows, so queries run in
// SQLite and never scan entities in Go.
package odata

import (
	"fmt"
	"strings"
)

// tokenKind classifies a lexical token of a $filter expression.
type tokenKind int

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString // 'text' with '' for a quote
	tokTyped  // prefix'text': datetime'…', guid'…', X'…', binary'…'
	tokNumber
	tokLParen
	tokRParen
)

type token struct {
	kind   tokenKind
	text   string // identifier, number text, or the unquoted string
	prefix string // for tokTyped: datetime, guid, x, binary (lower-cased)
	pos    int
}

// SyntaxError is a $filter the parser cannot read; Pos is a byte offset.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("$filter at offset %d: %s", e.Pos, e.Msg) }

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '(':
			toks = append(toks, token{kind: tokLParen, pos: i})
			i++
		case c == ')':
			toks = append(toks, token{kind: tokRParen, pos: i})
			i++
		case c == '\'':
			text, n, err := quoted(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokString, text: text, pos: i})
			i = n
		case c == '-' || c == '.' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(s) && strings.IndexByte("0123456789.eE+-LlDd", s[j]) >= 0 {
				// a sign only follows an exponent marker
				if (s[j] == '+' || s[j] == '-') && s[j-1] != 'e' && s[j-1] != 'E' {
					break
				}
				j++
			}
			toks = append(toks, token{kind: tokNumber, text: s[i:j], pos: i})
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			word := s[i:j]
			if j < len(s) && s[j] == '\'' {
				prefix := strings.ToLower(word)
				switch prefix {
				case "datetime", "guid", "x", "binary":
				default:
					return nil, &SyntaxError{i, fmt.Sprintf("unknown literal prefix %q (use datetime, guid, X or binary)", word)}
				}
				text, n, err := quoted(s, j)
				if err != nil {
					return nil, err
				}
				toks = append(toks, token{kind: tokTyped, prefix: prefix, text: text, pos: i})
				i = n
				continue
			}
			toks = append(toks, token{kind: tokIdent, text: word, pos: i})
			i = j
		default:
			return nil, &SyntaxError{i, fmt.Sprintf("unexpected character %q", c)}
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(s)}), nil
}

// quoted reads a single-quoted literal starting at s[i] == '\” and returns
// its text and the offset after the closing quote.
func quoted(s string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		if s[j] != '\'' {
			b.WriteByte(s[j])
			continue
		}
		if j+1 < len(s) && s[j+1] == '\'' {
			b.WriteByte('\'')
			j++
			continue
		}
		return b.String(), j + 1, nil
	}
	return "", 0, &SyntaxError{i, "unterminated string literal"}
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isIdentPart(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }
