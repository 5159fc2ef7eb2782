package azstore

import (
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// embedded stand-ins: only their identity matters here.
type embeddedQueues struct{ emulator.QueueStore }
type embeddedBlobs struct{ emulator.BlobStore }

func TestStoresPickTheStore(t *testing.T) {
	settings := map[string]string{
		"AzureWebJobsStorage": "UseDevelopmentStorage=true",
		"Prod":                "AccountName=myacct;AccountKey=a2V5MQ==",
		"Other":               "AccountName=myacct;AccountKey=a2V5MQ==",
	}
	eq, eb := &embeddedQueues{}, &embeddedBlobs{}
	tests := []struct {
		mode       Mode
		connection string
		remote     bool
	}{
		{ModeAuto, "", false},
		{ModeAuto, "Prod", true},
		{ModeAuto, "Unset", false},
		{ModeEmbedded, "Prod", false},
		{ModeRemote, "", true},
		{ModeRemote, "Prod", true},
	}
	for _, tc := range tests {
		s := &Stores{Lookup: lookupIn(settings), Mode: tc.mode, EmbeddedQueues: eq, EmbeddedBlobs: eb}
		q, qa, err := s.Queues(tc.connection)
		if err != nil {
			t.Fatalf("%s %q: %v", tc.mode, tc.connection, err)
		}
		b, ba, err := s.Blobs(tc.connection)
		if err != nil {
			t.Fatalf("%s %q: %v", tc.mode, tc.connection, err)
		}
		_, remoteQ := q.(*QueueStore)
		_, remoteB := b.(*BlobStore)
		if remoteQ != tc.remote || remoteB != tc.remote || (qa != nil) != tc.remote || (ba != nil) != tc.remote {
			t.Errorf("%s %q: queue %T blob %T, want remote=%v", tc.mode, tc.connection, q, b, tc.remote)
		}
		if !tc.remote && (q != emulator.QueueStore(eq) || b != emulator.BlobStore(eb)) {
			t.Errorf("%s %q: not the embedded stores", tc.mode, tc.connection)
		}
	}

	s := &Stores{Lookup: lookupIn(settings), Mode: ModeAuto}
	q1, _, _ := s.Queues("Prod")
	q2, _, _ := s.Queues("Prod")
	q3, _, _ := s.Queues("Other")
	if q1 != q2 || q1 == q3 {
		t.Errorf("stores: one per setting and account expected (same %v, other %v)", q1 == q2, q1 == q3)
	}
	if _, _, err := (&Stores{Lookup: lookupIn(settings), Mode: ModeRemote}).Queues("Unset"); err == nil {
		t.Error("remote mode with an unset connection: no error")
	}
}

func TestStoresCheckNamesFunctionBindingAndSetting(t *testing.T) {
	app := &emulator.App{Functions: []*emulator.Function{
		{Name: "Http", Bindings: []*emulator.Binding{{Type: "httpTrigger", Name: "req", Connection: "Broken"}}},
		{Name: "Orders", Bindings: []*emulator.Binding{
			{Type: "queueTrigger", Name: "msg", Connection: "Broken"},
			{Type: "blob", Name: "out", Connection: ""},
		}},
		{Name: "Off", Disabled: true, Bindings: []*emulator.Binding{{Type: "blobTrigger", Name: "b", Connection: "Broken"}}},
	}}
	s := &Stores{Lookup: lookupIn(map[string]string{
		"AzureWebJobsStorage": "UseDevelopmentStorage=true",
		"Broken":              "AccountName=myacct;AccountKey=***",
	}), Mode: ModeAuto}
	err := s.Check(app)
	if err == nil {
		t.Fatal("no error for a broken connection string")
	}
	want := `function Orders, binding "msg" (queueTrigger): setting Broken: connection string: AccountKey is not valid base64`
	if err.Error() != want {
		t.Errorf("error:\n%s\nwant\n%s", err, want)
	}
	if strings.Contains(err.Error(), "***") {
		t.Error("the key is shown")
	}
}
