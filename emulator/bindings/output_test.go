package bindings

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

type fixture struct {
	clock  *clock.Virtual
	queues *triggertest.Queues
	blobs  *triggertest.Blobs
	b      *Bindings
}

func newFixture(encoding string, fns ...*emulator.Function) *fixture {
	clock := triggertest.NewClock(epoch)
	f := &fixture{clock: clock, queues: triggertest.NewQueues(clock), blobs: triggertest.NewBlobs(clock)}
	app := &emulator.App{Host: emulator.HostConfig{Queues: emulator.QueuesOptions{MessageEncoding: encoding}}, Functions: fns}
	acc := triggertest.Accounts{Queues: f.queues, Blobs: f.blobs}
	f.b = New(Options{App: app, QueueStore: acc.Queue, BlobStore: acc.Blob, Clock: clock})
	return f
}

func queueFunction(outputs ...*emulator.Binding) *emulator.Function {
	bs := []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "msg", QueueName: "orders"}}
	for _, o := range outputs {
		o.Direction = "out"
	}
	return &emulator.Function{Name: "Route", Bindings: append(bs, outputs...)}
}

func queueInvocation(body string) *emulator.Invocation {
	return queueInvocationEncoded(base64.StdEncoding.EncodeToString([]byte(body)))
}

// queueInvocationEncoded takes the message text as stored.
func queueInvocationEncoded(text string) *emulator.Invocation {
	return &emulator.Invocation{ID: "inv-1", Input: &emulator.Input{Queue: &emulator.QueueMessage{
		Queue: "orders", ID: "m1", Body: text, DequeueCount: 1, InsertionTime: epoch,
	}}}
}

func value(b *emulator.Binding, v string) *emulator.OutputValue {
	return &emulator.OutputValue{Binding: b, Value: json.RawMessage(v)}
}

func TestQueueOutputFansOutWithEncodingAndParent(t *testing.T) {
	tests := []struct {
		encoding string
		stored   string
		wantText []string
	}{
		{"base64", base64.StdEncoding.EncodeToString([]byte(`{"region":"EU"}`)), []string{base64.StdEncoding.EncodeToString([]byte("a")), base64.StdEncoding.EncodeToString([]byte("b"))}},
		{"none", `{"region":"EU"}`, []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.encoding, func(t *testing.T) {
			out := &emulator.Binding{Type: "queue", Name: "next", QueueName: "Shipping-{region}"}
			fn := queueFunction(out)
			f := newFixture(tc.encoding, fn)
			written, err := f.b.Write(context.Background(), fn, queueInvocationEncoded(tc.stored), map[string]*emulator.OutputValue{"next": value(out, `["a","b"]`)})
			if err != nil {
				t.Fatal(err)
			}
			msgs := f.queues.Messages("shipping-eu")
			if len(msgs) != 2 || msgs[0].Text != tc.wantText[0] || msgs[1].Text != tc.wantText[1] {
				t.Fatalf("messages = %+v", msgs)
			}
			for _, m := range msgs {
				if m.ParentID != "inv-1" {
					t.Errorf("ParentID = %q", m.ParentID)
				}
			}
			if len(written) != 2 || written[0].Queue.Queue != "shipping-eu" || written[1].Queue.Message != "b" || written[0].Binding != "next" {
				t.Errorf("written = %+v", written)
			}
		})
	}
}

func TestBlobOutputResolvesPathAndCreatesContainer(t *testing.T) {
	out := &emulator.Binding{Type: "blob", Name: "$return", Path: "archive/{DateTime:yyyy-MM-dd}/{queueTrigger}-{sys.MethodName}.txt"}
	fn := queueFunction(out)
	f := newFixture("base64", fn)
	written, err := f.b.Write(context.Background(), fn, queueInvocation("abc"), map[string]*emulator.OutputValue{"$return": value(out, `"stored"`)})
	if err != nil {
		t.Fatal(err)
	}
	name := "2024-05-01/abc-Route.txt"
	if got, ok := f.blobs.Content("archive", name); !ok || got != "stored" {
		t.Fatalf("blob = %q, %v; have %v", got, ok, f.blobs.Names("archive"))
	}
	if info := f.blobs.Info("archive", name); info.ParentID != "inv-1" {
		t.Errorf("ParentID = %q", info.ParentID)
	}
	if len(written) != 1 || written[0].Blob.Container != "archive" || written[0].Blob.Name != name || string(written[0].Blob.Content) != "stored" {
		t.Errorf("written = %+v", written)
	}
}

func TestBlobOutputFromBlobTriggerCaptures(t *testing.T) {
	out := &emulator.Binding{Type: "blob", Direction: "out", Name: "copy", Path: "out/{stem}.{ext}.bak"}
	fn := &emulator.Function{Name: "Copy", Bindings: []*emulator.Binding{
		{Type: "blobTrigger", Direction: "in", Name: "in", Path: "in/{stem}.{ext}"}, out}}
	f := newFixture("base64", fn)
	inv := &emulator.Invocation{ID: "inv-2", Input: &emulator.Input{Blob: &emulator.BlobInput{Container: "in", Name: "a.b.c.txt"}}}
	if _, err := f.b.Write(context.Background(), fn, inv, map[string]*emulator.OutputValue{"copy": {Binding: out, Binary: []byte{1, 2}}}); err != nil {
		t.Fatal(err)
	}
	if got, ok := f.blobs.Content("out", "a.b.c.txt.bak"); !ok || got != "\x01\x02" {
		t.Fatalf("blob = %q, %v; have %v", got, ok, f.blobs.Names("out"))
	}
}

