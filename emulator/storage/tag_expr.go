package storage

import (
	"fmt"
	"strings"
)

// TagExpr is a parsed blob index tag expression: the where parameter of
// Find Blobs by Tags, or an x-ms-if-tags condition.
type TagExpr struct {
	root tagNode
	text string
}

// String is the expression as sent.
func (e *TagExpr) String() string { return e.text }

// Which grammar an expression follows. Find Blobs by Tags allows =, >, >=,
// <, <=, AND and @container; conditions (x-ms-if-tags) also allow <>, OR
// and parentheses, and no @container.
const (
	TagGrammarFind      = "find"
	TagGrammarCondition = "condition"
)

type tagNode struct {
	op    string // "AND", "OR" or a comparison
	kids  []tagNode
	key   string
	value string
}

// maxTagExprLen bounds what a client may send; Azure's own limit on the
// where parameter is a few KiB as well.
const maxTagExprLen = 4096

// ParseTagExpr parses a tag expression in the given grammar. Errors name
// the position and what was expected.
func ParseTagExpr(s, grammar string) (*TagExpr, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("the expression is empty")
	}
	if len(s) > maxTagExprLen {
		return nil, fmt.Errorf("the expression is %d bytes, at most %d", len(s), maxTagExprLen)
	}
	p := &tagParser{src: s, cond: grammar == TagGrammarCondition}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, p.fail("AND")
	}
	if p.terms > MaxTags+1 && !p.cond {
		return nil, fmt.Errorf("the expression has %d comparisons, at most %d", p.terms, MaxTags+1)
	}
	return &TagExpr{root: n, text: s}, nil
}

type tagParser struct {
	src   string
	pos   int
	cond  bool
	depth int
	terms int
}

func (p *tagParser) fail(want string) error {
	if p.pos >= len(p.src) {
		return fmt.Errorf("expected %s at the end of the expression", want)
	}
	rest := p.src[p.pos:]
	if len(rest) > 20 {
		rest = rest[:20] + "..."
	}
	return fmt.Errorf("expected %s at position %d, found %q", want, p.pos+1, rest)
}

func (p *tagParser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// keyword consumes kw (case-insensitive) when it stands as a word.
func (p *tagParser) keyword(kw string) bool {
	p.space()
	end := p.pos + len(kw)
	if end > len(p.src) || !strings.EqualFold(p.src[p.pos:end], kw) {
		return false
	}
	if end < len(p.src) && p.src[end] != ' ' && p.src[end] != '\t' && p.src[end] != '(' && p.src[end] != '"' {
		return false
	}
	p.pos = end
	return true
}

func (p *tagParser) or() (tagNode, error) {
	n, err := p.and()
	if err != nil {
		return n, err
	}
	if !p.cond {
		return n, nil
	}
	for p.keyword("OR") {
		r, err := p.and()
		if err != nil {
			return n, err
		}
		n = tagNode{op: "OR", kids: []tagNode{n, r}}
	}
	return n, nil
}

func (p *tagParser) and() (tagNode, error) {
	n, err := p.primary()
	if err != nil {
		return n, err
	}
	for p.keyword("AND") {
		r, err := p.primary()
		if err != nil {
			return n, err
		}
		if n.op == "AND" {
			n.kids = append(n.kids, r)
		} else {
			n = tagNode{op: "AND", kids: []tagNode{n, r}}
		}
	}
	return n, nil
}

func (p *tagParser) primary() (tagNode, error) {
	p.space()
	if p.cond && p.pos < len(p.src) && p.src[p.pos] == '(' {
		if p.depth >= 10 {
			return tagNode{}, fmt.Errorf("parentheses nested more than 10 deep at position %d", p.pos+1)
		}
		p.pos++
		p.depth++
		n, err := p.or()
		if err != nil {
			return n, err
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return n, p.fail("')'")
		}
		p.pos++
		p.depth--
		return n, nil
	}
	return p.term()
}

func (p *tagParser) term() (tagNode, error) {
	key, err := p.key()
	if err != nil {
		return tagNode{}, err
	}
	op, err := p.op()
	if err != nil {
		return tagNode{}, err
	}
	val, err := p.value()
	if err != nil {
		return tagNode{}, err
	}
	if key == "@container" {
		if p.cond {
			return tagNode{}, fmt.Errorf("@container is not allowed in a condition")
		}
		if op != "=" {
			return tagNode{}, fmt.Errorf("@container takes only =, not %s", op)
		}
		if err := ValidContainerName(val); err != nil {
			return tagNode{}, fmt.Errorf("@container value %q is not a container name", val)
		}
	} else if err := validTagKey(key); err != nil {
		return tagNode{}, err
	}
	if err := validTagValue(key, val); err != nil {
		return tagNode{}, err
	}
	p.terms++
	return tagNode{op: op, key: key, value: val}, nil
}

// key reads "quoted key", @container, or a bare key of tag characters.
func (p *tagParser) key() (string, error) {
	p.space()
	if p.pos >= len(p.src) {
		return "", p.fail("a tag key")
	}
	if p.src[p.pos] == '"' {
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end < 0 {
			return "", fmt.Errorf("unterminated \" at position %d", p.pos+1)
		}
		k := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return k, nil
	}
	start := p.pos
	if p.src[p.pos] == '@' {
		p.pos++
	}
	for p.pos < len(p.src) && isBareKeyChar(p.src[p.pos]) {
		p.pos++
	}
	k := p.src[start:p.pos]
	if k == "" || (k[0] == '@' && k != "@container") {
		p.pos = start
		return "", p.fail("a tag key")
	}
	return k, nil
}

func isBareKeyChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '/' || c == ':' || c == '+'
}

