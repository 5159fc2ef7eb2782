package odata

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Column is a system property kept in its own SQL column.
type Column struct {
	SQL  string
	Type Type
}

// Schema says where a filter's properties live in SQL.
type Schema struct {
	// Columns are the properties with their own column (PartitionKey,
	// RowKey, Timestamp, or TableName when querying tables).
	Columns map[string]Column
	// Props is the SQL expression of the JSON object holding the other
	// properties as {"Name":["<type letter>", value]}; "" when there are
	// none, and then any other property never matches.
	Props string
}

// MaxComparisons is the Table service's limit of discrete comparisons in
// one $filter.
const MaxComparisons = 15

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 64

// Compile turns a $filter into a SQL boolean expression and its arguments.
func Compile(filter string, schema Schema) (string, []any, error) {
	toks, err := lex(filter)
	if err != nil {
		return "", nil, err
	}
	p := &parser{toks: toks, schema: schema}
	var b strings.Builder
	if err := p.or(&b, 0); err != nil {
		return "", nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return "", nil, &SyntaxError{t.pos, "unexpected " + describe(t) + " after the end of the expression"}
	}
	return b.String(), p.args, nil
}

type parser struct {
	toks        []token
	i           int
	schema      Schema
	args        []any
	comparisons int
}

func (p *parser) peek() token { return p.toks[p.i] }

// next consumes a token; at the end it keeps returning EOF.
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) keyword(word string) bool {
	t := p.peek()
	if t.kind == tokIdent && strings.EqualFold(t.text, word) {
		p.i++
		return true
	}
	return false
}

func (p *parser) or(b *strings.Builder, depth int) error {
	if depth > maxDepth {
		return &SyntaxError{p.peek().pos, "expression nested too deeply"}
	}
	b.WriteByte('(')
	if err := p.and(b, depth); err != nil {
		return err
	}
	for p.keyword("or") {
		b.WriteString(" OR ")
		if err := p.and(b, depth); err != nil {
			return err
		}
	}
	b.WriteByte(')')
	return nil
}

func (p *parser) and(b *strings.Builder, depth int) error {
	if err := p.unary(b, depth); err != nil {
		return err
	}
	for p.keyword("and") {
		b.WriteString(" AND ")
		if err := p.unary(b, depth); err != nil {
			return err
		}
	}
	return nil
}

func (p *parser) unary(b *strings.Builder, depth int) error {
	if p.keyword("not") {
		b.WriteString("NOT ")
		return p.unary(b, depth+1)
	}
	if p.peek().kind == tokLParen {
		p.next()
		if err := p.or(b, depth+1); err != nil {
			return err
		}
		if t := p.next(); t.kind != tokRParen {
			return &SyntaxError{t.pos, "expected ')' but found " + describe(t)}
		}
		return nil
	}
	return p.comparison(b)
}

var sqlOps = map[string]string{"eq": "=", "ne": "<>", "gt": ">", "ge": ">=", "lt": "<", "le": "<="}

