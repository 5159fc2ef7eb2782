package bindexpr

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Pattern is a blob trigger path such as "input/{name}.{ext}": a fixed
// container, then a blob name pattern whose {captures} become binding data.
type Pattern struct {
	text      string
	container string
	blob      string
	names     []string       // capture names, in order; nil for a fixed path
	re        *regexp.Regexp // nil for a fixed path
}

// ParsePattern parses a blob trigger path. Captures compile as the host
// compiles them, to ^literal(.*)literal$ with greedy groups, so {name} may
// span '/' and "input/{stem}.{ext}" splits "a.b.c.txt" as stem "a.b.c",
// ext "txt". A path without a blob part ("input") matches every blob in
// the container.
func ParsePattern(path string) (*Pattern, error) {
	if !utf8.ValidString(path) {
		return nil, fmt.Errorf("blob trigger path %q is not valid UTF-8", path)
	}
	container, blob, hasBlob := strings.Cut(path, "/")
	if hasBlob && (container == "" || blob == "") || strings.Contains(container, `\`) {
		return nil, fmt.Errorf("Invalid blob trigger path '%s'. Paths must be in the format 'container/blob'.", path)
	}
	if strings.Contains(container, "{") {
		return nil, fmt.Errorf("Invalid blob trigger path '%s'. Container paths cannot contain {resolve} tokens.", path)
	}
	t, err := ParseTemplate(path)
	if err != nil {
		return nil, err
	}
	p := &Pattern{text: path, container: container, blob: blob}
	var re strings.Builder
	re.WriteString("^")
	for _, tok := range t.tokens {
		if tok.expr == nil {
			re.WriteString(regexp.QuoteMeta(tok.literal))
			continue
		}
		if len(tok.expr.parts) != 1 {
			return nil, fmt.Errorf("blob trigger path '%s': capture {%s} cannot have dots", path, strings.Join(tok.expr.parts, "."))
		}
		if tok.expr.builtin != "" {
			return nil, fmt.Errorf("blob trigger path '%s': {%s} is a built-in expression, not a capture name", path, tok.expr.parts[0])
		}
		p.names = append(p.names, tok.expr.parts[0])
		re.WriteString("(.*)")
	}
	re.WriteString("$")
	if p.names == nil {
		if err := validateContainerName(container); err != nil {
			return nil, fmt.Errorf("blob trigger path '%s': %w", path, err)
		}
		return p, nil
	}
	p.re = regexp.MustCompile(re.String())
	return p, nil
}

// String returns the path as written.
func (p *Pattern) String() string { return p.text }

// Container is the container the trigger watches.
func (p *Pattern) Container() string { return p.container }

// Names returns the capture names in order.
func (p *Pattern) Names() []string { return p.names }

// Match matches "container/blob/name" against the pattern, case-sensitively
// like the host, and returns the captures.
func (p *Pattern) Match(blobPath string) (map[string]string, bool) {
	if p.re == nil {
		container, _, _ := strings.Cut(blobPath, "/")
		if blobPath == p.text || p.blob == "" && container == p.container && strings.Contains(blobPath, "/") {
			return map[string]string{}, true
		}
		return nil, false
	}
	m := p.re.FindStringSubmatch(blobPath)
	if m == nil {
		return nil, false
	}
	captures := make(map[string]string, len(p.names))
	for i, name := range p.names {
		// A repeated name keeps its last capture, as .NET's regex does.
		captures[name] = m[i+1]
	}
	return captures, true
}

// validateContainerName applies Azure Storage's container naming rules.
func validateContainerName(name string) error {
	switch name {
	case "$root", "$logs", "$web":
		return nil
	}
	if len(name) < 3 || len(name) > 63 {
		return fmt.Errorf("container name %q must be 3 to 63 characters long", name)
	}
	for i, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' && i > 0 && i < len(name)-1 && name[i-1] != '-'
		if !ok {
			return fmt.Errorf("container name %q may only hold lower-case letters, digits and single hyphens between them", name)
		}
	}
	return nil
}
