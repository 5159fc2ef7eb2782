package eventgrid

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Blob event types.
const (
	BlobCreated = "Microsoft.Storage.BlobCreated"
	BlobDeleted = "Microsoft.Storage.BlobDeleted"
)

// StorageTopicName is the name subscriptions use for the embedded
// storage account's events.
const StorageTopicName = "storage"

// resourcePrefix stands in for the subscription and resource group that
// Azure puts in every topic's resource id.
const resourcePrefix = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/funcemu/providers/"

// StorageTopic is the topic (resource id) of a storage account's events.
func StorageTopic(account string) string {
	return resourcePrefix + "Microsoft.Storage/storageAccounts/" + account
}

// CustomTopic is the resource id of a local topic.
func CustomTopic(name string) string {
	return resourcePrefix + "Microsoft.EventGrid/topics/" + name
}

// BlobChange is a committed blob write or delete as the store reports it.
type BlobChange struct {
	Account   string
	Container string
	Name      string
	Deleted   bool
	// API is the operation: PutBlob, PutBlockList, CopyBlob or DeleteBlob.
	API             string
	ETag            string // quoted, as in the ETag header
	ContentType     string
	ContentLength   int64
	BlobType        string // BlockBlob, AppendBlob, PageBlob
	RequestID       string // x-ms-request-id of the write; generated when empty
	ClientRequestID string // x-ms-client-request-id, may be empty
	// BlobEndpoint is the account's blob URL, e.g.
	// http://127.0.0.1:10000/devstoreaccount1, for data.url.
	BlobEndpoint string
	Time         time.Time
}

// sequencerBase makes data.sequencer grow across restarts; sequence
// grows within one run.
var (
	sequencerBase = uint64(time.Now().UnixNano())
	sequence      atomic.Uint64
)

// nextSequencer is an opaque 32-digit hex string that sorts in write
// order, as Azure's sequencer does per blob name.
func nextSequencer() string {
	return fmt.Sprintf("%016x%016x", sequencerBase, sequence.Add(1))
}

// BlobEvent is the event Azure Storage publishes for c, in the Event Grid
// schema, with the data fields Azure fills in. eTag is written without
// quotes, as in the events Azure delivers (the Functions blob extension
// adds them back).
func BlobEvent(c BlobChange) Event {
	requestID := c.RequestID
	if requestID == "" {
		requestID = emulator.NewGUID()
	}
	var data object
	data = data.withString("api", c.API)
	if c.ClientRequestID != "" {
		data = data.withString("clientRequestId", c.ClientRequestID)
	}
	data = data.withString("requestId", requestID)
	if !c.Deleted {
		data = data.withString("eTag", strings.Trim(c.ETag, `"`))
	}
	data = data.withString("contentType", c.ContentType)
	if !c.Deleted {
		n, _ := json.Marshal(c.ContentLength)
		data = data.with("contentLength", n)
	}
	blobType := c.BlobType
	if blobType == "" {
		blobType = "BlockBlob"
	}
	data = data.withString("blobType", blobType)
	data = data.withString("url", blobURL(c.BlobEndpoint, c.Account, c.Container, c.Name))
	data = data.withString("sequencer", nextSequencer())
	diag, _ := json.Marshal(map[string]string{"batchId": emulator.NewGUID()})
	data = data.with("storageDiagnostics", diag)

	eventType := BlobCreated
	if c.Deleted {
		eventType = BlobDeleted
	}
	var o object
	o = o.withString("topic", StorageTopic(c.Account))
	o = o.withString("subject", "/blobServices/default/containers/"+c.Container+"/blobs/"+c.Name)
	o = o.withString("eventType", eventType)
	o = o.withString("id", eventIDFor(requestID))
	o = o.with("data", data.marshal())
	o = o.withString("dataVersion", "")
	o = o.withString("metadataVersion", "1")
	o = o.withString("eventTime", FormatTime(c.Time))
	return Event{Schema: SchemaEventGrid, fields: o}
}

// blobURL is the blob's URL under the account's endpoint, each name
// segment escaped.
func blobURL(endpoint, account, container, name string) string {
	if endpoint == "" {
		endpoint = "https://" + account + ".blob.core.windows.net"
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimSuffix(endpoint, "/") + "/" + container + "/" + strings.Join(parts, "/")
}

// ParseBlobURL splits a blob URL into container and blob name: path-style
// (an IP address or localhost host, the account first in the path, as the
// emulators serve) or host-style (account.blob.core.windows.net).
func ParseBlobURL(raw string) (container, name string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", "", fmt.Errorf("data.url %q is not an absolute URL", raw)
	}
	path := strings.TrimPrefix(u.Path, "/")
	host := u.Hostname()
	if host == "localhost" || strings.Trim(host, "0123456789.") == "" || strings.Contains(host, ":") {
		_, path, _ = strings.Cut(path, "/") // the account
	}
	container, name, _ = strings.Cut(path, "/")
	if container == "" || name == "" {
		return "", "", fmt.Errorf("data.url %q names no container and blob", raw)
	}
	return container, name, nil
}

// eventIDFor makes an event id that shares its first 24 hex digits with
// the storage request id, as Azure's blob events do.
func eventIDFor(requestID string) string {
	id := emulator.NewGUID()
	if len(requestID) == 36 {
		return requestID[:24] + id[24:]
	}
	return id
}
