package cmd

import (
	"context"
	"fmt"
	"strconv"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
	"github.com/funcemu/funcemu/tui"
)

// Tables lists the development account's tables with their entity counts.
func (c *uiController) Tables(ctx context.Context) ([]tui.TableInfo, error) {
	s, err := c.embeddedStore("tables")
	if err != nil {
		return nil, err
	}
	var names []string
	for next := ""; ; {
		page, n, err := s.QueryTables(ctx, uiAccount, storage.TableQuery{NextTableName: next})
		if err != nil {
			return nil, err
		}
		names = append(names, page...)
		if next = n; next == "" {
			break
		}
	}
	out := make([]tui.TableInfo, 0, len(names))
	for _, name := range names {
		n, err := s.CountEntities(ctx, uiAccount, name)
		if emulator.ErrorCode(err) == emulator.ENOTFOUND {
			continue // deleted since it was listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, tui.TableInfo{Name: name, Entities: n})
	}
	return out, nil
}

// Entities returns the first n entities of table in key order, their
// properties rendered as short text; a table deleted while shown has none.
func (c *uiController) Entities(ctx context.Context, table string, n int) ([]tui.Entity, error) {
	s, err := c.embeddedStore("tables")
	if err != nil {
		return nil, err
	}
	es, _, _, err := s.QueryEntities(ctx, uiAccount, table, storage.TableQuery{Top: min(max(n, 1), storage.MaxTablePage)})
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]tui.Entity, len(es))
	for i, e := range es {
		props := make([]tui.Property, len(e.Properties))
		for j, p := range e.Properties {
			props[j] = tui.Property{Name: p.Name, Value: propertyText(p)}
		}
		out[i] = tui.Entity{PartitionKey: e.PartitionKey, RowKey: e.RowKey, Timestamp: e.Timestamp, Properties: props}
	}
	return out, nil
}

// propertyText is a property's value as the Tables view shows it: strings
// quoted, so a number stored as text is told from a number, and the other
// types in their stored form.
func propertyText(p storage.TableProperty) string {
	if s, ok := p.Value.(string); ok && p.Type == odata.String {
		return strconv.Quote(s)
	}
	return fmt.Sprint(p.Value)
}
