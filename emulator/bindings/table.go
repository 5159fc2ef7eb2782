package bindings

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindexpr"
)

func (b *Bindings) tables(fn *emulator.Function, bd *emulator.Binding) (emulator.TableStore, error) {
	if b.opts.TableStore == nil {
		return nil, fmt.Errorf("function %s: binding %q: table bindings are not available here", fn.Name, bd.Name)
	}
	s, err := b.opts.TableStore(bd.Connection)
	if err != nil {
		return nil, fmt.Errorf("function %s: binding %q: connection %q: %w", fn.Name, bd.Name, settingName(bd.Connection), err)
	}
	return s, nil
}

// tableFields resolves a table binding's expressions for one invocation.
func (b *Bindings) tableFields(fn *emulator.Function, bd *emulator.Binding, data bindexpr.Data) (emulator.TableBinding, error) {
	t := *bd.Table
	for _, f := range []struct {
		name string
		v    *string
	}{{"tableName", &t.TableName}, {"partitionKey", &t.PartitionKey}, {"rowKey", &t.RowKey}, {"filter", &t.Filter}} {
		if *f.v == "" {
			continue
		}
		v, err := b.resolve(fn, bd, f.name, *f.v, data)
		if err != nil {
			return t, err
		}
		*f.v = v
	}
	return t, nil
}

// readTable binds one table input as the Tables extension does: with
// partitionKey and rowKey, the entity as a JSON object (a missing entity
// fails the invocation, as the extension's GetEntityAsync throws);
// otherwise a query, "PartitionKey eq '<pk>' and <filter>" as the
// extension joins them, take entities at most, which the host passes to
// a custom handler as a JSON string holding the array ("[]" while the
// table does not exist).
func (b *Bindings) readTable(ctx context.Context, fn *emulator.Function, bd *emulator.Binding, data bindexpr.Data) (any, error) {
	t, err := b.tableFields(fn, bd, data)
	if err != nil {
		return nil, err
	}
	store, err := b.tables(fn, bd)
	if err != nil {
		return nil, err
	}
	if t.PartitionKey != "" && t.RowKey != "" {
		e, err := store.GetEntity(ctx, t.TableName, t.PartitionKey, t.RowKey)
		if err != nil {
			return nil, fmt.Errorf("function %s: input %q: entity %q/%q of table %q: %w", fn.Name, bd.Name, t.PartitionKey, t.RowKey, t.TableName, err)
		}
		return e, nil
	}
	filter := t.Filter
	if t.PartitionKey != "" {
		pk := "PartitionKey eq '" + strings.ReplaceAll(t.PartitionKey, "'", "''") + "'"
		if filter != "" {
			filter = pk + " and " + filter
		} else {
			filter = pk
		}
	}
	es, err := store.QueryEntities(ctx, t.TableName, filter, t.Take)
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		// The table does not exist yet: no entities. (The extension's
		// query fails with TableNotFound instead; an empty answer lets a
		// new app's first request run, see docs/compatibility.md.)
		es, err = []map[string]any{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("function %s: input %q: query table %q: %w", fn.Name, bd.Name, t.TableName, err)
	}
	text, err := json.Marshal(es)
	if err != nil {
		return nil, fmt.Errorf("function %s: input %q: %w", fn.Name, bd.Name, err)
	}
	return string(text), nil
}

