package eventgrid

import (
	"encoding/json"
	"testing"
	"time"
)

func TestBlobCreatedHasAzureStorageFields(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 12, 2, 8, 0, 0, 123456700, time.UTC)
	requestID := "831e1650-001e-001b-66ab-eeb76e000000"
	e := BlobEvent(BlobChange{Account: "devstoreaccount1", Container: "photos", Name: "2026/a b.png", API: "PutBlockList",
		ETag: `"0x8D4BCC2E4835CD0"`, ContentType: "image/png", ContentLength: 524288, BlobType: "BlockBlob",
		RequestID: requestID, ClientRequestID: "client-1", BlobEndpoint: "http://127.0.0.1:10000/devstoreaccount1", Time: when})
	var got struct {
		Topic, Subject, EventType, ID, DataVersion, MetadataVersion, EventTime string
		Data                                                                   struct {
			API, ClientRequestID, RequestID, ETag, ContentType, BlobType, URL, Sequencer string
			ContentLength                                                                int64
			StorageDiagnostics                                                           struct{ BatchID string }
		}
	}
	if err := json.Unmarshal(e.JSON(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"topic":           {got.Topic, "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/funcemu/providers/Microsoft.Storage/storageAccounts/devstoreaccount1"},
		"subject":         {got.Subject, "/blobServices/default/containers/photos/blobs/2026/a b.png"},
		"eventType":       {got.EventType, "Microsoft.Storage.BlobCreated"},
		"eventTime":       {got.EventTime, "2026-12-02T08:00:00.1234567Z"},
		"dataVersion":     {got.DataVersion, ""},
		"metadataVersion": {got.MetadataVersion, "1"},
		"data.api":        {got.Data.API, "PutBlockList"},
		"data.requestId":  {got.Data.RequestID, requestID},
		"data.clientId":   {got.Data.ClientRequestID, "client-1"},
		"data.eTag":       {got.Data.ETag, "0x8D4BCC2E4835CD0"},
		"data.type":       {got.Data.ContentType, "image/png"},
		"data.blobType":   {got.Data.BlobType, "BlockBlob"},
		"data.url":        {got.Data.URL, "http://127.0.0.1:10000/devstoreaccount1/photos/2026/a%20b.png"},
	}
	for k, v := range want {
		if v[0] != v[1] {
			t.Errorf("%s = %q, want %q", k, v[0], v[1])
		}
	}
	if got.Data.ContentLength != 524288 || len(got.Data.Sequencer) != 32 || got.Data.StorageDiagnostics.BatchID == "" {
		t.Errorf("contentLength %d, sequencer %q, batchId %q", got.Data.ContentLength, got.Data.Sequencer, got.Data.StorageDiagnostics.BatchID)
	}
	if got.ID[:24] != requestID[:24] || got.ID == requestID {
		t.Errorf("id %q should share its first 24 digits with the request id %q", got.ID, requestID)
	}
	c, n, err := ParseBlobURL(got.Data.URL)
	if err != nil || c != "photos" || n != "2026/a b.png" {
		t.Errorf("ParseBlobURL = %q %q %v", c, n, err)
	}
}

func TestBlobDeletedHasNoETagOrLength(t *testing.T) {
	t.Parallel()
	e := BlobEvent(BlobChange{Account: "devstoreaccount1", Container: "c", Name: "n", Deleted: true, API: "DeleteBlob", ETag: `"0x1"`})
	if e.Type() != BlobDeleted {
		t.Errorf("type %q", e.Type())
	}
	var data map[string]any
	json.Unmarshal(e.Data(), &data)
	if _, ok := data["eTag"]; ok {
		t.Error("BlobDeleted has an eTag")
	}
	if _, ok := data["contentLength"]; ok {
		t.Error("BlobDeleted has a contentLength")
	}
	if data["api"] != "DeleteBlob" || data["url"] != "https://devstoreaccount1.blob.core.windows.net/c/n" {
		t.Errorf("data = %v", data)
	}
}

func TestSequencerSortsInWriteOrder(t *testing.T) {
	a, b := nextSequencer(), nextSequencer()
	if !(a < b) {
		t.Errorf("%s is not before %s", a, b)
	}
}

func TestParseBlobURLHostStyle(t *testing.T) {
	t.Parallel()
	c, n, err := ParseBlobURL("https://acct.blob.core.windows.net/box/dir/file.txt")
	if err != nil || c != "box" || n != "dir/file.txt" {
		t.Errorf("= %q %q %v", c, n, err)
	}
	if _, _, err := ParseBlobURL("not a url"); err == nil {
		t.Error("no error for a relative URL")
	}
}

func TestEventGridToCloudEvents(t *testing.T) {
	t.Parallel()
	e := BlobEvent(BlobChange{Account: "a", Container: "c", Name: "n", API: "PutBlob", Time: time.Unix(0, 0)})
	ce := e.As(SchemaCloudEvents)
	var got map[string]any
	json.Unmarshal(ce.JSON(), &got)
	if got["specversion"] != "1.0" || got["type"] != BlobCreated || got["source"] != StorageTopic("a") ||
		got["subject"] != e.Subject() || got["time"] != "1970-01-01T00:00:00.0000000Z" || got["id"] != e.ID() || got["data"] == nil {
		t.Errorf("cloud event = %v", got)
	}
	if _, ok := got["eventType"]; ok {
		t.Error("the CloudEvent kept eventType")
	}
}
