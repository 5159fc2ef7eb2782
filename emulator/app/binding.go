package app

import (
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/route"
	"github.com/funcemu/funcemu/emulator/schedule"
)

// props reads one binding's properties case-insensitively, as Json.NET
// binds BindingMetadata, and names each field in errors.
type props struct {
	file   string
	prefix string // "bindings[1]"
	obj    map[string]any
}

func (p props) field(name string) string { return p.prefix + "." + name }

func (p props) fail(name, format string, args ...any) error {
	return invalid(p.file, p.field(name), format, args...)
}

// str reads an optional string property.
func (p props) str(name string) (string, error) {
	v, ok := lookupFold(p.obj, name)
	if !ok || v == nil {
		return "", nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", p.fail(name, "must be a string, found %s", jsonKind(v))
	}
	return s, nil
}

func (p props) required(name string) (string, error) {
	s, err := p.str(name)
	if err == nil && strings.TrimSpace(s) == "" {
		err = p.fail(name, "required")
	}
	return s, err
}

func (p props) boolean(name string, def bool) (bool, error) {
	v, ok := lookupFold(p.obj, name)
	if !ok || v == nil {
		return def, nil
	}
	b, good := jsonBool(v)
	if !good {
		return false, p.fail(name, "must be true or false, found %s", describe(v))
	}
	return b, nil
}

// choice reads an optional property limited to choices (any case) and
// returns it spelled as in choices.
func (p props) choice(name string, choices ...string) (string, error) {
	s, err := p.str(name)
	if err != nil || s == "" {
		return "", err
	}
	for _, c := range choices {
		if strings.EqualFold(s, c) {
			return c, nil
		}
	}
	return "", p.fail(name, "%q is not one of %s", s, strings.Join(choices, ", "))
}

// expand resolves %Setting% expressions in a property value.
func (p props) expand(name, value string, cfg Config) (string, error) {
	out, err := cfg.Expand(value)
	if err != nil {
		return "", p.fail(name, "%v", err)
	}
	return out, nil
}

// decodeBinding reads bindings[i] of a function.json.
func decodeBinding(file string, i int, item any, function string, cfg Config) (*emulator.Binding, error) {
	prefix := fmt.Sprintf("bindings[%d]", i)
	obj, ok := item.(map[string]any)
	if !ok {
		return nil, invalid(file, prefix, "must be an object, found %s", jsonKind(item))
	}
	p := props{file: file, prefix: prefix, obj: obj}
	b := &emulator.Binding{Properties: obj, UseMonitor: true}
	var err error
	if b.Type, err = p.required("type"); err != nil {
		return nil, err
	}
	known, ok := lookupBindingType(b.Type)
	if !ok {
		return nil, unknownType(p, b.Type)
	}
	b.NotEmulated = !known.emulated
	if v, _ := lookupFold(obj, "direction"); v == nil {
		return nil, p.fail("direction", "required: in, out or inout")
	}
	if b.Direction, err = p.choice("direction", emulator.DirectionIn, emulator.DirectionOut, emulator.DirectionInOut); err != nil {
		return nil, err
	}
	if b.Name, err = p.str("name"); err != nil {
		return nil, err
	}
	if !isBindingName(b.Name) {
		return nil, p.fail("name", "The binding name %s is invalid. Please assign a valid name to the binding.", b.Name)
	}
	if b.Name == "$return" && b.Direction != emulator.DirectionOut {
		return nil, p.fail("direction", "$return bindings must specify a direction of 'out'.")
	}
	if b.IsTrigger() && b.Direction != emulator.DirectionIn {
		return nil, p.fail("direction", "a trigger binding must have direction in, found %q", b.Direction)
	}
	if b.DataType, err = p.choice("dataType", "string", "binary", "stream"); err != nil {
		return nil, err
	}
	if b.Cardinality, err = p.choice("cardinality", "one", "many"); err != nil {
		return nil, err
	}
	if b.Connection, err = p.str("connection"); err != nil {
		return nil, err
	}
	if err := decodeKind(p, b, function, cfg); err != nil {
		return nil, err
	}
	return b, nil
}

