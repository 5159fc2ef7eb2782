package rest

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
)

func validateQueueNameForTest(name string) error { return storage.ValidateQueueName(name) }

// TestMalformedRequestsGetAzureErrors throws bad requests at the raw
// server: each gets its Azure status and code in the XML error shape,
// never a 500 and never a dropped connection.
func TestMalformedRequestsGetAzureErrors(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	store := openTestStore(t, "memory", clock)
	if _, err := store.CreateQueue(t.Context(), DevAccountName, "qqq", nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(NewQueueService(store), nil, clock, nil))
	t.Cleanup(srv.Close)

	cases := []struct {
		name, method, path, body string
		header                   map[string]string
		status                   int
		code                     string
	}{
		{"no account", "GET", "/", "", nil, 400, "InvalidUri"},
		{"unknown account", "GET", "/nobody/q?comp=metadata", "", nil, 400, "InvalidUri"},
		{"no credentials", "GET", "/devstoreaccount1/qqq?comp=metadata", "", nil, 401, "NoAuthenticationInformation"},
		{"garbage authorization", "GET", "/devstoreaccount1/qqq?comp=metadata", "", map[string]string{"Authorization": "Bearer x"}, 403, "AuthenticationFailed"},
		{"wrong account in authorization", "GET", "/devstoreaccount1/qqq?comp=metadata", "", map[string]string{"Authorization": "SharedKey other:AAAA"}, 403, "AuthenticationFailed"},
		{"signature not base64", "GET", "/devstoreaccount1/qqq?comp=metadata", "", map[string]string{"Authorization": "SharedKey devstoreaccount1:%%%"}, 403, "AuthenticationFailed"},
		{"sas without version", "GET", "/devstoreaccount1/qqq?comp=metadata&sig=abc", "", nil, 403, "AuthenticationFailed"},
		{"sas bad expiry", "GET", "/devstoreaccount1/qqq?comp=metadata&sv=2026-04-06&ss=q&srt=c&sp=r&se=never&sig=abc", "", nil, 403, "AuthenticationFailed"},
		{"bad percent encoding", "GET", "/devstoreaccount1/qqq?comp=%zz", "", nil, 400, "InvalidQueryParameterValue"},
		{"huge header", "GET", "/devstoreaccount1/qqq", "", map[string]string{"x-ms-meta-big": strings.Repeat("x", 70<<10)}, 400, "InvalidHeaderValue"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("x-ms-version", "2026-12-06")
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("connection failed: %v", err)
			}
			defer resp.Body.Close()
			checkAzureError(t, resp, c.status, c.code)
		})
	}
}

// TestMalformedAuthorizedRequests sends signed requests whose content is
// wrong.
func TestMalformedAuthorizedRequests(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	if _, err := env.store.CreateQueue(t.Context(), DevAccountName, "qqq", nil); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"unknown comp", "GET", "/qqq?comp=bogus", "", 400, "InvalidQueryParameterValue"},
		{"unknown service comp", "GET", "/?comp=bogus", "", 400, "InvalidQueryParameterValue"},
		{"invalid queue name", "PUT", "/Bad_Name", "", 400, "InvalidResourceName"},
		{"malformed xml", "POST", "/qqq/messages", "<QueueMessage><MessageText>", 400, "InvalidXmlDocument"},
		{"wrong root element", "POST", "/qqq/messages", "<Nope/>", 400, "InvalidXmlDocument"},
		{"empty body", "POST", "/qqq/messages", "", 400, "InvalidXmlDocument"},
		{"no message text", "POST", "/qqq/messages", "<QueueMessage/>", 400, "InvalidXmlDocument"},
		{"oversized message", "POST", "/qqq/messages", "<QueueMessage><MessageText>" + strings.Repeat("a", 64<<10+1) + "</MessageText></QueueMessage>", 413, "RequestBodyTooLarge"},
		{"body over the limit", "POST", "/qqq/messages", strings.Repeat("a", 1<<20+1), 413, "RequestBodyTooLarge"},
		{"numofmessages not a number", "GET", "/qqq/messages?numofmessages=ten", "", 400, "InvalidQueryParameterValue"},
		{"numofmessages zero", "GET", "/qqq/messages?numofmessages=0", "", 400, "OutOfRangeQueryParameterValue"},
		{"messagettl zero", "POST", "/qqq/messages?messagettl=0", "<QueueMessage><MessageText>x</MessageText></QueueMessage>", 400, "OutOfRangeQueryParameterValue"},
		{"update without receipt", "PUT", "/qqq/messages/abc?visibilitytimeout=0", "", 400, "MissingRequiredQueryParameter"},
		{"update without visibility", "PUT", "/qqq/messages/abc?popreceipt=AAAAAAAAAAAAAAAAAAAAAA", "", 400, "MissingRequiredQueryParameter"},
		{"deep message path", "DELETE", "/qqq/messages/a/b", "", 400, "InvalidUri"},
		{"other path under queue", "GET", "/qqq/other", "", 400, "InvalidUri"},
		{"bad metadata name", "PUT", "/qqq?comp=metadata", "", 400, "InvalidMetadata"},
		{"acl with six identifiers", "PUT", "/qqq?comp=acl", "<SignedIdentifiers>" + strings.Repeat("<SignedIdentifier><Id>a</Id></SignedIdentifier>", 6) + "</SignedIdentifiers>", 400, "InvalidXmlDocument"},
		{"acl bad time", "PUT", "/qqq?comp=acl", "<SignedIdentifiers><SignedIdentifier><Id>a</Id><AccessPolicy><Start>soon</Start></AccessPolicy></SignedIdentifier></SignedIdentifiers>", 400, "InvalidXmlDocument"},
		{"service properties not xml", "PUT", "/?restype=service&comp=properties", "{}", 400, "InvalidXmlDocument"},
		{"unsupported verb", "PATCH", "/qqq", "", 400, "UnsupportedHttpVerb"},
		{"message not found", "DELETE", "/qqq/messages/abc?popreceipt=AAAAAAAAAAAAAAAAAAAAAA", "", 404, "MessageNotFound"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, env.url+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "bad metadata name" {
				req.Header.Set("x-ms-meta-1abc", "v")
			}
			resp := doSigned(t, req)
			defer resp.Body.Close()
			checkAzureError(t, resp, c.status, c.code)
		})
	}
}

