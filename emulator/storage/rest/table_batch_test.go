package rest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

// tableBatchBody builds a $batch body with one changeset of operations, each
// "METHOD path body".
func tableBatchBody(env *tableEnv, ops [][3]string) string {
	var b strings.Builder
	b.WriteString("--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n")
	for i, op := range ops {
		fmt.Fprintf(&b, "--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n%s %s%s HTTP/1.1\r\nContent-ID: %d\r\nAccept: application/json;odata=minimalmetadata\r\nContent-Type: application/json\r\n", op[0], env.url, op[1], i+1)
		if op[0] == "DELETE" || op[0] == "MERGE" && strings.Contains(op[1], "(") {
			b.WriteString("If-Match: *\r\n")
		}
		fmt.Fprintf(&b, "\r\n%s\r\n", op[2])
	}
	b.WriteString("--changeset_1--\r\n--batch_1--\r\n")
	return b.String()
}

func TestTableBatchAllOrNothing(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "batched")
	for _, rk := range []string{"exists", "other"} {
		if _, err := c.AddEntity(ctx, entityJSON(t, "p", rk, nil), nil); err != nil {
			t.Fatal(err)
		}
	}
	hdr := map[string]string{"Content-Type": "multipart/mixed; boundary=batch_1"}
	send := func(ops [][3]string) (int, string) {
		resp, body := env.raw(t, "POST", "/$batch", hdr, tableBatchBody(env, ops))
		return resp.StatusCode, body
	}
	// The third operation collides: 202, one failure part naming index 2,
	// and nothing of the batch written.
	status, body := send([][3]string{
		{"POST", "/batched", `{"PartitionKey":"p","RowKey":"a"}`},
		{"MERGE", "/batched(PartitionKey='p',RowKey='other')", `{"X":1}`},
		{"POST", "/batched", `{"PartitionKey":"p","RowKey":"exists"}`},
	})
	if status != 202 || !strings.Contains(body, "HTTP/1.1 409 Conflict") || !strings.Contains(body, `"value":"2:The specified entity already exists.`) ||
		strings.Count(body, "HTTP/1.1 ") != 1 {
		t.Fatalf("failing batch: %d\n%s", status, body)
	}
	if _, err := c.GetEntity(ctx, "p", "a", nil); err == nil {
		t.Fatal("entity a of the failed batch was written")
	}
	if p := getProps(t, c, "p", "other"); p["X"] != nil {
		t.Fatalf("merge of the failed batch was applied: %v", p)
	}
	for name, tc := range map[string]struct {
		ops  [][3]string
		want string
	}{
		"cross partition": {[][3]string{{"POST", "/batched", `{"PartitionKey":"p","RowKey":"a"}`}, {"POST", "/batched", `{"PartitionKey":"q","RowKey":"b"}`}}, "1:All commands in a batch must operate on same entity group."},
		"duplicate row":   {[][3]string{{"POST", "/batched", `{"PartitionKey":"p","RowKey":"a"}`}, {"DELETE", "/batched(PartitionKey='p',RowKey='a')", ""}}, `"InvalidDuplicateRow"`},
		"bad json":        {[][3]string{{"POST", "/batched", `{"PartitionKey":"p","RowKey":"a"}`}, {"POST", "/batched", `{"PartitionKey":`}}, "1:One of the request inputs is not valid."},
	} {
		status, body := send(tc.ops)
		if status != 202 || !strings.Contains(body, "HTTP/1.1 400 Bad Request") || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d\n%s", name, status, body)
		}
	}
	if _, err := c.GetEntity(ctx, "p", "a", nil); err == nil {
		t.Fatal("an entity of a rejected batch was written")
	}
	// Over 100 operations is refused as a whole.
	var many [][3]string
	for i := 0; i < 101; i++ {
		many = append(many, [3]string{"POST", "/batched", fmt.Sprintf(`{"PartitionKey":"p","RowKey":"m%d"}`, i)})
	}
	if status, body := send(many); status != 400 || !strings.Contains(body, `"InvalidInput"`) {
		t.Fatalf("101 operations: %d %s", status, body)
	}
	// A good batch through the SDK: insert, upsert, delete.
	_, err := c.SubmitTransaction(ctx, []aztables.TransactionAction{
		{ActionType: aztables.TransactionTypeAdd, Entity: entityJSON(t, "p", "b1", map[string]any{"V": int32(1)})},
		{ActionType: aztables.TransactionTypeInsertReplace, Entity: entityJSON(t, "p", "b2", map[string]any{"V": int32(2)})},
		{ActionType: aztables.TransactionTypeUpdateMerge, Entity: entityJSON(t, "p", "exists", map[string]any{"V": int32(3)})},
		{ActionType: aztables.TransactionTypeDelete, Entity: entityJSON(t, "p", "gone", nil)},
	}, nil)
	if err == nil {
		t.Fatal("a batch deleting a missing entity succeeded")
	}
	resp, err := c.SubmitTransaction(ctx, []aztables.TransactionAction{
		{ActionType: aztables.TransactionTypeAdd, Entity: entityJSON(t, "p", "b1", map[string]any{"V": int32(1)})},
		{ActionType: aztables.TransactionTypeInsertReplace, Entity: entityJSON(t, "p", "b2", map[string]any{"V": int32(2)})},
		{ActionType: aztables.TransactionTypeUpdateMerge, Entity: entityJSON(t, "p", "exists", map[string]any{"V": int32(3)})},
	}, nil)
	if err != nil {
		t.Fatalf("batch: %v (%+v)", err, resp)
	}
	if p := getProps(t, c, "p", "exists"); p["V"] != int32(3) {
		t.Fatalf("merge in batch: %v", p)
	}
	if p := getProps(t, c, "p", "b2"); p["V"] != int32(2) {
		t.Fatalf("upsert in batch: %v", p)
	}
}

