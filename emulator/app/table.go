package app

import (
	"strconv"

	"github.com/funcemu/funcemu/emulator"
)

// decodeTable reads a table binding: tableName required; partitionKey,
// rowKey and filter optional; take a non-negative number. As in the
// Tables extension, an input's rowKey needs partitionKey and excludes
// filter and take.
func decodeTable(p props, b *emulator.Binding, cfg Config) error {
	t := &emulator.TableBinding{}
	fields := []struct {
		name string
		dst  *string
	}{{"tableName", &t.TableName}, {"partitionKey", &t.PartitionKey}, {"rowKey", &t.RowKey}, {"filter", &t.Filter}}
	for _, f := range fields {
		v, err := p.str(f.name)
		if err != nil {
			return err
		}
		if *f.dst, err = p.expand(f.name, v, cfg); err != nil {
			return err
		}
	}
	if t.TableName == "" {
		return p.fail("tableName", "required")
	}
	if v, ok := lookupFold(p.obj, "take"); ok && v != nil {
		switch x := v.(type) {
		case float64:
			t.Take = int(x)
			if float64(t.Take) != x || x < 0 {
				return p.fail("take", "must be a whole number of 0 or more, found %v", x)
			}
		case string:
			n, err := strconv.Atoi(x)
			if err != nil || n < 0 {
				return p.fail("take", "must be a whole number of 0 or more, found %q", x)
			}
			t.Take = n
		default:
			return p.fail("take", "must be a number, found %s", jsonKind(v))
		}
	}
	if b.Direction == emulator.DirectionIn && t.RowKey != "" {
		if t.PartitionKey == "" {
			return p.fail("rowKey", "needs partitionKey as well")
		}
		if t.Filter != "" || t.Take != 0 {
			return p.fail("rowKey", "cannot be combined with filter or take (rowKey reads one entity)")
		}
	}
	b.Table = t
	return nil
}
