package rest

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// FuzzTableParseBatch: any $batch body is either refused with an *Error (a
// 400 to the client) or parsed into 1 to 100 operations.
func FuzzTableParseBatch(f *testing.F) {
	env := &tableEnv{url: "http://127.0.0.1/devstoreaccount1"}
	f.Add(tableBatchBody(env, [][3]string{{"POST", "/t", `{"PartitionKey":"p","RowKey":"r"}`}, {"DELETE", "/t(PartitionKey='p',RowKey='r')", ""}}))
	f.Add("--batch_1\r\nContent-Type: application/http\r\n\r\nGET http://x/devstoreaccount1/t() HTTP/1.1\r\n\r\n--batch_1--\r\n")
	f.Add("--batch_1\r\n\r\n--batch_1--")
	f.Fuzz(func(t *testing.T, body string) {
		pb, err := parseTableBatch("multipart/mixed; boundary=batch_1", []byte(body))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 {
				t.Fatalf("error %v is not a 400", err)
			}
			return
		}
		if len(pb.ops) == 0 || len(pb.ops) > maxBatchOps {
			t.Fatalf("%d operations", len(pb.ops))
		}
		for _, op := range pb.ops {
			if op.url == nil || op.method == "" {
				t.Fatalf("operation without method or URL: %+v", op)
			}
			if _, err := parseTableResource(op.url.Path); err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("resource error %v is not an *Error", err)
				}
			}
		}
	})
}

// FuzzParseEntity: any body is refused with a 400 or parsed.
func FuzzParseEntity(f *testing.F) {
	f.Add(`{"PartitionKey":"p","RowKey":"r","A":1,"B@odata.type":"Edm.Int64","B":"5"}`)
	f.Add(`{"A":"x","A@odata.type":"Edm.Guid"}`)
	f.Fuzz(func(t *testing.T, body string) {
		_, _, _, err := parseEntity([]byte(body))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status != 400 {
				t.Fatalf("error %v is not a 400", err)
			}
		}
	})
}

// FuzzTableBatchFastMatches: whenever the fast reading of a $batch body
// succeeds, it gives what mime/multipart's reading gives.
func FuzzTableBatchFastMatches(f *testing.F) {
	env := &tableEnv{url: "http://127.0.0.1/devstoreaccount1"}
	f.Add(tableBatchBody(env, [][3]string{{"POST", "/t", `{"PartitionKey":"p","RowKey":"r"}`}, {"DELETE", "/t(PartitionKey='p',RowKey='r')", ""}}))
	f.Add(tableBatchBody(env, [][3]string{{"MERGE", "/t(PartitionKey='p',RowKey='r')", "{\"A\":\"x\\r\\n--changeset_1\"}\r\n\r\n"}}))
	f.Add("--batch_1\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\n\r\nPUT /t(PartitionKey='a',RowKey='b') HTTP/1.1\r\nIf-Match:  *\t\r\nX-A: 1\r\nx-a: 2\r\n\r\n{}\r\n--cs--\r\n--batch_1--")
	f.Fuzz(func(t *testing.T, body string) {
		fast, ok := parseChangesetFast("batch_1", []byte(body))
		if !ok {
			return
		}
		slow, err := parseBatchParts("batch_1", []byte(body))
		if err != nil {
			t.Fatalf("fast reading succeeded, the generic one failed: %v", err)
		}
		if len(fast.ops) != len(slow.ops) || !fast.changeset || !slow.changeset {
			t.Fatalf("fast: %d operations, generic: %d (changeset %v)", len(fast.ops), len(slow.ops), slow.changeset)
		}
		for i := range fast.ops {
			a, b := fast.ops[i], slow.ops[i]
			if a.method != b.method || a.url.String() != b.url.String() || !bytes.Equal(a.body, b.body) ||
				a.contentID != b.contentID || !reflect.DeepEqual(map[string][]string(a.header), map[string][]string(b.header)) {
				t.Fatalf("operation %d: fast %+v, generic %+v", i, a, b)
			}
		}
	})
}
