package eventgridtrigger

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/eventgrid"
)

// WebhookPrefix is where the host serves its extensions' webhooks.
const WebhookPrefix = "/runtime/webhooks/"

// blobFunctionPrefix starts the functionName the blobs webhook takes:
// the host's FunctionId, Host.Functions.NAME.
const blobFunctionPrefix = "Host.Functions."

// maxWebhookBody bounds a webhook request, as the host's 100 MiB limit.
const maxWebhookBody = 100 << 20

// ServeHTTP serves POST /runtime/webhooks/EventGrid?functionName=NAME and
// POST /runtime/webhooks/blobs?functionName=Host.Functions.NAME the way
// the host's extensions do; other extension names answer 404.
func (t *Trigger) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ext := strings.Trim(strings.TrimPrefix(r.URL.Path, WebhookPrefix), "/")
	switch {
	case strings.EqualFold(ext, "EventGrid"):
		t.serveEventGrid(w, r)
	case strings.EqualFold(ext, "blobs"):
		t.serveBlobs(w, r)
	default:
		w.WriteHeader(http.StatusNotFound)
	}
}

// abuseProtection answers the CloudEvents webhook validation (OPTIONS
// with WebHook-Request-Origin) by allowing the origin.
func abuseProtection(w http.ResponseWriter, r *http.Request) bool {
	origin := r.Header.Get("WebHook-Request-Origin")
	if r.Method != http.MethodOptions || origin == "" {
		return false
	}
	w.Header().Set("WebHook-Allowed-Origin", origin)
	w.Header().Set("WebHook-Allowed-Rate", "*")
	w.WriteHeader(http.StatusOK)
	return true
}

// eventGridFunction finds the eventGridTrigger function the query names,
// compared exactly as the extension's listener dictionary does.
func (t *Trigger) eventGridFunction(name string) *emulator.Function {
	for _, fn := range t.opts.App().Functions {
		tr := fn.Trigger()
		if fn.Name == name && !fn.Disabled && tr != nil && tr.Kind() == eventgrid.BindingEventGridTrigger {
			return fn
		}
	}
	return nil
}

func (t *Trigger) serveEventGrid(w http.ResponseWriter, r *http.Request) {
	if abuseProtection(w, r) {
		return
	}
	name := r.URL.Query().Get("functionName")
	fn := t.eventGridFunction(name)
	if fn == nil {
		http.Error(w, fmt.Sprintf("cannot find function: '%s'", name), http.StatusNotFound)
		return
	}
	t.process(w, r, func(ctx context.Context, events []eventgrid.Event) (int, string) {
		errs := make([]error, len(events))
		var wg sync.WaitGroup
		for i, e := range events {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := &emulator.EventGridInput{Event: e.JSON(), Topic: e.Topic(), DeliveryCount: deliveryCount(r), Cause: "webhook"}
				_, errs[i] = t.invoke(ctx, fn, e, in, "", false)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return http.StatusInternalServerError, err.Error()
			}
		}
		return http.StatusAccepted, ""
	})
}

// deliveryCount reads aeg-delivery-count, 0 for the first delivery, as
// the 1-based count the journal keeps.
func deliveryCount(r *http.Request) int {
	var n int
	if _, err := fmt.Sscan(r.Header.Get("aeg-delivery-count"), &n); err != nil {
		return 1
	}
	return n + 1
}

func (t *Trigger) serveBlobs(w http.ResponseWriter, r *http.Request) {
	if abuseProtection(w, r) {
		return
	}
	id := r.URL.Query().Get("functionName")
	t.process(w, r, func(ctx context.Context, events []eventgrid.Event) (int, string) {
		name := strings.TrimPrefix(id, blobFunctionPrefix)
		fn := t.opts.App().Function(name)
		if fn == nil || !eventgrid.IsEventGridBlobTrigger(fn.Trigger()) {
			// The host queues the message for a FunctionId it does not
			// check; no listener ever takes it.
			t.log(emulator.LevelWarning, name, fmt.Sprintf("Blob events for '%s' were accepted, but no blob trigger with \"source\": \"EventGrid\" has that FunctionId.", id))
			return http.StatusAccepted, ""
		}
		for _, e := range events {
			if err := t.blobEvent(context.WithoutCancel(ctx), fn, e); err != nil {
				return http.StatusBadRequest, err.Error()
			}
		}
		return http.StatusAccepted, ""
	})
}

// process dispatches on aeg-event-type as the extensions' request
// processor does: SubscriptionValidation is answered with the code,
// Notification runs notify, Unsubscribe is accepted, anything else is
// 400. A body that is not JSON events is 400 too.
func (t *Trigger) process(w http.ResponseWriter, r *http.Request, notify func(context.Context, []eventgrid.Event) (int, string)) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	kind := r.Header.Get("aeg-event-type")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "the request body could not be read: "+err.Error(), http.StatusBadRequest)
		return
	}
	switch {
	case strings.EqualFold(kind, "SubscriptionValidation"):
		code, ok := eventgrid.ValidationCode(body)
		if !ok {
			http.Error(w, "the SubscriptionValidation event has no data.validationCode", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(map[string]string{"validationResponse": code})
	case strings.EqualFold(kind, "Notification"):
		events, err := eventgrid.ParseEvents(body)
		if err != nil {
			http.Error(w, "the body is not an event or an array of events: "+err.Error(), http.StatusBadRequest)
			return
		}
		status, msg := notify(r.Context(), events)
		if msg != "" {
			http.Error(w, msg, status)
			return
		}
		w.WriteHeader(status)
	case strings.EqualFold(kind, "Unsubscribe"):
		w.WriteHeader(http.StatusAccepted)
	default:
		w.WriteHeader(http.StatusBadRequest)
	}
}