// doSigned signs req with the development key the way the SDKs do.
func doSigned(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	req.Header.Set("x-ms-version", "2026-12-06")
	req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat))
	if req.ContentLength > 0 {
		req.Header.Set("Content-Length", strconv.FormatInt(req.ContentLength, 10))
	}
	req.RequestURI = req.URL.RequestURI()
	key := DefaultAccounts().Lookup(DevAccountName).Keys[0]
	sts := sharedKeyStrings(req, DevAccountName)[0]
	req.RequestURI = ""
	req.Header.Set("Authorization", "SharedKey "+DevAccountName+":"+base64.StdEncoding.EncodeToString(sign(key, sts)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("connection failed: %v", err)
	}
	return resp
}

// getSignedOK GETs url signed and returns its body, failing the test
// unless it answers 200.
func getSignedOK(t *testing.T, url string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp := doSigned(t, req)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", url, resp.StatusCode, err, body)
	}
	return body
}

func checkAzureError(t *testing.T, resp *http.Response, status int, code string) {
	t.Helper()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status || resp.Header.Get("x-ms-error-code") != code {
		t.Fatalf("got %d %s, want %d %s; body %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"), status, code, body)
	}
	var e struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
		Message string   `xml:"Message"`
	}
	if err := xml.Unmarshal(body, &e); err != nil || e.Code != code || !strings.Contains(e.Message, "\nRequestId:") {
		t.Fatalf("error body %q is not Azure's shape (%v)", body, err)
	}
	if resp.Header.Get("x-ms-request-id") == "" || !strings.Contains(e.Message, resp.Header.Get("x-ms-request-id")) {
		t.Fatalf("request id header %q missing from the body", resp.Header.Get("x-ms-request-id"))
	}
}

// panicService's only operation panics.
type panicService struct{}

func (panicService) Kind() string { return "queue" }
func (panicService) Route(*Request) (*Operation, error) {
	return &Operation{Name: "Boom", Public: true, Handle: func(http.ResponseWriter, *Request) error {
		var m map[string]int
		m["x"]++ // a nil map write panics
		return nil
	}}, nil
}
func (panicService) StoredPolicy(context.Context, string, string, string) (*AccessPolicy, error) {
	return nil, nil
}
func (panicService) AllowAnonymous(*Request, *Operation) bool { return false }

func TestPanicBecomesInternalError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(NewServer(panicService{}, nil, newFakeClock(), nil))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/devstoreaccount1/qqq")
	if err != nil {
		t.Fatalf("connection dropped: %v", err)
	}
	defer resp.Body.Close()
	checkAzureError(t, resp, 500, "InternalError")
}
