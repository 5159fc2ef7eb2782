package app

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// tree is host.json flattened the way the host's configuration sees it:
// every leaf under a lower-cased, ':'-joined path ("extensions:queues:
// batchsize"), arrays indexed ("functions:0"). Flattening is what lets
// AzureFunctionsJobHost__a__b settings override single values, and makes
// key lookups case-insensitive as in .NET configuration.
type tree map[string]leaf

type leaf struct {
	value  string
	source string // "" for the file itself, else the overriding setting
}

// flatten adds v under prefix. Scalars become strings as .NET prints them
// (true -> "True"); null becomes "".
func (t tree) flatten(prefix string, v any) {
	join := func(k string) string {
		if prefix == "" {
			return strings.ToLower(k)
		}
		return prefix + ":" + strings.ToLower(k)
	}
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			t.flatten(join(k), child)
		}
	case []any:
		for i, child := range x {
			t.flatten(join(strconv.Itoa(i)), child)
		}
	default:
		t[prefix] = leaf{value: scalarString(x)}
	}
}

// scalarString renders a JSON scalar as a string.
func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "True"
		}
		return "False"
	case json.Number:
		return x.String()
	case string:
		return x
	}
	return ""
}

// key turns a dotted field name ("extensions.queues.batchSize") into a
// tree path.
func key(field string) string {
	return strings.ToLower(strings.ReplaceAll(field, ".", ":"))
}

// get returns the leaf at the dotted field.
func (t tree) get(field string) (leaf, bool) {
	l, ok := t[key(field)]
	return l, ok
}

// has reports whether the section exists: a non-empty value at the field
// or any value below it, as IConfigurationSection.Exists does.
func (t tree) has(field string) bool {
	k := key(field)
	if l, ok := t[k]; ok && l.value != "" {
		return true
	}
	for p := range t {
		if strings.HasPrefix(p, k+":") {
			return true
		}
	}
	return false
}

// list returns the array at field (children 0, 1, ... in numeric order),
// or ok=false when the field is absent. A value that is itself a JSON
// array of strings counts too, as the host reads customHandler arguments.
func (t tree) list(field string) (items []leaf, ok bool, bad bool) {
	k := key(field)
	type indexed struct {
		i int
		l leaf
	}
	var found []indexed
	for p, l := range t {
		rest, cut := strings.CutPrefix(p, k+":")
		if !cut {
			continue
		}
		i, err := strconv.Atoi(rest)
		if err != nil || i < 0 {
			return nil, true, true // an object where an array belongs
		}
		found = append(found, indexed{i, l})
	}
	if len(found) == 0 {
		l, present := t[k]
		if !present {
			return nil, false, false
		}
		var arr []string
		if err := json.Unmarshal([]byte(l.value), &arr); err != nil {
			return nil, true, l.value != ""
		}
		for _, s := range arr {
			items = append(items, leaf{value: s, source: l.source})
		}
		return items, true, false
	}
	sort.Slice(found, func(a, b int) bool { return found[a].i < found[b].i })
	for _, f := range found {
		items = append(items, f.l)
	}
	return items, true, false
}

// setList replaces the array at field.
func (t tree) setList(field string, values []string, source string) {
	k := key(field)
	for p := range t {
		if p == k || strings.HasPrefix(p, k+":") {
			delete(t, p)
		}
	}
	for i, v := range values {
		t[k+":"+strconv.Itoa(i)] = leaf{value: v, source: source}
	}
}
