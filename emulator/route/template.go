// Package route parses and matches ASP.NET Core route templates, the syntax
// of function.json's httpTrigger "route" property: literal segments,
// {param}, {param?}, {param=default}, inline constraints {param:int:min(1)},
// catch-alls {*rest} and complex segments such as {name}.{ext}.
package route

// Template is a parsed route template. It is immutable and safe for
// concurrent use.
type Template struct {
	text     string
	segments []segment
}

// Params are the route values of a match, keyed by parameter name as
// written in the template. Values stay strings, as the host hands them to
// a custom handler. A nil value is an optional parameter that the path did
// not supply and that has no default.
type Params map[string]*string

// segment is the text between two slashes: one part (simple) or several
// literals and parameters glued together (complex).
type segment struct {
	parts []part
}

func (s segment) simple() bool { return len(s.parts) == 1 }

// part is either a literal (param == nil) or a parameter.
type part struct {
	literal string
	param   *param
}

type param struct {
	name        string
	optional    bool
	catchAll    bool
	def         *string // default value, nil when none
	constraints []constraint
}

// String returns the template as it was given to Parse.
func (t *Template) String() string { return t.text }

// Parameters returns the parameter names in template order.
func (t *Template) Parameters() []string {
	var names []string
	for _, s := range t.segments {
		for _, p := range s.parts {
			if p.param != nil {
				names = append(names, p.param.name)
			}
		}
	}
	return names
}
