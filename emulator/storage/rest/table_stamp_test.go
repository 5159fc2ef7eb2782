package rest

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// A query's odata.etag and Timestamp (written from the stored text) are
// the ones a point read's ETag header and body carry, also after an
// update within the same clock tick.
func TestTableQueryETagMatchesPointRead(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "stamps")
	if _, err := c.AddEntity(ctx, entityJSON(t, "p", "a", map[string]any{"N": 1}), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpsertEntity(ctx, entityJSON(t, "p", "a", map[string]any{"N": 2}), nil); err != nil {
		t.Fatal(err)
	}
	accept := map[string]string{"Accept": "application/json;odata=minimalmetadata"}
	get, body := env.raw(t, "GET", "/stamps(PartitionKey='p',RowKey='a')", accept, "")
	var one map[string]any
	if err := json.Unmarshal([]byte(body), &one); err != nil || get.StatusCode != 200 {
		t.Fatalf("get: %d %v %s", get.StatusCode, err, body)
	}
	_, body = env.raw(t, "GET", "/stamps()", accept, "")
	var page struct{ Value []map[string]any }
	if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Value) != 1 {
		t.Fatalf("query: %v %s", err, body)
	}
	q := page.Value[0]
	if etag := get.Header.Get("ETag"); q["odata.etag"] != etag || one["odata.etag"] != etag {
		t.Fatalf("ETags differ: header %q, get %v, query %v", etag, one["odata.etag"], q["odata.etag"])
	}
	if q["Timestamp"] != one["Timestamp"] || q["N"] != float64(2) {
		t.Fatalf("query %v, get %v", q, one)
	}
}

// jsonScalar's shortcuts agree with the decoder it replaces.
func TestJSONScalarMatchesDecoder(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`"plain"`, `""`, `"with \"quote\" and \u00e9"`, "\"bad \xff utf8\"", `"<&>"`, `0`, `-12`, `3.5e10`, `12345678901234567890`, `true`, `false`, `null`, `{"a":1}`, `[1]`} {
		got, err := jsonScalar(json.RawMessage(raw))
		dec := json.NewDecoder(strings.NewReader(raw))
		dec.UseNumber()
		var want any
		wantErr := dec.Decode(&want)
		if (err != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %#v, %v; want %#v, %v", raw, got, err, want, wantErr)
		}
	}
}
