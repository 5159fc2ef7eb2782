package eventgrid

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage"
)

// channelTarget hands each delivery to a channel.
type channelTarget chan *Delivery

func (c channelTarget) Deliver(_ context.Context, d *Delivery) error {
	c <- d
	return nil
}

// BenchmarkBlobWriteToDelivery measures a Put Blob in the embedded store
// until its BlobCreated event reaches the subscriber, the path funcemu
// start wires (store change -> BlobEvent -> Broker -> Target).
func BenchmarkBlobWriteToDelivery(b *testing.B) {
	store, err := storage.Open(storage.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if _, err := store.CreateContainer(ctx, "devstoreaccount1", "bench", storage.ContainerOptions{}); err != nil {
		b.Fatal(err)
	}
	delivered := make(channelTarget, 1)
	broker := NewBroker(BrokerOptions{Target: delivered, Config: &Config{Subscriptions: []Subscription{
		{Name: "bench", Topic: StorageTopicName, Function: "F", EventDeliverySchema: SchemaEventGrid}}}})
	defer broker.Close()
	changes, stop := store.SubscribeAllBlobs()
	defer stop()
	go func() {
		for c := range changes {
			broker.Publish(StorageTopicName, []Event{BlobEvent(BlobChange{Account: c.Account, Container: c.Container,
				Name: c.Name, API: c.API, ETag: c.ETag, ContentLength: c.Size})}, Cause{})
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.PutBlob(ctx, "devstoreaccount1", "bench", "b"+strconv.Itoa(i), strings.NewReader("x"), storage.PutBlobOptions{}); err != nil {
			b.Fatal(err)
		}
		<-delivered
	}
}
