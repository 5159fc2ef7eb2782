package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/funcemu/funcemu/emulator/clock"
)

type tableEnv struct {
	url    string // service URL with the account
	clock  *clock.Virtual
	client *aztables.ServiceClient
	cred   *aztables.SharedKeyCredential
}

func newTableEnv(t *testing.T) *tableEnv {
	t.Helper()
	clock := newFakeClock()
	store := openTestStore(t, "file", clock)
	srv := httptest.NewServer(NewServer(NewTableService(store), nil, clock, nil))
	t.Cleanup(srv.Close)
	cred, err := aztables.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/" + DevAccountName
	client, err := aztables.NewServiceClientWithSharedKey(url, cred, &aztables.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	return &tableEnv{url: url, clock: clock, client: client, cred: cred}
}

func (env *tableEnv) table(t *testing.T, name string) *aztables.Client {
	t.Helper()
	if _, err := env.client.CreateTable(context.Background(), name, nil); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	return env.client.NewClient(name)
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTableCreateListDelete(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	for _, n := range []string{"alpha", "Beta", "gamma3"} {
		env.table(t, n)
	}
	_, err := env.client.CreateTable(ctx, "BETA", nil)
	wantCode(t, err, 409, "TableAlreadyExists")
	_, err = env.client.CreateTable(ctx, "1bad", nil)
	wantCode(t, err, 400, "InvalidResourceName")
	_, err = env.client.CreateTable(ctx, "ab", nil)
	wantCode(t, err, 400, "OutOfRangeInput")

	var names []string
	pager := env.client.NewListTablesPager(&aztables.ListTablesOptions{Top: to.Ptr[int32](2)})
	pages := 0
	for pager.More() {
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatalf("list tables: %v", err)
		}
		pages++
		for _, tb := range page.Tables {
			names = append(names, *tb.Name)
		}
	}
	if fmt.Sprint(names) != "[alpha Beta gamma3]" || pages != 2 {
		t.Fatalf("tables = %v in %d pages, want [alpha Beta gamma3] in 2", names, pages)
	}
	pager = env.client.NewListTablesPager(&aztables.ListTablesOptions{Filter: to.Ptr("TableName ge 'a' and TableName lt 'b'")})
	page, err := pager.NextPage(ctx)
	if err != nil || len(page.Tables) != 1 || *page.Tables[0].Name != "alpha" {
		t.Fatalf("filtered tables = %+v, %v; want alpha", page.Tables, err)
	}
	if _, err := env.client.DeleteTable(ctx, "beta", nil); err != nil {
		t.Fatalf("delete table: %v", err)
	}
	_, err = env.client.DeleteTable(ctx, "beta", nil)
	wantCode(t, err, 404, "TableNotFound")
	_, err = env.client.NewClient("beta").GetEntity(ctx, "p", "r", nil)
	wantCode(t, err, 404, "TableNotFound")
}

func TestTableEntityTypesRoundTrip(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "typed")
	when := time.Date(2026, 3, 4, 5, 6, 7, 890123400, time.UTC)
	in := aztables.EDMEntity{
		Entity: aztables.Entity{PartitionKey: "p1", RowKey: "r1"},
		Properties: map[string]any{
			"Name":    "Ann",
			"Age":     int32(42),
			"Big":     aztables.EDMInt64(1 << 40),
			"Price":   3.5,
			"Active":  true,
			"When":    aztables.EDMDateTime(when),
			"Id":      aztables.EDMGUID("0c8b7f1a-2a2b-4c4d-8e8f-000000000001"),
			"Payload": aztables.EDMBinary([]byte{0, 1, 2, 255}),
		},
	}
	added, err := c.AddEntity(ctx, mustJSON(t, in), nil)
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	if len(added.ETag) == 0 {
		t.Fatal("add returned no ETag")
	}
	got, err := c.GetEntity(ctx, "p1", "r1", nil)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	var out aztables.EDMEntity
	if err := json.Unmarshal(got.Value, &out); err != nil {
		t.Fatal(err)
	}
	p := out.Properties
	if p["Name"] != "Ann" || p["Age"] != int32(42) || p["Big"] != aztables.EDMInt64(1<<40) || p["Price"] != 3.5 ||
		p["Active"] != true || p["Id"] != aztables.EDMGUID("0c8b7f1a-2a2b-4c4d-8e8f-000000000001") {
		t.Fatalf("properties = %#v; whole %T", p, p["Whole"])
	}
	if w := time.Time(p["When"].(aztables.EDMDateTime)); !w.Equal(when) {
		t.Fatalf("When = %v, want %v", w, when)
	}
	if b := p["Payload"].(aztables.EDMBinary); string(b) != "\x00\x01\x02\xff" {
		t.Fatalf("Payload = %v", b)
	}
	if got.ETag != added.ETag || out.ETag != string(added.ETag) {
		t.Fatalf("ETag get %q / body %q, add %q", got.ETag, out.ETag, added.ETag)
	}
	_, err = c.AddEntity(ctx, mustJSON(t, in), nil)
	wantCode(t, err, 409, "EntityAlreadyExists")
	_, err = c.GetEntity(ctx, "p1", "missing", nil)
	wantStatus(t, err, 404)
}

func wantStatus(t *testing.T, err error, status int) {
	t.Helper()
	if got, _ := azureCode(t, err); got != status {
		t.Fatalf("status %d, want %d (%v)", got, status, err)
	}
}

var _ = azcore.ETag("")

func TestTableQuotedKeys(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	env.table(t, "quoted")
	resp, body := env.raw(t, "POST", "/quoted", nil, `{"PartitionKey":"it's","RowKey":"a''b","V":1}`)
	if resp.StatusCode != 201 {
		t.Fatalf("insert: %d %s", resp.StatusCode, body)
	}
	resp, body = env.raw(t, "GET", keyPath("quoted", "it's", "a''b"), map[string]string{"Accept": "application/json;odata=nometadata"}, "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"PartitionKey":"it's","RowKey":"a''b"`) {
		t.Fatalf("get: %d %s", resp.StatusCode, body)
	}
}
