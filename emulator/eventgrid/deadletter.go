package eventgrid

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// DeadLetterBlobName is where Event Grid puts a dead-lettered event:
// SUBSCRIPTION-NAME-UPPER/YYYY/M/D/H/GUID.json, date parts in UTC and
// not zero-padded.
func DeadLetterBlobName(subscription string, t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%s/%d/%d/%d/%d/%s.json", strings.ToUpper(subscription),
		t.Year(), int(t.Month()), t.Day(), t.Hour(), emulator.NewGUID())
}

// deadLetter writes the event with Event Grid's dead-letter properties
// to the subscription's container. Azure waits about five minutes before
// writing; funcemu writes at once, so a test sees it without waiting.
func (b *Broker) deadLetter(d *Delivery, s *Subscription, reason string, now time.Time) {
	if s.DeadLetter == nil || b.opts.DeadLetter == nil {
		return
	}
	o := append(object(nil), d.Event.fields...)
	names := [...]string{"deadLetterReason", "deliveryAttempts", "lastDeliveryOutcome", "lastHttpStatusCode", "publishTime", "lastDeliveryAttemptTime"}
	if d.Event.Schema == SchemaCloudEvents {
		for i := range names {
			names[i] = strings.ToLower(names[i])
		}
	}
	o = o.withString(names[0], reason)
	o = o.with(names[1], json.RawMessage(strconv.Itoa(d.Attempt)))
	o = o.withString(names[2], "GenericError")
	o = o.with(names[3], json.RawMessage("500"))
	o = o.withString(names[4], FormatTime(d.PublishTime))
	o = o.withString(names[5], FormatTime(now))
	body := append(append([]byte{'['}, o.marshal()...), ']')
	name := DeadLetterBlobName(d.Subscription, now)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.opts.DeadLetter(ctx, s.DeadLetter.Container, name, body); err != nil {
		b.log(emulator.LevelError, d.Function, fmt.Sprintf("Event Grid could not dead-letter event %s to %s/%s: %v", d.Event.ID(), s.DeadLetter.Container, name, err))
		return
	}
	b.log(emulator.LevelWarning, d.Function, fmt.Sprintf("Event Grid dead-lettered event %s of subscription %s to %s/%s.", d.Event.ID(), d.Subscription, s.DeadLetter.Container, name))
}