func TestOutputErrorsNameFunctionAndBinding(t *testing.T) {
	tests := []struct {
		name    string
		out     *emulator.Binding
		value   string
		wantErr string
	}{
		{"unknown expression", &emulator.Binding{Type: "queue", Name: "next", QueueName: "q-{missing}"}, `"x"`, `function Route: binding "next": queueName "q-{missing}"`},
		{"path without blob", &emulator.Binding{Type: "blob", Name: "file", Path: "{queueTrigger}"}, `"x"`, `function Route: binding "file": path "{queueTrigger}" resolved to "abc", which is not container/blob`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fn := queueFunction(tc.out)
			f := newFixture("base64", fn)
			_, err := f.b.Write(context.Background(), fn, queueInvocation("abc"), map[string]*emulator.OutputValue{tc.out.Name: value(tc.out, tc.value)})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestBlobInputReadsResolvedPath(t *testing.T) {
	in := &emulator.Binding{Type: "blob", Direction: "in", Name: "doc", Path: "docs/{id}.json"}
	bin := &emulator.Binding{Type: "blob", Direction: "in", Name: "raw", Path: "docs/{id}.json", DataType: "binary"}
	gone := &emulator.Binding{Type: "blob", Direction: "in", Name: "gone", Path: "docs/none-{id}"}
	fn := &emulator.Function{Name: "Load", Bindings: []*emulator.Binding{
		{Type: "queueTrigger", Direction: "in", Name: "msg", QueueName: "q"}, in, bin, gone}}
	f := newFixture("base64", fn)
	f.blobs.Put("docs", "42.json", `{"ok":true}`, emulator.WriteBlob{})
	req := &emulator.InvokeRequest{Function: "Load", Data: map[string]any{"msg": `{"id":42}`}, Metadata: map[string]any{"id": "42"}}
	if err := f.b.Read(context.Background(), fn, req); err != nil {
		t.Fatal(err)
	}
	if req.Data["doc"] != `{"ok":true}` {
		t.Errorf("doc = %#v", req.Data["doc"])
	}
	if raw, ok := req.Data["raw"].([]byte); !ok || string(raw) != `{"ok":true}` {
		t.Errorf("raw = %#v", req.Data["raw"])
	}
	if _, ok := req.Data["gone"]; ok {
		t.Error("a missing blob should give no value")
	}
}

func TestBindingDataFromInputs(t *testing.T) {
	fn := &emulator.Function{Name: "F", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in", Name: "req"}}}
	f := newFixture("base64", fn)
	d := f.b.dataOf(fn, &emulator.Input{HTTP: &emulator.HTTPRequest{URL: "/api/f?name=ann&code=secret", Body: []byte(`{"n":7}`)}})
	if d["name"] != "ann" || d["n"] != "7" {
		t.Errorf("data = %v", d)
	}
	if _, ok := d["code"]; ok {
		t.Error("code must not be binding data")
	}
}

func TestConnectionErrorsNameFunctionBindingAndSetting(t *testing.T) {
	out := &emulator.Binding{Type: "queue", Name: "next", QueueName: "q", Connection: "Prod"}
	fn := queueFunction(out)
	f := newFixture("base64", fn)
	f.b.opts.QueueStore = func(connection string) (emulator.QueueStore, error) {
		return nil, errors.New("the setting is not a connection string")
	}
	_, err := f.b.Write(context.Background(), fn, queueInvocation("x"), map[string]*emulator.OutputValue{"next": value(out, `"m"`)})
	if err == nil || !strings.Contains(err.Error(), `function Route: binding "next": connection "Prod": the setting is not a connection string`) {
		t.Errorf("err = %v", err)
	}
}

func TestDryRunRecordsOutputsWithoutWriting(t *testing.T) {
	msg := &emulator.Binding{Type: "queue", Name: "next", QueueName: "shipping"}
	doc := &emulator.Binding{Type: "blob", Name: "doc", Path: "archive/{queueTrigger}.txt"}
	fn := queueFunction(msg, doc)
	f := newFixture("base64", fn)
	ctx := emulator.WithDryRun(context.Background())
	written, err := f.b.Write(ctx, fn, queueInvocation("abc"), map[string]*emulator.OutputValue{
		"next": value(msg, `["a","b"]`),
		"doc":  value(doc, `"stored"`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 3 || written[0].Queue.Queue != "shipping" || written[1].Queue.Message != "b" ||
		written[2].Blob.Name != "abc.txt" || string(written[2].Blob.Content) != "stored" {
		t.Fatalf("recorded = %+v", written)
	}
	if n, err := f.queues.Count(context.Background(), "shipping"); err == nil && n != 0 {
		t.Errorf("dry run wrote %d messages", n)
	}
	if _, ok := f.blobs.Content("archive", "abc.txt"); ok {
		t.Error("dry run wrote the blob")
	}
}
