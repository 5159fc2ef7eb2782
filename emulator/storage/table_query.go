package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// entitySchema maps $filter properties to table_entities' columns.
var entitySchema = odata.Schema{
	Columns: map[string]odata.Column{
		"PartitionKey": {SQL: "pk", Type: odata.String},
		"RowKey":       {SQL: "rk", Type: odata.String},
		"Timestamp":    {SQL: "ts", Type: odata.DateTime},
	},
	Props: "props",
}

// GetEntity returns one entity, or ResourceNotFound (TableNotFound when
// the table is missing), in one lookup of the table and the entity.
func (s *Store) GetEntity(ctx context.Context, account, table, pk, rk string) (TableEntity, error) {
	_, row, parent, err := s.readEntityRow(ctx, account, table, pk, rk)
	if err != nil {
		return TableEntity{}, err
	}
	e, err := row.Entity()
	e.ParentID = parent
	return e, err
}

// QueryEntities returns one page of a table's entities matching q.Filter
// in PartitionKey, RowKey order. nextPK and nextRK continue the query;
// both are "" on the last page. The filter runs in SQL.
func (s *Store) QueryEntities(ctx context.Context, account, table string, q TableQuery) (es []TableEntity, nextPK, nextRK string, err error) {
	if _, err := s.cachedTableName(ctx, account, table); err != nil {
		return nil, "", "", err
	}
	where, args, err := entityQuery(account, table, q)
	if err != nil {
		return nil, "", "", err
	}
	limit := q.limit()
	rows, err := s.db.QueryContext(ctx, `SELECT pk, rk, ts, props, parent_invocation_id FROM table_entities WHERE `+where+
		` ORDER BY pk, rk LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", "", fmt.Errorf("query entities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e TableEntity
		var ts, props string
		if err := rows.Scan(&e.PartitionKey, &e.RowKey, &ts, &props, &e.ParentID); err != nil {
			return nil, "", "", fmt.Errorf("query entities: %w", err)
		}
		if len(es) == limit {
			return es, e.PartitionKey, e.RowKey, nil
		}
		if err := fillEntity(&e, ts, props); err != nil {
			return nil, "", "", err
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, "", "", fmt.Errorf("query entities: %w", err)
	}
	return es, "", "", nil
}

// entityQuery is the WHERE condition selecting q's entities of a table:
// the filter compiled to SQL, the continuation and the SAS key range.
func entityQuery(account, table string, q TableQuery) (string, []any, error) {
	where, args := "account = ? AND table_key = ?", []any{account, strings.ToLower(table)}
	if q.Filter != "" {
		cond, fargs, err := odata.Compile(q.Filter, entitySchema)
		if err != nil {
			return "", nil, &FilterError{err}
		}
		where += " AND " + cond
		args = append(args, fargs...)
	}
	switch {
	case q.NextPartitionKey != "" && q.NextRowKey != "":
		where += " AND (pk, rk) >= (?, ?)"
		args = append(args, q.NextPartitionKey, q.NextRowKey)
	case q.NextPartitionKey != "":
		where += " AND pk >= ?"
		args = append(args, q.NextPartitionKey)
	}
	rangeCond, rangeArgs := q.Range.sql()
	return where + rangeCond, append(args, rangeArgs...), nil
}
