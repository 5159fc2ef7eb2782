package eventgrid

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// ParentHeader carries the invocation that published through an eventGrid
// output binding, so the events it delivers name their parent. Azure
// ignores it.
const ParentHeader = "x-funcemu-parent-id"

// TopicServer serves the local topics' publish endpoints,
// POST /NAME/api/events, as Event Grid serves a custom topic's.
type TopicServer struct {
	Broker *Broker
	Clock  emulator.Clock // default emulator.SystemClock
}

// ServeHTTP validates and publishes one batch. Every failure is answered
// with Event Grid's status and error body.
func (s *TopicServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := s.publish(r); err != nil {
		err.write(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *TopicServer) publish(r *http.Request) *APIError {
	name, rest, _ := strings.Cut(strings.Trim(r.URL.Path, "/"), "/")
	t := s.Broker.Config().Topic(name)
	if t == nil || !strings.EqualFold(rest, "api/events") {
		return &APIError{Status: http.StatusNotFound, Code: "NotFound",
			Message: fmt.Sprintf("The requested resource %s was not found: local topics are served at /NAME/api/events.", r.URL.Path)}
	}
	if r.Method != http.MethodPost {
		return &APIError{Status: http.StatusMethodNotAllowed, Code: "MethodNotAllowed",
			Message: fmt.Sprintf("The HTTP method %s is not allowed; publish with POST.", r.Method)}
	}
	if err := s.authorize(r, t); err != nil {
		return err
	}
	if r.ContentLength > MaxBatchBytes {
		return tooLarge()
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBatchBytes+1))
	if err != nil {
		return badInput("The request body could not be read: %v.", err)
	}
	if len(body) > MaxBatchBytes {
		return tooLarge()
	}
	var events []Event
	var apiErr *APIError
	switch {
	case t.InputSchema == SchemaCloudEvents && r.Header.Get("ce-specversion") != "":
		var e Event
		e, apiErr = binaryCloudEvent(r.Header, r.Header.Get("Content-Type"), body)
		events = []Event{e}
	case t.InputSchema == SchemaCloudEvents:
		events, apiErr = PublishedCloudEvents(body)
	default:
		events, apiErr = PublishedEventGrid(body, CustomTopic(t.Name))
	}
	if apiErr != nil {
		return apiErr
	}
	s.Broker.Publish(t.Name, events, Cause{ParentID: r.Header.Get(ParentHeader), Source: "topic " + t.Name})
	return nil
}

func tooLarge() *APIError {
	return &APIError{Status: http.StatusRequestEntityTooLarge, Code: "RequestEntityTooLarge",
		Message: fmt.Sprintf("The maximum size (%d) has been exceeded.", MaxBatchBytes)}
}

// authorize checks aeg-sas-key, or a SAS token in aeg-sas-token or
// Authorization: SharedAccessSignature. A topic without a key takes any
// request.
func (s *TopicServer) authorize(r *http.Request, t *Topic) *APIError {
	if t.Key == "" {
		return nil
	}
	unauthorized := func(reason string) *APIError {
		return &APIError{Status: http.StatusUnauthorized, Code: "Unauthorized", Message: fmt.Sprintf(
			"The request authorization key is not authorized for %s. This is due to the reason: %s", strings.ToUpper(r.Host), reason)}
	}
	if k := r.Header.Get("aeg-sas-key"); k != "" {
		if subtle.ConstantTimeCompare([]byte(k), []byte(t.Key)) != 1 {
			return unauthorized("The specified authorization token/key is not valid.")
		}
		return nil
	}
	token := r.Header.Get("aeg-sas-token")
	if token == "" {
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "SharedAccessSignature ") {
			token = strings.TrimPrefix(a, "SharedAccessSignature ")
		}
	}
	if token == "" {
		return &APIError{Status: http.StatusUnauthorized, Code: "Unauthorized",
			Message: "Request must contain one of the aeg-sas-token or aeg-sas-key or Authorization header."}
	}
	clock := s.Clock
	if clock == nil {
		clock = emulator.SystemClock{}
	}
	if reason := checkSAS(token, t.Key, clock.Now()); reason != "" {
		return unauthorized(reason)
	}
	return nil
}

// sasExpiryFormat is how the SDKs write a token's expiry (en-US).
const sasExpiryFormat = "1/2/2006 3:04:05 PM"

// checkSAS verifies r=RESOURCE&e=EXPIRY&s=SIGNATURE, the signature being
// HMAC-SHA256 over "r=…&e=…" (as sent, still encoded) keyed with the
// base64-decoded topic key. It returns why the token fails, "" if valid.
func checkSAS(token, key string, now time.Time) string {
	var r, e, sig string
	for _, part := range strings.Split(token, "&") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "r":
			r = v
		case "e":
			e = v
		case "s":
			sig = v
		}
	}
	if r == "" || e == "" || sig == "" {
		return "The SAS token must have the parts r, e and s."
	}
	keyBytes, err := base64.StdEncoding.DecodeString(key)
	if err != nil {
		keyBytes = []byte(key)
	}
	mac := hmac.New(sha256.New, keyBytes)
	mac.Write([]byte("r=" + r + "&e=" + e))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	got, err := url.QueryUnescape(sig)
	if err != nil || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return "The specified authorization token/key is not valid."
	}
	expiry, err := url.QueryUnescape(e)
	if err == nil {
		var when time.Time
		if when, err = time.Parse(sasExpiryFormat, expiry); err != nil {
			when, err = time.Parse(time.RFC3339, expiry)
		}
		if err == nil && now.After(when) {
			return "The SAS token has expired."
		}
	}
	if err != nil {
		return "The SAS token's expiry is not a date."
	}
	return ""
}