// writeTable inserts a table output's entities: one JSON object or an
// array of them (or a string holding either). A partitionKey or rowKey
// property (any case) wins over the binding's and is not stored; other
// properties must be scalars: integers become Edm.Int64 and other numbers
// Edm.Double, as Json.NET reads them in the extension.
func (b *Bindings) writeTable(ctx context.Context, fn *emulator.Function, bd *emulator.Binding, inv *emulator.Invocation, v *emulator.OutputValue, data bindexpr.Data) ([]emulator.Output, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("function %s: output %q: "+format, append([]any{fn.Name, bd.Name}, args...)...)
	}
	objs, err := tableObjects(v.Value)
	if err != nil {
		return nil, fail("%v", err)
	}
	if len(objs) == 0 {
		return nil, nil
	}
	t, err := b.tableFields(fn, bd, data)
	if err != nil {
		return nil, err
	}
	var writes []emulator.TableEntityWrite
	var written []emulator.Output
	for i, raw := range objs {
		w, err := tableEntity(raw, t.PartitionKey, t.RowKey)
		if err != nil {
			return nil, fail("entity %d: %v", i, err)
		}
		writes = append(writes, w)
		written = append(written, emulator.Output{Binding: bd.Name, Table: &emulator.TableOutput{
			Table: t.TableName, PartitionKey: w.PartitionKey, RowKey: w.RowKey, Entity: raw}})
	}
	if emulator.IsDryRun(ctx) {
		return written, nil
	}
	store, err := b.tables(fn, bd)
	if err != nil {
		return nil, err
	}
	if err := store.InsertEntities(ctx, t.TableName, writes, inv.ID); err != nil {
		return nil, fail("insert into table %q: %w", t.TableName, err)
	}
	return written, nil
}

// tableObjects reads an output value as JSON objects.
func tableObjects(v json.RawMessage) ([]json.RawMessage, error) {
	v = bytes.TrimSpace(v)
	if len(v) > 0 && v[0] == '"' {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, err
		}
		v = bytes.TrimSpace([]byte(s))
	}
	if len(v) == 0 || string(v) == "null" {
		return nil, nil
	}
	switch v[0] {
	case '{':
		return []json.RawMessage{v}, nil
	case '[':
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return nil, fmt.Errorf("read array value: %w", err)
		}
		for i, e := range elems {
			if e = bytes.TrimSpace(e); len(e) == 0 || e[0] != '{' {
				return nil, fmt.Errorf("element %d is not a JSON object", i)
			}
		}
		return elems, nil
	}
	return nil, fmt.Errorf("a table output must be a JSON object or an array of objects, found %.40s", v)
}

// tableEntity builds one entity from a JSON object.
func tableEntity(raw json.RawMessage, pk, rk string) (emulator.TableEntityWrite, error) {
	w := emulator.TableEntityWrite{PartitionKey: pk, RowKey: rk}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return w, err
	}
	hasPK, hasRK := pk != "", rk != ""
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return w, err
		}
		name := tok.(string)
		var val any
		if err := dec.Decode(&val); err != nil {
			return w, fmt.Errorf("property %s: %w", name, err)
		}
		switch {
		case strings.EqualFold(name, "partitionKey") || strings.EqualFold(name, "rowKey"):
			s, ok := val.(string)
			if !ok {
				return w, fmt.Errorf("%s must be a string, found %v", name, val)
			}
			if strings.EqualFold(name, "partitionKey") {
				w.PartitionKey, hasPK = s, true
			} else {
				w.RowKey, hasRK = s, true
			}
			continue
		}
		switch x := val.(type) {
		case nil:
			continue // the service stores no nulls
		case string, bool:
			w.Properties = append(w.Properties, emulator.TableValue{Name: name, Value: x})
		case json.Number:
			if n, err := x.Int64(); err == nil {
				w.Properties = append(w.Properties, emulator.TableValue{Name: name, Value: n})
			} else if f, err := x.Float64(); err == nil {
				w.Properties = append(w.Properties, emulator.TableValue{Name: name, Value: f})
			} else {
				return w, fmt.Errorf("property %s: %s is not a number a table can hold", name, x)
			}
		default:
			return w, fmt.Errorf("property %s: a table property must be a string, number or boolean, not an object or array", name)
		}
	}
	if !hasPK {
		return w, fmt.Errorf("no PartitionKey: set partitionKey in the binding or in the object")
	}
	if !hasRK {
		return w, fmt.Errorf("no RowKey: set rowKey in the binding or in the object")
	}
	return w, nil
}