func (p *tagParser) op() (string, error) {
	p.space()
	for _, op := range []string{"<>", ">=", "<=", "=", ">", "<"} {
		if strings.HasPrefix(p.src[p.pos:], op) {
			if op == "<>" && !p.cond {
				return "", fmt.Errorf("operator <> at position %d is allowed only in conditions", p.pos+1)
			}
			p.pos += len(op)
			return op, nil
		}
	}
	return "", p.fail("an operator (=, >, >=, <, <=)")
}

func (p *tagParser) value() (string, error) {
	p.space()
	if p.pos >= len(p.src) || p.src[p.pos] != '\'' {
		return "", p.fail("a value in single quotes")
	}
	end := strings.IndexByte(p.src[p.pos+1:], '\'')
	if end < 0 {
		return "", fmt.Errorf("unterminated ' at position %d", p.pos+1)
	}
	v := p.src[p.pos+1 : p.pos+1+end]
	p.pos += end + 2
	return v, nil
}

// Matches evaluates the expression against a blob's tags. A comparison on
// a key the blob lacks is false.
func (e *TagExpr) Matches(tags map[string]string) bool { return e.root.eval(tags) }

func (n tagNode) eval(tags map[string]string) bool {
	switch n.op {
	case "AND":
		for _, k := range n.kids {
			if !k.eval(tags) {
				return false
			}
		}
		return true
	case "OR":
		for _, k := range n.kids {
			if k.eval(tags) {
				return true
			}
		}
		return false
	}
	v, ok := tags[n.key]
	if !ok {
		return false
	}
	switch n.op {
	case "=":
		return v == n.value
	case "<>":
		return v != n.value
	case ">":
		return v > n.value
	case ">=":
		return v >= n.value
	case "<":
		return v < n.value
	case "<=":
		return v <= n.value
	}
	return false
}

// findTerms flattens a find expression (terms joined by AND) into its
// container filter and its tag comparisons.
func (e *TagExpr) findTerms() (container string, terms []tagNode) {
	var walk func(n tagNode)
	walk = func(n tagNode) {
		if n.op == "AND" {
			for _, k := range n.kids {
				walk(k)
			}
			return
		}
		if n.key == "@container" {
			container = n.value
			return
		}
		terms = append(terms, n)
	}
	walk(e.root)
	return container, terms
}

// keys lists the tag keys the expression names, for the answer of Find
// Blobs by Tags, which returns only those tags.
func (e *TagExpr) keys() map[string]bool {
	_, terms := e.findTerms()
	out := map[string]bool{}
	for _, t := range terms {
		out[t.key] = true
	}
	return out
}