// bodyRecorder is an SDK transport keeping the last request's body.
type bodyRecorder struct {
	contentType string
	body        []byte
}

func (r *bodyRecorder) Do(req *http.Request) (*http.Response, error) {
	r.contentType = req.Header.Get("Content-Type")
	r.body, _ = io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(r.body))
	return http.DefaultClient.Do(req)
}

// TestBatchFastReadsSDKBodies: the bodies aztables and the tests send take
// the fast reading of a $batch, which gives the generic reading's result.
func TestBatchFastReadsSDKBodies(t *testing.T) {
	t.Parallel()
	store := openTestStore(t, "file", newFakeClock())
	srv := httptest.NewServer(NewServer(NewTableService(store), nil, nil, nil))
	t.Cleanup(srv.Close)
	cred, err := aztables.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	if err != nil {
		t.Fatal(err)
	}
	rec := &bodyRecorder{}
	svc, err := aztables.NewServiceClientWithSharedKey(srv.URL+"/"+DevAccountName, cred, &aztables.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.CreateTable(ctx, "fast", nil); err != nil {
		t.Fatal(err)
	}
	c := svc.NewClient("fast")
	actions := []aztables.TransactionAction{
		{ActionType: aztables.TransactionTypeAdd, Entity: entityJSON(t, "p", "a", map[string]any{"N": int32(1)})},
		{ActionType: aztables.TransactionTypeInsertMerge, Entity: entityJSON(t, "p", "b", map[string]any{"S": "x"})},
		{ActionType: aztables.TransactionTypeInsertReplace, Entity: entityJSON(t, "p", "c", nil)},
	}
	if _, err := c.SubmitTransaction(ctx, actions, nil); err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(rec.contentType)
	if err != nil {
		t.Fatal(err)
	}
	env := &tableEnv{url: "http://127.0.0.1/devstoreaccount1"}
	bodies := map[string][]byte{
		params["boundary"]: rec.body,
		"batch_1":          []byte(tableBatchBody(env, [][3]string{{"POST", "/t", `{"PartitionKey":"p","RowKey":"r"}`}, {"DELETE", "/t(PartitionKey='p',RowKey='r')", ""}})),
	}
	for boundary, body := range bodies {
		fast, ok := parseChangesetFast(boundary, body)
		if !ok {
			t.Fatalf("the fast reading refused:\n%s", body)
		}
		slow, err := parseBatchParts(boundary, body)
		if err != nil || len(slow.ops) != len(fast.ops) {
			t.Fatalf("generic reading: %v, %d operations, fast %d", err, len(slow.ops), len(fast.ops))
		}
		for i := range fast.ops {
			if !reflect.DeepEqual(fast.ops[i].header, slow.ops[i].header) || !bytes.Equal(fast.ops[i].body, slow.ops[i].body) {
				t.Errorf("operation %d differs: fast %+v, generic %+v", i, fast.ops[i], slow.ops[i])
			}
		}
	}
}
