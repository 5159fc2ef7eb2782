package eventgrid

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const topicKey = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0xMjM0NTY3OA=="

func topicServer(t *testing.T, rec *recorder) *httptest.Server {
	t.Helper()
	b := NewBroker(BrokerOptions{Target: rec, Config: &Config{
		Topics:        []Topic{{Name: "orders", Key: topicKey, InputSchema: SchemaEventGrid}, {Name: "ce-orders", Key: topicKey, InputSchema: SchemaCloudEvents}},
		Subscriptions: []Subscription{{Name: "s1", Topic: "orders", Function: "F"}, {Name: "s2", Topic: "ce-orders", Function: "G", EventDeliverySchema: SchemaCloudEvents}},
	}})
	srv := httptest.NewServer(&TopicServer{Broker: b})
	t.Cleanup(func() { srv.Close(); b.Close() })
	return srv
}

func post(t *testing.T, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const egBatch = `[{"id":"1","subject":"orders/1","eventType":"Order.Created","eventTime":"2026-12-02T08:00:00Z","data":{"n":1},"dataVersion":"1.0"}]`

func TestTopicPublishesWithKey(t *testing.T) {
	t.Parallel()
	rec := newRecorder(0)
	srv := topicServer(t, rec)
	status, body := post(t, srv.URL+"/orders/api/events?api-version=2018-01-01", egBatch, map[string]string{"aeg-sas-key": topicKey})
	if status != 200 || body != "" {
		t.Fatalf("publish = %d %s", status, body)
	}
	rec.waitCount(t, 1)
	var got map[string]any
	json.Unmarshal(rec.deliveries[0].Event.JSON(), &got)
	if got["topic"] != CustomTopic("orders") || got["metadataVersion"] != "1" || got["dataVersion"] != "1.0" {
		t.Errorf("delivered %v", got)
	}
}

func sasToken(resource string, expiry time.Time, key string) string {
	r := url.QueryEscape(resource)
	e := url.QueryEscape(expiry.UTC().Format(sasExpiryFormat))
	k, _ := base64.StdEncoding.DecodeString(key)
	mac := hmac.New(sha256.New, k)
	mac.Write([]byte("r=" + r + "&e=" + e))
	return "r=" + r + "&e=" + e + "&s=" + url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

func TestTopicAcceptsSASTokens(t *testing.T) {
	t.Parallel()
	rec := newRecorder(0)
	srv := topicServer(t, rec)
	endpoint := srv.URL + "/orders/api/events"
	good := sasToken(endpoint, time.Now().Add(time.Hour), topicKey)
	if status, body := post(t, endpoint, egBatch, map[string]string{"aeg-sas-token": good}); status != 200 {
		t.Errorf("aeg-sas-token: %d %s", status, body)
	}
	if status, body := post(t, endpoint, egBatch, map[string]string{"Authorization": "SharedAccessSignature " + good}); status != 200 {
		t.Errorf("Authorization: %d %s", status, body)
	}
	expired := sasToken(endpoint, time.Now().Add(-time.Hour), topicKey)
	if status, body := post(t, endpoint, egBatch, map[string]string{"aeg-sas-token": expired}); status != 401 || !strings.Contains(body, "expired") {
		t.Errorf("expired token: %d %s", status, body)
	}
	forged := sasToken(endpoint, time.Now().Add(time.Hour), base64.StdEncoding.EncodeToString([]byte("another key")))
	if status, _ := post(t, endpoint, egBatch, map[string]string{"aeg-sas-token": forged}); status != 401 {
		t.Errorf("forged token: %d", status)
	}
}

func TestTopicErrorsHaveEventGridShape(t *testing.T) {
	t.Parallel()
	rec := newRecorder(0)
	srv := topicServer(t, rec)
	key := map[string]string{"aeg-sas-key": topicKey}
	big := `[{"id":"1","subject":"s","eventType":"T","eventTime":"2026-12-02T08:00:00Z","data":"` + strings.Repeat("x", MaxBatchBytes) + `"}]`
	tests := []struct {
		name, path, body string
		header           map[string]string
		status           int
		code, detail     string
	}{
		{"wrong key", "/orders/api/events", egBatch, map[string]string{"aeg-sas-key": "nope"}, 401, "Unauthorized", ""},
		{"no key", "/orders/api/events", egBatch, nil, 401, "Unauthorized", ""},
		{"unknown topic", "/nowhere/api/events", egBatch, key, 404, "NotFound", ""},
		{"oversized batch", "/orders/api/events", big, key, 413, "RequestEntityTooLarge", ""},
		{"not JSON", "/orders/api/events", `[{`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"not an array", "/orders/api/events", `{"id":"1"}`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"missing eventType", "/orders/api/events", `[{"id":"1","subject":"s","eventTime":"2026-12-02T08:00:00Z"}]`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"bad eventTime", "/orders/api/events", `[{"id":"1","subject":"s","eventType":"T","eventTime":"yesterday"}]`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"bad metadataVersion", "/orders/api/events", `[{"id":"1","subject":"s","eventType":"T","eventTime":"2026-12-02T08:00:00Z","metadataVersion":"2"}]`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"foreign topic", "/orders/api/events", `[{"id":"1","subject":"s","eventType":"T","eventTime":"2026-12-02T08:00:00Z","topic":"/x"}]`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"CloudEvents without source", "/ce-orders/api/events", `[{"id":"1","type":"T","specversion":"1.0"}]`, key, 400, "BadRequest", "InputJsonInvalid"},
		{"CloudEvents 0.3", "/ce-orders/api/events", `{"id":"1","type":"T","source":"s","specversion":"0.3"}`, key, 400, "BadRequest", "InputJsonInvalid"},
	}
	for _, tt := range tests {
		status, body := post(t, srv.URL+tt.path, tt.body, tt.header)
		var e apiErrorBody
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Errorf("%s: body %q is not JSON", tt.name, body)
			continue
		}
		if status != tt.status || e.Error.Code != tt.code || e.Error.Message == "" {
			t.Errorf("%s: %d %s, want %d %s", tt.name, status, body, tt.status, tt.code)
		}
		if tt.detail != "" && (len(e.Error.Details) != 1 || e.Error.Details[0].Code != tt.detail) {
			t.Errorf("%s: details %+v, want %s", tt.name, e.Error.Details, tt.detail)
		}
	}
	if rec.count() != 0 {
		t.Errorf("%d events delivered from rejected batches", rec.count())
	}
}

func TestCloudEventsTopicTakesStructuredBatchAndBinary(t *testing.T) {
	t.Parallel()
	rec := newRecorder(0)
	srv := topicServer(t, rec)
	endpoint := srv.URL + "/ce-orders/api/events"
	batch := `[{"id":"a","source":"/shop","type":"Order.Created","specversion":"1.0","time":"2026-12-02T08:00:00Z","data":{"n":1}},
		{"id":"b","source":"/shop","type":"Order.Created","specversion":"1.0"}]`
	if status, body := post(t, endpoint, batch, map[string]string{"aeg-sas-key": topicKey, "Content-Type": "application/cloudevents-batch+json; charset=utf-8"}); status != 200 {
		t.Fatalf("batch: %d %s", status, body)
	}
	if status, body := post(t, endpoint, `{"n":2}`, map[string]string{"aeg-sas-key": topicKey, "Content-Type": "application/json",
		"ce-id": "c", "ce-source": "/shop", "ce-type": "Order.Created", "ce-specversion": "1.0"}); status != 200 {
		t.Fatalf("binary: %d %s", status, body)
	}
	rec.waitCount(t, 3)
	ids := map[string]bool{}
	for _, d := range rec.deliveries {
		ids[d.Event.ID()] = true
		if d.Event.Schema != SchemaCloudEvents || d.Function != "G" {
			t.Errorf("delivery %+v", d)
		}
	}
	if !ids["a"] || !ids["b"] || !ids["c"] {
		t.Errorf("delivered ids %v", ids)
	}
}
