package rest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

func TestZZSDKQuery(t *testing.T) {
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "bench")
	for b := 0; b < 10; b++ {
		var acts []aztables.TransactionAction
		for i := 0; i < 100; i++ {
			acts = append(acts, aztables.TransactionAction{ActionType: aztables.TransactionTypeAdd, Entity: []byte(benchEntityJSON("p0", b*100+i))})
		}
		if _, err := c.SubmitTransaction(ctx, acts, nil); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	var rawDur time.Duration
	for q := 0; q < 100; q++ {
		pager := c.NewListEntitiesPager(&aztables.ListEntitiesOptions{Filter: to.Ptr("PartitionKey eq 'p0' and N ge 0")})
		for pager.More() {
			t0 := time.Now()
			page, err := pager.NextPage(ctx)
			rawDur += time.Since(t0)
			if err != nil || len(page.Entities) != 1000 {
				t.Fatal(err)
			}
		}
	}
	fmt.Println("sdk per query", time.Since(start)/100, rawDur/100)
}