// decodeKind fills the typed fields of the binding types funcemu runs.
// Other types keep only their Properties.
func decodeKind(p props, b *emulator.Binding, function string, cfg Config) error {
	var err error
	switch b.Kind() {
	case emulator.BindingHTTPTrigger:
		return decodeHTTPTrigger(p, b, function)
	case emulator.BindingTimerTrigger:
		if b.Schedule, err = p.required("schedule"); err != nil {
			return err
		}
		if b.Schedule, err = p.expand("schedule", b.Schedule, cfg); err != nil {
			return err
		}
		if _, err := schedule.Parse(b.Schedule); err != nil {
			return p.fail("schedule", "%v", err)
		}
		if b.RunOnStartup, err = p.boolean("runOnStartup", false); err != nil {
			return err
		}
		b.UseMonitor, err = p.boolean("useMonitor", true)
		return err
	case emulator.BindingQueueTrigger, emulator.BindingQueue:
		if b.QueueName, err = p.required("queueName"); err != nil {
			return err
		}
		if b.QueueName, err = p.expand("queueName", b.QueueName, cfg); err != nil {
			return err
		}
		// The host lower-cases queue names (Azure allows only lower case).
		b.QueueName = strings.ToLower(b.QueueName)
		if err := checkQueueName(b.QueueName); err != nil {
			return p.fail("queueName", "%v", err)
		}
		return nil
	case emulator.BindingBlobTrigger:
		if err := decodeBlobPath(p, b, cfg, true); err != nil {
			return err
		}
		b.Source, err = p.choice("source", "LogsAndContainerScan", "EventGrid")
		if b.Source == "" {
			b.Source = "LogsAndContainerScan"
		}
		return err
	case emulator.BindingBlob:
		return decodeBlobPath(p, b, cfg, false)
	case emulator.BindingTable:
		return decodeTable(p, b, cfg)
	}
	return nil
}

// unknownType is the error for a binding type no Azure extension has,
// with the nearest known type when one is close.
func unknownType(p props, typ string) error {
	if near := nearestBindingType(typ); near != "" {
		return p.fail("type", "unknown binding type %q (did you mean %q?)", typ, near)
	}
	return p.fail("type", "unknown binding type %q; the types are listed at https://learn.microsoft.com/azure/azure-functions/functions-triggers-bindings#supported-bindings", typ)
}

var authLevels = []string{"anonymous", "function", "admin", "system", "user"}

var httpMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT"}

func decodeHTTPTrigger(p props, b *emulator.Binding, function string) error {
	var err error
	if b.AuthLevel, err = p.choice("authLevel", authLevels...); err != nil {
		return err
	}
	if b.AuthLevel == "" {
		b.AuthLevel = "function"
	}
	if v, ok := lookupFold(p.obj, "methods"); ok && v != nil {
		list, isList := v.([]any)
		if !isList {
			return p.fail("methods", "must be an array of HTTP methods, found %s", jsonKind(v))
		}
		for j, m := range list {
			s, _ := m.(string)
			method := strings.ToUpper(strings.TrimSpace(s))
			if !contains(httpMethods, method) {
				return p.fail(fmt.Sprintf("methods[%d]", j), "%s is not an HTTP method (%s)", describe(m), strings.Join(httpMethods, ", "))
			}
			b.Methods = append(b.Methods, method)
		}
	}
	if b.Route, err = p.str("route"); err != nil {
		return err
	}
	template := b.Route
	if template == "" {
		template = function
	}
	if _, err := route.Parse(template); err != nil {
		return p.fail("route", "%v", err)
	}
	return nil
}

// decodeBlobPath reads "container/blob pattern". In a trigger the
// container part may hold %Setting% but no {expression}: only the blob
// part is a pattern to match.
func decodeBlobPath(p props, b *emulator.Binding, cfg Config, trigger bool) error {
	path, err := p.required("path")
	if err != nil {
		return err
	}
	if path, err = p.expand("path", path, cfg); err != nil {
		return err
	}
	container, blob, _ := strings.Cut(path, "/")
	switch {
	case container == "":
		return p.fail("path", "%q has no container; write \"container/blob\"", path)
	case trigger && strings.ContainsAny(container, "{}"):
		return p.fail("path", "%q: the container part %q cannot contain {expressions}", path, container)
	}
	if err := checkContainerName(container); err != nil {
		return p.fail("path", "%v", err)
	}
	if !trigger {
		blob = path
	}
	if err := checkBraces(blob); err != nil {
		return p.fail("path", "%q: %v", path, err)
	}
	b.Path = path
	return nil
}

// checkBraces checks that every "{" in a binding expression pattern has
// its "}" ("{{" and "}}" are literal braces).
func checkBraces(s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			if i+1 < len(s) && s[i+1] == '{' {
				i++
				continue
			}
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				return fmt.Errorf("'{' at position %d has no closing '}'", i)
			}
			if end == 1 {
				return fmt.Errorf("empty expression '{}' at position %d", i)
			}
			i += end
		case '}':
			if i+1 < len(s) && s[i+1] == '}' {
				i++
				continue
			}
			return fmt.Errorf("'}' at position %d has no opening '{'", i)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
