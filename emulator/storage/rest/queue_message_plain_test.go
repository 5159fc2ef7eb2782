package rest

import (
	"bytes"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

func TestPlainQueueMessageBodies(t *testing.T) {
	for _, c := range []struct {
		body string
		text string
		ok   bool
	}{
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<QueueMessage><MessageText>eA==</MessageText></QueueMessage>", "eA==", true},
		{`<?xml version="1.0" encoding="utf-8"?><QueueMessage><MessageText>a b]c</MessageText></QueueMessage>`, "a b]c", true},
		{`<QueueMessage><MessageText>a]]>b</MessageText></QueueMessage>`, "", false},
		{`<QueueMessage><MessageText></MessageText></QueueMessage>`, "", true},
		{"<QueueMessage><MessageText>tab\there\nline</MessageText></QueueMessage>", "tab\there\nline", true},
		{`<QueueMessage><MessageText>a &amp; b</MessageText></QueueMessage>`, "", false},
		{"<QueueMessage><MessageText>cr\r\n</MessageText></QueueMessage>", "", false},
		{`<QueueMessage><MessageText>é</MessageText></QueueMessage>`, "", false},
		{`<QueueMessage><MessageText>a</MessageText><MessageText>b</MessageText></QueueMessage>`, "", false},
		{`<QueueMessage><MessageText>x</MessageText></QueueMessage> `, "", false},
		{`<QueueMessage><MessageText></QueueMessage>`, "", false},
	} {
		text, ok := parsePlainQueueMessage([]byte(c.body))
		if ok != c.ok || text != c.text {
			t.Errorf("parsePlainQueueMessage(%q) = %q, %v; want %q, %v", c.body, text, ok, c.text, c.ok)
		}
	}
}

// FuzzPlainQueueMessage: whatever the plain reader accepts, encoding/xml
// reads as the same text.
func FuzzPlainQueueMessage(f *testing.F) {
	f.Add([]byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<QueueMessage><MessageText>eA==</MessageText></QueueMessage>"))
	f.Add([]byte(`<QueueMessage><MessageText>a]]>b</MessageText></QueueMessage>`))
	f.Add([]byte(`<QueueMessage><MessageText>a</MessageText><MessageText>b</MessageText></QueueMessage>`))
	f.Add([]byte("<QueueMessage><MessageText>\t\n</MessageText></QueueMessage>"))
	f.Add([]byte("<QueueMessage><MessageText> !\"#$%'()*+,-./09:;=?@AZ[\\]^_`az{|}~</MessageText></QueueMessage>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		text, ok := parsePlainQueueMessage(body)
		if !ok {
			return
		}
		want, err := parseQueueMessageXML(body)
		if err != nil {
			t.Fatalf("plain reader took %q as %q, encoding/xml refuses it: %v", body, text, err)
		}
		if text != want {
			t.Fatalf("plain reader read %q from %q, encoding/xml %q", text, body, want)
		}
	})
}

// FuzzPutMessageAnswer: the hand-written answer is byte for byte what
// writeXML writes, whenever it is written.
func FuzzPutMessageAnswer(f *testing.F) {
	f.Add("0f8fad5b-d9cb-469f-a165-70867728950e", "AAECAwQFBgcICQoLDA0ODw", int64(1764720000000), int64(604800000), int64(0))
	f.Add("id", "", int64(0), int64(0), int64(30000))
	f.Add("a&b", "<r>", int64(-1), int64(1), int64(1))
	f.Add("quote\"'", "tab\t", int64(253402300799000), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, id, receipt string, inserted, ttl, vt int64) {
		m := &storage.Message{
			ID:              id,
			PopReceipt:      receipt,
			InsertionTime:   time.UnixMilli(inserted).UTC(),
			ExpirationTime:  time.UnixMilli(inserted + ttl).UTC(),
			TimeNextVisible: time.UnixMilli(inserted + vt).UTC(),
		}
		got, ok := appendPutMessageAnswer(nil, m)
		if !ok {
			if plainValue(id) && plainValue(receipt) {
				t.Fatalf("plain fields %q, %q refused", id, receipt)
			}
			return
		}
		body, err := marshalAzureXML(putMessageAnswer(m))
		if err != nil {
			t.Fatal(err)
		}
		want := append([]byte(xmlProlog), body...)
		if !bytes.Equal(got, want) {
			t.Fatalf("answer\n%s\nwant\n%s", got, want)
		}
	})
}
