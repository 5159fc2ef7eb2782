package bindings

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func manualRequest(fn *emulator.Function, input string) *emulator.InvokeRequest {
	return &emulator.InvokeRequest{Function: fn.Name, Trigger: emulator.TriggerManual,
		Data: map[string]any{fn.Trigger().Name: input}, Metadata: map[string]any{},
		Input: &emulator.Input{Manual: &emulator.ManualInput{Input: input}}}
}

func TestManualQueueInvocationGetsBindingData(t *testing.T) {
	in := &emulator.Binding{Type: "blob", Direction: "in", Name: "doc", Path: "docs/{id}.txt"}
	fn := queueFunction(in)
	in.Direction = "in"
	f := newFixture("base64", fn)
	f.blobs.Put("docs", "5.txt", "five", emulator.WriteBlob{})
	req := manualRequest(fn, `{"id":5}`)
	if err := f.b.Read(context.Background(), fn, req); err != nil {
		t.Fatal(err)
	}
	if req.Metadata["QueueTrigger"] != `{"id":5}` || req.Metadata["id"] != "5" || req.Data["msg"] != `{"id":5}` {
		t.Errorf("request = %+v", req)
	}
	if _, ok := req.Metadata["Id"]; ok {
		t.Error("a hand-made message has no Id")
	}
	if req.Data["doc"] != "five" {
		t.Errorf("blob input = %#v", req.Data["doc"])
	}
}

func TestManualBlobInvocationReadsTheBlob(t *testing.T) {
	fn := &emulator.Function{Name: "Thumb", Bindings: []*emulator.Binding{
		{Type: "blobTrigger", Direction: "in", Name: "image", Path: "images/{stem}.{ext}"}}}
	f := newFixture("base64", fn)
	f.blobs.Put("images", "cat.png", "pixels", emulator.WriteBlob{ParentID: "writer"})
	req := manualRequest(fn, "images/cat.png")
	if err := f.b.Read(context.Background(), fn, req); err != nil {
		t.Fatal(err)
	}
	if req.Data["image"] != "pixels" || req.Metadata["stem"] != "cat" || req.Metadata["BlobTrigger"] != "images/cat.png" || req.ParentID != "writer" {
		t.Errorf("request = %+v", req)
	}

	tests := []struct{ input, wantErr string }{
		{"cat.png", `the input of a blob trigger is the blob's path "container/blob", found "cat.png"`},
		{"images/dog.png", `function Thumb: blob trigger input "images/dog.png"`},
	}
	for _, tc := range tests {
		err := f.b.Read(context.Background(), fn, manualRequest(fn, tc.input))
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("input %q: err = %v, want %q", tc.input, err, tc.wantErr)
		}
	}
}

func TestManualEventGridInvocationBindsTheEvent(t *testing.T) {
	fn := &emulator.Function{Name: "OnEvent", Bindings: []*emulator.Binding{
		{Type: "eventGridTrigger", Direction: "in", Name: "ev"}}}
	f := newFixture("base64", fn)
	req := manualRequest(fn, `{"id":"1","subject":"s","eventType":"T","data":{"n":1},"dataVersion":"1"}`)
	if err := f.b.Read(context.Background(), fn, req); err != nil {
		t.Fatal(err)
	}
	if got, _ := req.Data["ev"].(string); !strings.HasPrefix(got, "{\n  \"id\": \"1\",\n  \"subject\": \"s\"") {
		t.Errorf("Data.ev = %q", req.Data["ev"])
	}
	if got := fmt.Sprintf("%s", req.Metadata["data"]); got != `{"n":1}` {
		t.Errorf("Metadata.data = %s", got)
	}
	bad := manualRequest(fn, `not json`)
	if err := f.b.Read(context.Background(), fn, bad); err == nil || !strings.Contains(err.Error(), "one event as a JSON object") {
		t.Errorf("bad input: %v", err)
	}
}
