package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

func entityJSON(t *testing.T, pk, rk string, props map[string]any) []byte {
	t.Helper()
	return mustJSON(t, aztables.EDMEntity{Entity: aztables.Entity{PartitionKey: pk, RowKey: rk}, Properties: props})
}

func getProps(t *testing.T, c *aztables.Client, pk, rk string) map[string]any {
	t.Helper()
	got, err := c.GetEntity(context.Background(), pk, rk, nil)
	if err != nil {
		t.Fatalf("get %s/%s: %v", pk, rk, err)
	}
	var e aztables.EDMEntity
	if err := json.Unmarshal(got.Value, &e); err != nil {
		t.Fatal(err)
	}
	return e.Properties
}

func TestTableUpdateMergeUpsertDelete(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "orders")
	added, err := c.AddEntity(ctx, entityJSON(t, "p", "1", map[string]any{"A": "a", "B": int32(1)}), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Replace with the current ETag drops B.
	upd, err := c.UpdateEntity(ctx, entityJSON(t, "p", "1", map[string]any{"A": "a2"}), &aztables.UpdateEntityOptions{IfMatch: &added.ETag, UpdateMode: aztables.UpdateModeReplace})
	if err != nil {
		t.Fatalf("replace: %v", err)
	}
	if upd.ETag == added.ETag {
		t.Fatal("replace kept the ETag")
	}
	if p := getProps(t, c, "p", "1"); p["A"] != "a2" || p["B"] != nil {
		t.Fatalf("after replace: %v", p)
	}
	// The old ETag no longer matches.
	_, err = c.UpdateEntity(ctx, entityJSON(t, "p", "1", map[string]any{"A": "x"}), &aztables.UpdateEntityOptions{IfMatch: &added.ETag, UpdateMode: aztables.UpdateModeReplace})
	wantCode(t, err, 412, "UpdateConditionNotSatisfied")
	// Merge with * keeps A and adds C.
	star := azcore.ETagAny
	if _, err := c.UpdateEntity(ctx, entityJSON(t, "p", "1", map[string]any{"C": true}), &aztables.UpdateEntityOptions{IfMatch: &star, UpdateMode: aztables.UpdateModeMerge}); err != nil {
		t.Fatalf("merge: %v", err)
	}
	if p := getProps(t, c, "p", "1"); p["A"] != "a2" || p["C"] != true {
		t.Fatalf("after merge: %v", p)
	}
	// Update of a missing entity with If-Match fails; upsert creates it.
	_, err = c.UpdateEntity(ctx, entityJSON(t, "p", "2", map[string]any{"A": "x"}), &aztables.UpdateEntityOptions{IfMatch: &star, UpdateMode: aztables.UpdateModeReplace})
	wantStatus(t, err, 404)
	if _, err := c.UpsertEntity(ctx, entityJSON(t, "p", "2", map[string]any{"A": "new"}), &aztables.UpsertEntityOptions{UpdateMode: aztables.UpdateModeMerge}); err != nil {
		t.Fatalf("upsert merge (insert): %v", err)
	}
	if _, err := c.UpsertEntity(ctx, entityJSON(t, "p", "2", map[string]any{"B": int32(2)}), &aztables.UpsertEntityOptions{UpdateMode: aztables.UpdateModeMerge}); err != nil {
		t.Fatalf("upsert merge: %v", err)
	}
	if p := getProps(t, c, "p", "2"); p["A"] != "new" || p["B"] != int32(2) {
		t.Fatalf("after upsert merge: %v", p)
	}
	if _, err := c.UpsertEntity(ctx, entityJSON(t, "p", "2", map[string]any{"Z": "only"}), &aztables.UpsertEntityOptions{UpdateMode: aztables.UpdateModeReplace}); err != nil {
		t.Fatalf("upsert replace: %v", err)
	}
	if p := getProps(t, c, "p", "2"); p["A"] != nil || p["Z"] != "only" {
		t.Fatalf("after upsert replace: %v", p)
	}
	// Delete: a stale ETag fails, * succeeds, a second delete is 404.
	_, err = c.DeleteEntity(ctx, "p", "1", &aztables.DeleteEntityOptions{IfMatch: &added.ETag})
	wantCode(t, err, 412, "UpdateConditionNotSatisfied")
	if _, err := c.DeleteEntity(ctx, "p", "1", nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	_, err = c.DeleteEntity(ctx, "p", "1", nil)
	wantStatus(t, err, 404)
}

func TestTableQueryFilters(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "people")
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 10; i++ {
		props := map[string]any{
			"Name":  fmt.Sprintf("n%d", i),
			"Age":   int32(20 + i),
			"Big":   aztables.EDMInt64(int64(i) << 40),
			"Score": float64(i) + 0.5,
			"Even":  i%2 == 0,
			"Born":  aztables.EDMDateTime(base.AddDate(i, 0, 0)),
			"Id":    aztables.EDMGUID(fmt.Sprintf("00000000-0000-0000-0000-00000000000%d", i)),
			"Bin":   aztables.EDMBinary([]byte{byte(i)}),
		}
		if i == 3 {
			props["Quote"] = "it's"
		}
		if _, err := c.AddEntity(ctx, entityJSON(t, fmt.Sprintf("p%d", i%2), fmt.Sprintf("r%02d", i), props), nil); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ filter, want string }{
		{"PartitionKey eq 'p0'", "r00 r02 r04 r06 r08"},
		{"PartitionKey eq 'p1' and RowKey gt 'r05'", "r07 r09"},
		{"Age ge 27 or Name eq 'n0'", "r00 r07 r08 r09"},
		{"not (Age lt 28)", "r08 r09"},
		{"Big eq 2199023255552L", "r02"},
		{"Big gt 7696581394432L", "r08 r09"},
		{"Score gt 8.0", "r08 r09"},
		{"Score lt 1", "r00"},
		{"Even eq true and Age gt 25", "r06 r08"},
		{"Born ge datetime'2027-01-01T00:00:00Z'", "r07 r08 r09"},
		{"Id eq guid'00000000-0000-0000-0000-000000000004'", "r04"},
		{"Bin eq X'05'", "r05"},
		{"Bin eq binary'06'", "r06"},
		{"Quote eq 'it''s'", "r03"},
		{"Age eq 22L", ""},     // an Int64 literal never matches an Int32
		{"Missing eq 'x'", ""}, // a missing property never matches
		{"(Age eq 20) and ((Name eq 'n0'))", "r00"},
		{"Timestamp gt datetime'2000-01-01T00:00:00Z' and Age eq 21", "r01"},
	}
	for _, tc := range cases {
		pager := c.NewListEntitiesPager(&aztables.ListEntitiesOptions{Filter: to.Ptr(tc.filter)})
		var got []string
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				t.Fatalf("%s: %v", tc.filter, err)
			}
			for _, raw := range page.Entities {
				var e aztables.Entity
				_ = json.Unmarshal(raw, &e)
				got = append(got, e.RowKey)
			}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%s: got %v, want %s", tc.filter, got, tc.want)
		}
	}
}

func TestTableQueryPagingSelectTop(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "paged")
	var ops []aztables.TransactionAction
	for i := 0; i < 25; i++ {
		ops = append(ops, aztables.TransactionAction{ActionType: aztables.TransactionTypeAdd,
			Entity: entityJSON(t, "p", fmt.Sprintf("%03d", i), map[string]any{"N": int32(i), "Other": "x"})})
	}
	if _, err := c.SubmitTransaction(ctx, ops, nil); err != nil {
		t.Fatalf("batch: %v", err)
	}
	pager := c.NewListEntitiesPager(&aztables.ListEntitiesOptions{Top: to.Ptr[int32](10), Select: to.Ptr("RowKey,N")})
	pages, seen := 0, 0
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, raw := range page.Entities {
			var m map[string]any
			_ = json.Unmarshal(raw, &m)
			if m["Other"] != nil || m["PartitionKey"] != nil || m["N"] != float64(seen) {
				t.Fatalf("entity %d with $select=RowKey,N: %v", seen, m)
			}
			seen++
		}
	}
	if pages != 3 || seen != 25 {
		t.Fatalf("pages=%d entities=%d, want 3 and 25", pages, seen)
	}
}
