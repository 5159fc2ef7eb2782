package rest

import (
	"bytes"
	"net/http"

	"github.com/funcemu/funcemu/emulator/storage"
)

// Put Message is the queue request a busy app sends most, and nearly
// every one carries a body and gets an answer of a single fixed shape.
// Those are read and written here by hand; anything unusual goes through
// encoding/xml, which the fuzz tests hold these to.

// SDK bodies: the Go and JavaScript SDKs send an XML declaration (Go's
// ends in a newline), .NET its own spelling of it.
var (
	plainMessageDeclarations = [][]byte{
		[]byte(`<?xml version="1.0" encoding="UTF-8"?>`),
		[]byte(`<?xml version="1.0" encoding="utf-8"?>`),
	}
	plainMessageOpen  = []byte(`<QueueMessage><MessageText>`)
	plainMessageClose = []byte(`</MessageText></QueueMessage>`)
)

// parsePlainQueueMessage reads body when it is exactly
// <QueueMessage><MessageText>text</MessageText></QueueMessage>, after an
// optional declaration and newline, and text is plain: printable ASCII,
// tab or newline, without markup or references (base64 text always is).
// ok is false for any other body.
func parsePlainQueueMessage(body []byte) (text string, ok bool) {
	for _, d := range plainMessageDeclarations {
		if bytes.HasPrefix(body, d) {
			body = body[len(d):]
			if len(body) > 0 && body[0] == '\n' {
				body = body[1:]
			}
			break
		}
	}
	if !bytes.HasPrefix(body, plainMessageOpen) || !bytes.HasSuffix(body, plainMessageClose) ||
		len(body) < len(plainMessageOpen)+len(plainMessageClose) {
		return "", false
	}
	inner := body[len(plainMessageOpen) : len(body)-len(plainMessageClose)]
	for _, c := range inner {
		if !plainTextByte(c) {
			return "", false
		}
	}
	return string(inner), true
}

// plainTextByte is a byte XML text holds as itself: no markup (nor >,
// which "]]>" makes an error), no reference, no carriage return (which a
// parser turns into a newline).
func plainTextByte(c byte) bool {
	switch {
	case c == '\t' || c == '\n':
		return true
	case c < 0x20 || c > 0x7e:
		return false
	}
	return c != '<' && c != '>' && c != '&'
}

// plainValue reports whether s is written in XML text and attributes
// alike as itself: printable ASCII without & < > or quotes.
func plainValue(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c > 0x7e || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			return false
		}
	}
	return true
}

// appendPutMessageAnswer appends the QueueMessagesList answer to Put
// Message for m, prolog included, as writeXML would write it. ok is false
// when a field would need escaping.
func appendPutMessageAnswer(b []byte, m *storage.Message) (_ []byte, ok bool) {
	if !plainValue(m.ID) || !plainValue(m.PopReceipt) {
		return b, false
	}
	b = append(b, xmlProlog...)
	b = append(b, "<QueueMessagesList><QueueMessage><MessageId>"...)
	b = append(b, m.ID...)
	b = append(b, "</MessageId><InsertionTime>"...)
	b = appendHTTPDate(b, m.InsertionTime)
	b = append(b, "</InsertionTime><ExpirationTime>"...)
	b = appendHTTPDate(b, m.ExpirationTime)
	b = append(b, "</ExpirationTime>"...)
	if m.PopReceipt != "" {
		b = append(b, "<PopReceipt>"...)
		b = append(b, m.PopReceipt...)
		b = append(b, "</PopReceipt>"...)
	}
	b = append(b, "<TimeNextVisible>"...)
	b = appendHTTPDate(b, m.TimeNextVisible)
	b = append(b, "</TimeNextVisible></QueueMessage></QueueMessagesList>"...)
	return b, true
}

// writePutMessageAnswer answers 201 Created with the message Put Message
// stored.
func writePutMessageAnswer(w http.ResponseWriter, m *storage.Message) error {
	if out, ok := appendPutMessageAnswer(make([]byte, 0, 512), m); ok {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(out)
		return nil
	}
	return writeXML(w, http.StatusCreated, putMessageAnswer(m))
}

// putMessageAnswer is the answer to Put Message for encoding/xml.
func putMessageAnswer(m *storage.Message) messagesListXML {
	return messagesListXML{Messages: []messageXML{{
		MessageID:       m.ID,
		InsertionTime:   httpTime(m.InsertionTime),
		ExpirationTime:  httpTime(m.ExpirationTime),
		PopReceipt:      m.PopReceipt,
		TimeNextVisible: httpTime(m.TimeNextVisible),
	}}}
}
