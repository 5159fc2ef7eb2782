package emulator

import "context"

// TableStore is one storage account's tables as the table input and output
// bindings use them. The embedded store and a remote account (through the
// Azure SDK) both implement it. Errors carry ENOTFOUND for a missing table
// or entity and ECONFLICT for an entity that already exists.
type TableStore interface {
	// GetEntity returns one entity as the Tables extension hands it to a
	// function: PartitionKey, RowKey, Timestamp, odata.etag and the
	// properties, with Int64 as a number, DateTime as ISO 8601 text,
	// Binary as base64.
	GetEntity(ctx context.Context, table, partitionKey, rowKey string) (map[string]any, error)
	// QueryEntities returns the entities matching an OData filter ("" for
	// all), at most take of them (0 for all), in the same form.
	QueryEntities(ctx context.Context, table, filter string, take int) ([]map[string]any, error)
	// InsertEntities inserts entities as the output binding's writer does:
	// grouped into transactions of up to 100 per partition, creating the
	// table when it is missing. An entity that exists fails its group.
	InsertEntities(ctx context.Context, table string, entities []TableEntityWrite, parentID string) error
}

// TableEntityWrite is an entity for InsertEntities. Property values are
// string (Edm.String), bool, int64 (Edm.Int64) or float64 (Edm.Double).
type TableEntityWrite struct {
	PartitionKey string
	RowKey       string
	Properties   []TableValue
}

// TableValue is one named property value.
type TableValue struct {
	Name  string
	Value any
}

// TableBatches splits entities as the extension's writer does: by
// partition in first-seen order, at most 100 per group, and a RowKey seen
// again in a partition starts a new group.
func TableBatches(entities []TableEntityWrite) [][]TableEntityWrite {
	var order []string
	byPK := map[string][][]TableEntityWrite{}
	seen := map[string]map[string]bool{}
	for _, e := range entities {
		groups, ok := byPK[e.PartitionKey]
		if !ok {
			order = append(order, e.PartitionKey)
			seen[e.PartitionKey] = map[string]bool{}
		}
		if len(groups) == 0 || len(groups[len(groups)-1]) == 100 || seen[e.PartitionKey][e.RowKey] {
			groups = append(groups, nil)
			seen[e.PartitionKey] = map[string]bool{}
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], e)
		seen[e.PartitionKey][e.RowKey] = true
		byPK[e.PartitionKey] = groups
	}
	var out [][]TableEntityWrite
	for _, pk := range order {
		out = append(out, byPK[pk]...)
	}
	return out
}