// flipped is the operator with its operands swapped (5 lt Age = Age gt 5).
var flipped = map[string]string{"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}

func (p *parser) comparison(b *strings.Builder) error {
	left := p.next()
	opTok := p.next()
	op := strings.ToLower(opTok.text)
	if opTok.kind != tokIdent || sqlOps[op] == "" {
		if left.kind == tokIdent && (opTok.kind == tokEOF || opTok.kind == tokRParen || opTok.kind == tokIdent) {
			return &SyntaxError{opTok.pos, fmt.Sprintf("expected a comparison operator (eq, ne, gt, ge, lt, le) after %q", left.text)}
		}
		return &SyntaxError{opTok.pos, "expected a comparison operator (eq, ne, gt, ge, lt, le) but found " + describe(opTok)}
	}
	right := p.next()
	prop, lit := left, right
	if left.kind != tokIdent {
		prop, lit, op = right, left, flipped[op]
	}
	if prop.kind != tokIdent || isKeyword(prop.text) {
		return &SyntaxError{prop.pos, "a comparison needs a property name on one side, found " + describe(prop)}
	}
	if lit.kind == tokIdent && !isBoolWord(lit.text) {
		return &SyntaxError{lit.pos, fmt.Sprintf("comparing two properties (%s, %s) is not supported; compare a property with a literal", prop.text, lit.text)}
	}
	p.comparisons++
	if p.comparisons > MaxComparisons {
		return &SyntaxError{opTok.pos, fmt.Sprintf("more than %d comparisons in one $filter", MaxComparisons)}
	}
	typ, val, err := literal(lit)
	if err != nil {
		return err
	}
	sqlOp := sqlOps[op]
	if col, ok := p.schema.Columns[prop.text]; ok {
		if !comparable(col.Type, typ) {
			b.WriteString("0")
			return nil
		}
		p.args = append(p.args, val)
		fmt.Fprintf(b, "(%s %s ?)", col.SQL, sqlOp)
		return nil
	}
	if p.schema.Props == "" {
		b.WriteString("0")
		return nil
	}
	p.property(b, prop.text, typ, sqlOp, val)
	return nil
}

// property writes the comparison of a property kept in the stored JSON,
// {"Name":["<type letter>",value],...}, as one CASE over the types the
// literal compares with. The type is found with instr on the text
// `"Name":["t",`, which can only occur where that property starts: names
// are identifiers (never escaped) and every quote inside a stored string
// is escaped. Integers (Int32, Int64) are stored as plain decimal, so
// their value is the integer the text after that prefix starts with;
// other values come from json_extract. Both replace two json_extract
// calls per comparison, which were most of the cost of a filtered query.
// A property that is missing or of another type never matches.
func (p *parser) property(b *strings.Builder, name string, typ Type, sqlOp string, val any) {
	props := p.schema.Props
	// The text is searched as a BLOB, with the prefix bound as one, so
	// that instr and substr count bytes instead of walking characters,
	// and substr copies only the digits' room (an Int64 is at most 20
	// characters), not the rest of the properties.
	blob := "CAST(" + props + " AS BLOB)"
	b.WriteString("(CASE")
	for _, t := range matchingTypes(typ) {
		prefix := []byte(`"` + name + `":["` + string(t) + `",`)
		p.args = append(p.args, prefix)
		fmt.Fprintf(b, " WHEN instr(%s, ?) > 0 THEN ", blob)
		if t == Int32 || t == Int64 {
			p.args = append(p.args, prefix, val)
			fmt.Fprintf(b, "CAST(substr(%s, instr(%s, ?) + %d, %d) AS INTEGER) %s ?", blob, blob, len(prefix), maxIntegerText, sqlOp)
			continue
		}
		p.args = append(p.args, `$."`+name+`"[1]`, val)
		fmt.Fprintf(b, "COALESCE(json_extract(%s, ?) %s ?, 0)", props, sqlOp)
	}
	b.WriteString(" ELSE 0 END)")
}

// maxIntegerText is the longest decimal text of an Int64.
const maxIntegerText = len("-9223372036854775808")

// matchingTypes lists the stored types a literal of type t is compared
// with: Int32 and Double literals compare as numbers with either; every
// other type only with itself.
func matchingTypes(t Type) []Type {
	switch t {
	case Int32, Double:
		return []Type{Int32, Double}
	}
	return []Type{t}
}

func comparable(column, literal Type) bool {
	return column == literal
}

func isKeyword(s string) bool {
	switch strings.ToLower(s) {
	case "and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le":
		return true
	}
	return false
}

func isBoolWord(s string) bool { return s == "true" || s == "false" }

// literal converts a literal token to its type and the value the store
// keeps for that type.
func literal(t token) (Type, any, error) {
	switch t.kind {
	case tokString:
		return String, t.text, nil
	case tokIdent:
		return Boolean, t.text == "true", nil
	case tokTyped:
		switch t.prefix {
		case "datetime":
			d, err := ParseDateTime(t.text)
			if err != nil {
				return 0, nil, &SyntaxError{t.pos, "datetime literal " + err.Error()}
			}
			return DateTime, FormatDateTime(d), nil
		case "guid":
			g, err := NormalizeGuid(t.text)
			if err != nil {
				return 0, nil, &SyntaxError{t.pos, "guid literal " + err.Error()}
			}
			return Guid, g, nil
		default: // X'…' and binary'…' are hex
			b, err := DecodeBinary(t.text)
			if err != nil {
				return 0, nil, &SyntaxError{t.pos, fmt.Sprintf("binary literal %q is not hexadecimal", t.text)}
			}
			return Binary, EncodeBinary(b), nil
		}
	case tokNumber:
		return number(t)
	}
	return 0, nil, &SyntaxError{t.pos, "expected a literal but found " + describe(t)}
}

func number(t token) (Type, any, error) {
	s := t.text
	switch {
	case strings.HasSuffix(s, "L") || strings.HasSuffix(s, "l"):
		v, err := strconv.ParseInt(s[:len(s)-1], 10, 64)
		if err != nil {
			return 0, nil, &SyntaxError{t.pos, fmt.Sprintf("%q is not an Int64 literal", s)}
		}
		return Int64, v, nil
	case strings.HasSuffix(s, "D") || strings.HasSuffix(s, "d") || strings.ContainsAny(s, ".eE"):
		v, err := strconv.ParseFloat(strings.TrimRight(s, "Dd"), 64)
		if err != nil || math.IsInf(v, 0) {
			return 0, nil, &SyntaxError{t.pos, fmt.Sprintf("%q is not a Double literal", s)}
		}
		return Double, v, nil
	}
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, nil, &SyntaxError{t.pos, fmt.Sprintf("%q is not an Int32 literal (add L for Int64)", s)}
	}
	return Int32, v, nil
}

func describe(t token) string {
	switch t.kind {
	case tokEOF:
		return "the end of the filter"
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	case tokString, tokTyped:
		return "a literal"
	}
	return strconv.Quote(t.text)
}
