package bindings

import (
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindexpr"
)

// withSys adds the sys object ({sys.MethodName}, {sys.UtcNow},
// {sys.RandGuid}) to binding data.
func withSys(fn *emulator.Function, m map[string]any) bindexpr.Data {
	d := bindexpr.Data{}
	for k, v := range m {
		d[k] = v
	}
	d["sys"] = bindexpr.Sys{MethodName: fn.Name}
	return d
}

// dataOf rebuilds an invocation's binding data from its recorded trigger
// input, for the output bindings' {expressions}.
func (b *Bindings) dataOf(fn *emulator.Function, in *emulator.Input) bindexpr.Data {
	m := map[string]any{}
	switch {
	case in == nil:
	case in.Queue != nil:
		q := in.Queue
		m = QueueTrigger{
			ID: q.ID, DequeueCount: q.DequeueCount,
			InsertionTime: q.InsertionTime, ExpirationTime: q.ExpirationTime,
			Body: b.decodeQueueText(q.Body),
		}.Metadata()
	case in.Blob != nil:
		info := &emulator.BlobInfo{Container: in.Blob.Container, Name: in.Blob.Name, ETag: in.Blob.ETag, Metadata: in.Blob.Metadata}
		bt := BlobTrigger{Info: info}
		if t := fn.Trigger(); t != nil && t.Kind() == emulator.BindingBlobTrigger {
			if p, err := b.pattern(t.Path); err == nil {
				bt.Captures, _ = p.Match(info.Container + "/" + info.Name)
			}
		}
		m = bt.Metadata()
	case in.HTTP != nil:
		m = httpData(in.HTTP)
		b.addRouteData(fn, in.HTTP, m)
	case in.Manual != nil:
		m = jsonProperties([]byte(in.Manual.Input))
		if t := fn.Trigger(); t != nil && t.Kind() == emulator.BindingQueueTrigger {
			set(m, "QueueTrigger", in.Manual.Input)
		}
	}
	return withSys(fn, m)
}

// decodeQueueText undoes the host-wide messageEncoding; text that does
// not decode is used as it is.
func (b *Bindings) decodeQueueText(text string) []byte {
	if strings.EqualFold(b.app.Load().Host.Queues.MessageEncoding, "none") {
		return []byte(text)
	}
	if body, err := base64.StdEncoding.DecodeString(text); err == nil {
		return body
	}
	return []byte(text)
}

// httpData is an HTTP request's binding data: the top-level properties of
// a JSON body and the query parameters other than code.
func httpData(r *emulator.HTTPRequest) map[string]any {
	m := jsonProperties(r.Body)
	if u, err := url.Parse(r.URL); err == nil {
		for k, vs := range u.Query() {
			if !strings.EqualFold(k, "code") && len(vs) > 0 {
				set(m, k, vs[0])
			}
		}
	}
	return m
}
