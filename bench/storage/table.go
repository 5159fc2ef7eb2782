package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/funcemu/funcemu/internal/benchmeter"
)

// tableMetrics are the Table service figures, after the blob and queue
// ones: each phase through the SDK, then the same phase counting only
// the time on the wire (see wireClock).
var tableMetrics = []struct{ name, unit string }{
	{"table insert", "ops/s"},
	{"table point read", "ops/s"},
	{"table partition query (1000 entities)", "queries/s"},
	{aloneQueryRow, "queries/s"},
	{"table batch insert (100 per batch)", "entities/s"},
	{"table insert, wire time only", "ops/s"},
	{"table point read, wire time only", "ops/s"},
	{"table partition query, wire time only", "queries/s"},
	{"table batch insert, wire time only", "entities/s"},
}

// The partition query's rows, named once for printCeiling.
const (
	partitionQueryRow = "table partition query (1000 entities)"
	aloneQueryRow     = "table partition query, aztables alone on the server's answer"
)

// wireClock is the SDK's transport, timing the wire: the server's share
// of a phase, without the SDK's own work, which is the same against both
// servers but most of a partition query (aztables decodes a page of 1,000
// entities into maps and encodes each back to JSON) and of a batch (it
// builds and parses the multipart bodies).
type wireClock struct{ benchmeter.Wire }

func newWireClock() *wireClock { return &wireClock{benchmeter.Wire{Client: &http.Client{}}} }

// phase times one phase of n operations, through the SDK (unless name is
// "") and on the wire.
func (w *wireClock) phase(res *result, name, wireName string, n float64, run func() error) error {
	w.Elapsed = 0
	start := time.Now()
	if err := run(); err != nil {
		return err
	}
	if name != "" {
		res.values[name] = n / time.Since(start).Seconds()
	}
	res.values[wireName] = n / w.Elapsed.Seconds()
	return nil
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
	wire := newWireClock()
	svc, err := aztables.NewServiceClientWithSharedKey(s.tableURL, cred, &aztables.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: wire}})
	if err != nil {
		return err
	}
	if _, err := svc.CreateTable(ctx, "bench", nil); err != nil {
		return err
	}
	t := svc.NewClient("bench")
	s.settle("table insert")
	err = wire.phase(res, "table insert", "table insert, wire time only", float64(c.entities), func() error {
		for i := 0; i < c.entities; i++ {
			e, err := tableEntity(fmt.Sprintf("p%d", i/1000), fmt.Sprintf("r%06d", i), i)
			if err != nil {
				return err
			}
			if _, err := t.AddEntity(ctx, e, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	s.settle("table point read")
	err = wire.phase(res, "table point read", "table point read, wire time only", float64(c.entities), func() error {
		for i := 0; i < c.entities; i++ {
			if _, err := t.GetEntity(ctx, fmt.Sprintf("p%d", i/1000), fmt.Sprintf("r%06d", i), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}

	const queries = 20
	want := min(c.entities, 1000)
	s.settle(partitionQueryRow)
	err = wire.phase(res, partitionQueryRow, "table partition query, wire time only", queries, func() error {
		for q := 0; q < queries; q++ {
			if err := partitionQuery(ctx, t, want); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := aloneQueries(ctx, s, cred, queries, want, res); err != nil {
		return err
	}

	s.settle("table batch insert (100 per batch)")
	return wire.phase(res, "table batch insert (100 per batch)", "table batch insert, wire time only", float64(c.entities/100*100), func() error {
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
		return nil
	})
}

// partitionQuery reads the filtered partition p0 through every page,
// checking that it holds want entities.
func partitionQuery(ctx context.Context, t *aztables.Client, want int) error {
	pager := t.NewListEntitiesPager(&aztables.ListEntitiesOptions{Filter: to.Ptr("PartitionKey eq 'p0' and N ge 0")})
	n := 0
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return err
		}
		n += len(page.Entities)
	}
	if n != want {
		return fmt.Errorf("partition query found %d entities, want %d", n, want)
	}
	return nil
}

// aloneQueries times the partition query with the server's first answer
// replayed from memory (benchmeter.Replay): aztables' own work on that
// answer, which no server can take off a query's time through the SDK.
func aloneQueries(ctx context.Context, s *server, cred *aztables.SharedKeyCredential, queries, want int, res *result) error {
	next := &http.Transport{}
	defer next.CloseIdleConnections()
	replay := &benchmeter.Replay{Next: next}
	svc, err := aztables.NewServiceClientWithSharedKey(s.tableURL, cred,
		&aztables.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: &http.Client{Transport: replay}}})
	if err != nil {
		return err
	}
	t := svc.NewClient("bench")
	if err := partitionQuery(ctx, t, want); err != nil { // records the answer
		return err
	}
	start := time.Now()
	for q := 0; q < queries; q++ {
		if err := partitionQuery(ctx, t, want); err != nil {
			return err
		}
	}
	res.values[aloneQueryRow] = float64(queries) / time.Since(start).Seconds()
	if replay.Replayed() < queries {
		return fmt.Errorf("%d of %d partition queries answered from memory", replay.Replayed(), queries)
	}
	return nil
}
