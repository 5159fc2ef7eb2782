package storage

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// TableStore is one account's tables as the table bindings use them,
// without HTTP.
func (s *Store) TableStore(account string) emulator.TableStore {
	return &tableStore{s: s, account: account}
}

type tableStore struct {
	s       *Store
	account string
}

func (t *tableStore) GetEntity(ctx context.Context, table, pk, rk string) (map[string]any, error) {
	e, err := t.s.GetEntity(ctx, t.account, table, pk, rk)
	if err != nil {
		return nil, err
	}
	return BindingEntity(&e), nil
}

func (t *tableStore) QueryEntities(ctx context.Context, table, filter string, take int) ([]map[string]any, error) {
	out := []map[string]any{}
	q := TableQuery{Filter: filter}
	for {
		if take > 0 {
			q.Top = min(take-len(out), MaxTablePage)
		}
		es, npk, nrk, err := t.s.QueryEntities(ctx, t.account, table, q)
		if err != nil {
			var fe *FilterError
			if errors.As(err, &fe) {
				return nil, &emulator.Error{Code: emulator.EINVALID, Message: fmt.Sprintf("filter %q: %v", filter, fe.Err)}
			}
			return nil, err
		}
		for i := range es {
			out = append(out, BindingEntity(&es[i]))
		}
		if npk == "" && nrk == "" || take > 0 && len(out) >= take {
			return out, nil
		}
		q.NextPartitionKey, q.NextRowKey = npk, nrk
	}
}

func (t *tableStore) InsertEntities(ctx context.Context, table string, entities []emulator.TableEntityWrite, parentID string) error {
	if err := t.s.CreateTable(ctx, t.account, table); err != nil && emulator.ErrorCode(err) != emulator.ECONFLICT {
		return err
	}
	for _, group := range emulator.TableBatches(entities) {
		ops := make([]TableOp, len(group))
		for i, w := range group {
			e := TableEntity{PartitionKey: w.PartitionKey, RowKey: w.RowKey, ParentID: parentID}
			for _, v := range w.Properties {
				p, err := bindingProperty(v)
				if err != nil {
					return fmt.Errorf("entity %q/%q: %w", w.PartitionKey, w.RowKey, err)
				}
				e.Properties = append(e.Properties, p)
			}
			ops[i] = TableOp{Kind: OpInsert, Entity: e}
		}
		if _, err := t.s.WriteEntities(ctx, t.account, table, ops); err != nil {
			var oe *TableOpError
			if errors.As(err, &oe) {
				w := group[oe.Index]
				return fmt.Errorf("entity %q/%q: %w", w.PartitionKey, w.RowKey, oe.Err)
			}
			return err
		}
	}
	return nil
}

func bindingProperty(v emulator.TableValue) (TableProperty, error) {
	p := TableProperty{Name: v.Name}
	switch x := v.Value.(type) {
	case string:
		p.Type, p.Value = odata.String, x
	case bool:
		p.Type, p.Value = odata.Boolean, x
	case int64:
		p.Type, p.Value = odata.Int64, x
	case float64:
		p.Type, p.Value = odata.Double, DoubleValue(x)
	default:
		return p, &emulator.Error{Code: emulator.EINVALID, Message: fmt.Sprintf("property %s: %T is not a table property value", v.Name, v.Value)}
	}
	return p, nil
}

// bindingTime is how the extension's JSON shows a DateTimeOffset.
const bindingTime = "2006-01-02T15:04:05.9999999-07:00"

// BindingEntity is an entity as the Tables extension hands it to a
// function (TableEntity copied into a JObject).
func BindingEntity(e *TableEntity) map[string]any {
	m := map[string]any{
		"PartitionKey": e.PartitionKey,
		"RowKey":       e.RowKey,
		"Timestamp":    e.Timestamp.UTC().Format(bindingTime),
		"odata.etag":   e.ETag(),
	}
	for _, p := range e.Properties {
		switch p.Type {
		case odata.DateTime:
			if t, err := time.Parse(time.RFC3339Nano, p.Value.(string)); err == nil {
				m[p.Name] = t.UTC().Format(bindingTime)
				continue
			}
		case odata.Binary:
			if b, err := odata.DecodeBinary(p.Value.(string)); err == nil {
				m[p.Name] = base64.StdEncoding.EncodeToString(b)
				continue
			}
		}
		m[p.Name] = p.Value
	}
	return m
}
