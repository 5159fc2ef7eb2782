package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

// tableMetrics are the Table service figures, after the blob and queue ones.
var tableMetrics = []struct{ name, unit string }{
	{"table insert", "ops/s"},
	{"table point read", "ops/s"},
	{"table partition query (1000 entities)", "queries/s"},
	{"table batch insert (100 per batch)", "entities/s"},
}

func tableEntity(pk, rk string, i int) ([]byte, error) {
	return json.Marshal(aztables.EDMEntity{Entity: aztables.Entity{PartitionKey: pk, RowKey: rk},
		Properties: map[string]any{"N": int32(i), "Name": fmt.Sprintf("entity %d", i), "Big": aztables.EDMInt64(int64(i) << 33)}})
}

// tableWorkload inserts c.entities one by one, reads each back, queries
// a partition of 1000 with a filter, and inserts c.entities more in
// batches of 100.
func tableWorkload(ctx context.Context, c config, s *server, res *result) error {
	cred, err := aztables.NewSharedKeyCredential(account, key)
	if err != nil {
		return err
	}
	svc, err := aztables.NewServiceClientWithSharedKey(s.tableURL, cred, nil)
	if err != nil {
		return err
	}
	if _, err := svc.CreateTable(ctx, "bench", nil); err != nil {
		return err
	}
	t := svc.NewClient("bench")
	start := time.Now()
	for i := 0; i < c.entities; i++ {
		e, err := tableEntity(fmt.Sprintf("p%d", i/1000), fmt.Sprintf("r%06d", i), i)
		if err != nil {
			return err
		}
		if _, err := t.AddEntity(ctx, e, nil); err != nil {
			return err
		}
	}
	res.values["table insert"] = float64(c.entities) / time.Since(start).Seconds()

	start = time.Now()
	for i := 0; i < c.entities; i++ {
		if _, err := t.GetEntity(ctx, fmt.Sprintf("p%d", i/1000), fmt.Sprintf("r%06d", i), nil); err != nil {
			return err
		}
	}
	res.values["table point read"] = float64(c.entities) / time.Since(start).Seconds()

	const queries = 20
	start = time.Now()
	for q := 0; q < queries; q++ {
		pager := t.NewListEntitiesPager(&aztables.ListEntitiesOptions{Filter: to.Ptr("PartitionKey eq 'p0' and N ge 0")})
		n := 0
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				return err
			}
			n += len(page.Entities)
		}
		if want := min(c.entities, 1000); n != want {
			return fmt.Errorf("partition query found %d entities, want %d", n, want)
		}
	}
	res.values["table partition query (1000 entities)"] = queries / time.Since(start).Seconds()

	start = time.Now()
	for b := 0; b < c.entities/100; b++ {
		actions := make([]aztables.TransactionAction, 100)
		for i := range actions {
			e, err := tableEntity(fmt.Sprintf("b%d", b), fmt.Sprintf("r%03d", i), i)
			if err != nil {
				return err
			}
			actions[i] = aztables.TransactionAction{ActionType: aztables.TransactionTypeAdd, Entity: e}
		}
		if _, err := t.SubmitTransaction(ctx, actions, nil); err != nil {
			return err
		}
	}
	res.values["table batch insert (100 per batch)"] = float64(c.entities/100*100) / time.Since(start).Seconds()
	return nil
}
