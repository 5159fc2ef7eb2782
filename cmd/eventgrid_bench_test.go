package cmd

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/eventgrid"
	"github.com/funcemu/funcemu/emulator/storage"
)

// channelTarget hands each delivery to a channel.
type channelTarget chan *eventgrid.Delivery

func (c channelTarget) Deliver(_ context.Context, d *eventgrid.Delivery) error {
	c <- d
	return nil
}

// BenchmarkBlobWriteToDelivery measures a Put Blob in the embedded store
// until its BlobCreated event reaches the subscriber, the path funcemu
// start wires (store change -> BlobEvent -> Broker -> Target). It lives
// here, beside that wiring, so that eventgrid's own tests need no SQLite.
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
	broker := eventgrid.NewBroker(eventgrid.BrokerOptions{Target: delivered, Config: &eventgrid.Config{Subscriptions: []eventgrid.Subscription{
		{Name: "bench", Topic: eventgrid.StorageTopicName, Function: "F", EventDeliverySchema: eventgrid.SchemaEventGrid}}}})
	defer broker.Close()
	changes, stop := store.SubscribeAllBlobs()
	defer stop()
	go func() {
		for c := range changes {
			broker.Publish(eventgrid.StorageTopicName, []eventgrid.Event{eventgrid.BlobEvent(eventgrid.BlobChange{Account: c.Account,
				Container: c.Container, Name: c.Name, API: c.API, ETag: c.ETag, ContentLength: c.Size})}, eventgrid.Cause{})
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
