package azstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/funcemu/funcemu/emulator"
)

// TableStore is emulator.TableStore over a real account or Azurite.
type TableStore struct {
	svc *aztables.ServiceClient
}

// NewTableStore connects to the account's Table service.
func NewTableStore(a *Account, o Options) (*TableStore, error) {
	if a.TableURL == "" {
		return nil, fmt.Errorf("%s: no table endpoint", a.settingName())
	}
	opts := &aztables.ClientOptions{ClientOptions: o.clientOptions()}
	opts.PerCallPolicies = append(opts.PerCallPolicies, batchFailurePolicy{})
	// The SDK joins a path-style endpoint and the table name without a
	// slash when the endpoint ends in one; it wants none.
	endpoint := trimSlash(a.TableURL)
	var c *aztables.ServiceClient
	var err error
	switch a.Auth {
	case AuthSharedKey:
		var cred *aztables.SharedKeyCredential
		if cred, err = aztables.NewSharedKeyCredential(a.Name, a.key); err == nil {
			c, err = aztables.NewServiceClientWithSharedKey(endpoint, cred, opts)
		}
	case AuthIdentity:
		var cred azcore.TokenCredential
		if cred, err = a.credential(); err == nil {
			c, err = aztables.NewServiceClient(endpoint, cred, opts)
		}
	default:
		c, err = aztables.NewServiceClientWithNoCredential(a.withSAS(endpoint), opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: table client: %w", a.settingName(), err)
	}
	return &TableStore{svc: c}, nil
}

func trimSlash(u string) string {
	for len(u) > 0 && u[len(u)-1] == '/' {
		u = u[:len(u)-1]
	}
	return u
}

// GetEntity reads one entity in the binding's form.
func (t *TableStore) GetEntity(ctx context.Context, table, pk, rk string) (map[string]any, error) {
	resp, err := t.svc.NewClient(table).GetEntity(ctx, pk, rk, nil)
	if err != nil {
		return nil, storageError(fmt.Sprintf("get entity %q/%q from table %q", pk, rk, table), err)
	}
	return bindingEntity(resp.Value)
}

// QueryEntities follows continuations until take entities (0: all).
func (t *TableStore) QueryEntities(ctx context.Context, table, filter string, take int) ([]map[string]any, error) {
	opts := &aztables.ListEntitiesOptions{}
	if filter != "" {
		opts.Filter = to.Ptr(filter)
	}
	if take > 0 && take < 1000 {
		opts.Top = to.Ptr(int32(take))
	}
	out := []map[string]any{}
	pager := t.svc.NewClient(table).NewListEntitiesPager(opts)
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, storageError(fmt.Sprintf("query table %q", table), err)
		}
		for _, raw := range page.Entities {
			m, err := bindingEntity(raw)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
			if take > 0 && len(out) == take {
				return out, nil
			}
		}
	}
	return out, nil
}

// bindingEntity turns the SDK's JSON (full metadata) into the binding
// form: annotations dropped, Int64 as a number, times as the extension
// writes DateTimeOffset.
func bindingEntity(raw []byte) (map[string]any, error) {
	var e aztables.EDMEntity
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, fmt.Errorf("entity: %w", err)
	}
	m := map[string]any{"PartitionKey": e.PartitionKey, "RowKey": e.RowKey,
		"Timestamp": time.Time(e.Timestamp).UTC().Format(bindingTime), "odata.etag": e.ETag}
	for k, v := range e.Properties {
		switch x := v.(type) {
		case aztables.EDMInt64:
			m[k] = int64(x)
		case aztables.EDMDateTime:
			m[k] = time.Time(x).UTC().Format(bindingTime)
		case aztables.EDMGUID:
			m[k] = string(x)
		case aztables.EDMBinary:
			m[k] = []byte(x) // encoded as base64 by encoding/json
		default:
			m[k] = v
		}
	}
	return m, nil
}

// bindingTime is how the extension's JSON shows a DateTimeOffset.
const bindingTime = "2006-01-02T15:04:05.9999999-07:00"

// InsertEntities writes in the extension's transactions, creating the
// table once when it is missing.
func (t *TableStore) InsertEntities(ctx context.Context, table string, entities []emulator.TableEntityWrite, _ string) error {
	c := t.svc.NewClient(table)
	for _, group := range emulator.TableBatches(entities) {
		actions := make([]aztables.TransactionAction, len(group))
		for i, w := range group {
			props := map[string]any{}
			for _, v := range w.Properties {
				if n, ok := v.Value.(int64); ok {
					props[v.Name] = aztables.EDMInt64(n)
				} else {
					props[v.Name] = v.Value
				}
			}
			body, err := json.Marshal(aztables.EDMEntity{Entity: aztables.Entity{PartitionKey: w.PartitionKey, RowKey: w.RowKey}, Properties: props})
			if err != nil {
				return fmt.Errorf("entity %q/%q: %w", w.PartitionKey, w.RowKey, err)
			}
			actions[i] = aztables.TransactionAction{ActionType: aztables.TransactionTypeAdd, Entity: body}
		}
		_, err := c.SubmitTransaction(ctx, actions, nil)
		if emulator.ErrorCode(storageError("", err)) == emulator.ENOTFOUND {
			if _, cerr := c.CreateTable(ctx, nil); cerr != nil && emulator.ErrorCode(storageError("", cerr)) != emulator.ECONFLICT {
				return storageError(fmt.Sprintf("create table %q", table), cerr)
			}
			_, err = c.SubmitTransaction(ctx, actions, nil)
		}
		if err != nil {
			return storageError(fmt.Sprintf("insert %d entities into table %q (partition %q)", len(group), table, group[0].PartitionKey), err)
		}
	}
	return nil
}
