package rest

import (
	"encoding/xml"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

// maxQueueBody bounds a Put/Update Message body: 64 KiB of text can grow
// sixfold when every character is escaped.
const maxQueueBody = 1 << 20

// maxPropertiesBody bounds a Set Service Properties or Set ACL body.
const maxPropertiesBody = 256 << 10

func (q *QueueService) createQueue(w http.ResponseWriter, r *Request) error {
	meta, err := metadataFromHeaders(r.Header())
	if err != nil {
		return err
	}
	created, err := q.store.CreateQueue(r.Context(), r.Account.Name, r.Resource, meta)
	if err != nil {
		return err
	}
	if created {
		w.WriteHeader(http.StatusCreated)
	} else {
		w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

func (q *QueueService) deleteQueue(w http.ResponseWriter, r *Request) error {
	if err := q.store.DeleteQueue(r.Context(), r.Account.Name, r.Resource); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (q *QueueService) getMetadata(w http.ResponseWriter, r *Request) error {
	qu, err := q.store.GetQueue(r.Context(), r.Account.Name, r.Resource)
	if err != nil {
		return err
	}
	setMetadataHeaders(w.Header(), qu.Metadata)
	w.Header().Set("x-ms-approximate-messages-count", strconv.Itoa(qu.ApproximateMessageCount))
	w.WriteHeader(http.StatusOK)
	return nil
}

func (q *QueueService) setMetadata(w http.ResponseWriter, r *Request) error {
	meta, err := metadataFromHeaders(r.Header())
	if err != nil {
		return err
	}
	if err := q.store.SetQueueMetadata(r.Context(), r.Account.Name, r.Resource, meta); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (q *QueueService) getACL(w http.ResponseWriter, r *Request) error {
	ids, err := q.store.GetQueueACL(r.Context(), r.Account.Name, r.Resource)
	if err != nil {
		return err
	}
	return writeXML(w, http.StatusOK, signedIdentifiersBody(ids))
}

func (q *QueueService) setACL(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, maxPropertiesBody)
	if err != nil {
		return err
	}
	ids, err := parseACLBody(body, queuePolicyLetters)
	if err != nil {
		return err
	}
	if err := q.store.SetQueueACL(r.Context(), r.Account.Name, r.Resource, ids); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type listQueuesXML struct {
	XMLName         xml.Name   `xml:"EnumerationResults"`
	ServiceEndpoint string     `xml:"ServiceEndpoint,attr"`
	Prefix          string     `xml:"Prefix"`
	Marker          string     `xml:"Marker,omitempty"`
	MaxResults      int        `xml:"MaxResults"`
	Queues          []queueXML `xml:"Queues>Queue"`
	NextMarker      string     `xml:"NextMarker"`
}

type queueXML struct {
	Name     string      `xml:"Name"`
	Metadata metadataXML `xml:"Metadata,omitempty"`
}

func (q *QueueService) listQueues(w http.ResponseWriter, r *Request) error {
	max, err := intParam(r, "maxresults", 5000, 1, 5000)
	if err != nil {
		return err
	}
	withMeta := false
	for _, inc := range strings.Split(r.Param("include"), ",") {
		switch strings.TrimSpace(inc) {
		case "":
		case "metadata":
			withMeta = true
		default:
			return errInvalidQueryParameter("include", r.Param("include"), "only metadata can be included")
		}
	}
	page, err := q.store.ListQueues(r.Context(), r.Account.Name, storage.ListQueuesOptions{
		Prefix: r.Param("prefix"), Marker: r.Param("marker"), MaxResults: int(max),
	})
	if err != nil {
		return err
	}
	doc := listQueuesXML{
		ServiceEndpoint: serviceEndpoint(r),
		Prefix:          r.Param("prefix"),
		Marker:          r.Param("marker"),
		MaxResults:      int(max),
		Queues:          []queueXML{},
		NextMarker:      page.NextMarker,
	}
	for _, qu := range page.Queues {
		x := queueXML{Name: qu.Name}
		if withMeta {
			x.Metadata = metadataXML(qu.Metadata)
		}
		doc.Queues = append(doc.Queues, x)
	}
	return writeXML(w, http.StatusOK, doc)
}

// queueMessageXML is the Put/Update Message request body.
type queueMessageXML struct {
	XMLName     xml.Name `xml:"QueueMessage"`
	MessageText *string  `xml:"MessageText"`
}

// ParseQueueMessage reads a <QueueMessage><MessageText> body.
func ParseQueueMessage(body []byte) (string, error) {
	if text, ok := parsePlainQueueMessage(body); ok {
		return text, nil
	}
	return parseQueueMessageXML(body)
}

// parseQueueMessageXML reads a <QueueMessage> body through encoding/xml,
// for what parsePlainQueueMessage leaves.
func parseQueueMessageXML(body []byte) (string, error) {
	var m queueMessageXML
	if err := decodeXML(body, &m, "QueueMessage"); err != nil {
		return "", err
	}
	if m.MessageText == nil {
		return "", errInvalidXML("<QueueMessage> has no <MessageText>")
	}
	return *m.MessageText, nil
}

// messageXML is one message in a QueueMessagesList answer.
type messageXML struct {
	MessageID       string  `xml:"MessageId"`
	InsertionTime   string  `xml:"InsertionTime"`
	ExpirationTime  string  `xml:"ExpirationTime"`
	PopReceipt      string  `xml:"PopReceipt,omitempty"`
	TimeNextVisible string  `xml:"TimeNextVisible,omitempty"`
	DequeueCount    *int    `xml:"DequeueCount"`
	MessageText     *string `xml:"MessageText"`
}

type messagesListXML struct {
	XMLName  xml.Name     `xml:"QueueMessagesList"`
	Messages []messageXML `xml:"QueueMessage"`
}

func httpTime(t time.Time) string {
	return string(appendHTTPDate(make([]byte, 0, len(http.TimeFormat)), t))
}

func (q *QueueService) putMessage(w http.ResponseWriter, r *Request) error {
	vt, err := intParam(r, "visibilitytimeout", 0, 0, int64(storage.MaxVisibilityTimeout/time.Second))
	if err != nil {
		return err
	}
	ttl, err := intParam(r, "messagettl", int64(storage.DefaultMessageTTL/time.Second), -1, math.MaxInt64)
	if err != nil {
		return err
	}
	if ttl == 0 {
		return errOutOfRangeQuery("messagettl", "0")
	}
	body, err := readBody(r, maxQueueBody)
	if err != nil {
		return err
	}
	text, err := ParseQueueMessage(body)
	if err != nil {
		return err
	}
	ttlDur := messageTTL(ttl)
	m, err := q.store.PutMessage(r.Context(), r.Account.Name, r.Resource, storage.NewMessage{
		Text: text, VisibilityTimeout: time.Duration(vt) * time.Second, TTL: ttlDur,
	})
	if err != nil {
		return err
	}
	return writePutMessageAnswer(w, m)
}

func (q *QueueService) getMessages(w http.ResponseWriter, r *Request) error {
	n, err := intParam(r, "numofmessages", 1, 1, storage.MaxMessagesPerGet)
	if err != nil {
		return err
	}
	vt, err := intParam(r, "visibilitytimeout", 30, 1, int64(storage.MaxVisibilityTimeout/time.Second))
	if err != nil {
		return err
	}
	msgs, err := q.store.GetMessages(r.Context(), r.Account.Name, r.Resource, int(n), time.Duration(vt)*time.Second)
	if err != nil {
		return err
	}
	doc := messagesListXML{Messages: []messageXML{}}
	for i := range msgs {
		m := &msgs[i]
		doc.Messages = append(doc.Messages, messageXML{
			MessageID:       m.ID,
			InsertionTime:   httpTime(m.InsertionTime),
			ExpirationTime:  httpTime(m.ExpirationTime),
			PopReceipt:      m.PopReceipt,
			TimeNextVisible: httpTime(m.TimeNextVisible),
			DequeueCount:    &m.DequeueCount,
			MessageText:     &m.Text,
		})
	}
	return writeXML(w, http.StatusOK, doc)
}

func (q *QueueService) peekMessages(w http.ResponseWriter, r *Request) error {
	n, err := intParam(r, "numofmessages", 1, 1, storage.MaxMessagesPerGet)
	if err != nil {
		return err
	}
	msgs, err := q.store.PeekMessages(r.Context(), r.Account.Name, r.Resource, int(n))
	if err != nil {
		return err
	}
	doc := messagesListXML{Messages: []messageXML{}}
	for i := range msgs {
		m := &msgs[i]
		doc.Messages = append(doc.Messages, messageXML{
			MessageID:      m.ID,
			InsertionTime:  httpTime(m.InsertionTime),
			ExpirationTime: httpTime(m.ExpirationTime),
			DequeueCount:   &m.DequeueCount,
			MessageText:    &m.Text,
		})
	}
	return writeXML(w, http.StatusOK, doc)
}

func (q *QueueService) clearMessages(w http.ResponseWriter, r *Request) error {
	if err := q.store.ClearMessages(r.Context(), r.Account.Name, r.Resource); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func messageIDOf(r *Request) string { return strings.TrimPrefix(r.Name, "messages/") }

func popReceiptOf(r *Request) (string, error) {
	pr, ok := queryValue(r.Query, "popreceipt")
	if !ok {
		return "", errorf(http.StatusBadRequest, "MissingRequiredQueryParameter",
			"A query parameter that's mandatory for this request is not specified. (popreceipt)")
	}
	if !storage.ValidPopReceipt(pr) {
		return "", errInvalidQueryParameter("popreceipt", pr, "not a pop receipt this server issued")
	}
	return pr, nil
}

func (q *QueueService) deleteMessage(w http.ResponseWriter, r *Request) error {
	pr, err := popReceiptOf(r)
	if err != nil {
		return err
	}
	if err := q.store.DeleteMessage(r.Context(), r.Account.Name, r.Resource, messageIDOf(r), pr); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (q *QueueService) updateMessage(w http.ResponseWriter, r *Request) error {
	pr, err := popReceiptOf(r)
	if err != nil {
		return err
	}
	if !r.HasParam("visibilitytimeout") {
		return errorf(http.StatusBadRequest, "MissingRequiredQueryParameter",
			"A query parameter that's mandatory for this request is not specified. (visibilitytimeout)")
	}
	vt, err := intParam(r, "visibilitytimeout", 0, 0, int64(storage.MaxVisibilityTimeout/time.Second))
	if err != nil {
		return err
	}
	body, err := readBody(r, maxQueueBody)
	if err != nil {
		return err
	}
	var text *string
	if len(strings.TrimSpace(string(body))) > 0 {
		t, err := ParseQueueMessage(body)
		if err != nil {
			return err
		}
		text = &t
	}
	m, err := q.store.UpdateMessage(r.Context(), r.Account.Name, r.Resource, messageIDOf(r), pr, time.Duration(vt)*time.Second, text)
	if err != nil {
		return err
	}
	w.Header().Set("x-ms-popreceipt", m.PopReceipt)
	w.Header().Set("x-ms-time-next-visible", httpTime(m.TimeNextVisible))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

const defaultServiceProperties = `<StorageServiceProperties><Logging><Version>1.0</Version><Delete>false</Delete><Read>false</Read><Write>false</Write><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></Logging><HourMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></HourMetrics><MinuteMetrics><Version>1.0</Version><Enabled>false</Enabled><RetentionPolicy><Enabled>false</Enabled></RetentionPolicy></MinuteMetrics><Cors/></StorageServiceProperties>`

func (q *QueueService) getServiceProperties(w http.ResponseWriter, r *Request) error {
	q.mu.Lock()
	body, ok := q.properties[r.Account.Name]
	q.mu.Unlock()
	if !ok {
		body = []byte(defaultServiceProperties)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xmlProlog))
	_, _ = w.Write(body)
	return nil
}

func (q *QueueService) setServiceProperties(w http.ResponseWriter, r *Request) error {
	body, err := readBody(r, maxPropertiesBody)
	if err != nil {
		return err
	}
	if _, err := parseServiceProperties(body); err != nil {
		return err // the CORS rules are checked as the Blob service checks them
	}
	var doc struct {
		XMLName xml.Name `xml:"StorageServiceProperties"`
		Inner   []byte   `xml:",innerxml"`
	}
	if err := decodeXML(body, &doc, "StorageServiceProperties"); err != nil {
		return err
	}
	q.mu.Lock()
	q.properties[r.Account.Name] = []byte("<StorageServiceProperties>" + string(doc.Inner) + "</StorageServiceProperties>")
	q.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
	return nil
}
