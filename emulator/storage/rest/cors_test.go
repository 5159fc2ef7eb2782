package rest

import (
	"context"
	"net/http"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"
)

func TestWildcardSubdomainOrigins(t *testing.T) {
	t.Parallel()
	rule := corsRule{AllowedOrigins: "https://*.contoso.com, http://localhost:3000"}
	for origin, want := range map[string]bool{
		"https://www.contoso.com":         true,
		"https://a.b.contoso.com":         true,
		"HTTPS://WWW.CONTOSO.COM":         true,
		"http://localhost:3000":           true,
		"https://contoso.com":             false,
		"http://www.contoso.com":          false,
		"https://www.contoso.com.evil.io": false,
		"https://evil.io/.contoso.com":    false,
		"https://www.contoso.com:8443":    false,
		"http://localhost:3001":           false,
	} {
		if _, got := originAllowed(rule, origin); got != want {
			t.Errorf("origin %q allowed = %v, want %v", origin, got, want)
		}
	}
}

// corsGet sends a signed GET with an Origin header.
func corsGet(t *testing.T, url, origin string) http.Header {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp := doSigned(t, req)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	return resp.Header
}

func preflight(t *testing.T, url, origin, method string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodOptions, url, nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", method)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestBlobCORSVaryAndWildcards(t *testing.T) {
	t.Parallel()
	e := newBlobEnv(t, "memory")
	ctx := context.Background()
	listURL := e.url + "/?comp=list"
	if h := corsGet(t, listURL, "https://www.contoso.com"); h.Get("Vary") != "" || h.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("CORS headers without rules: %v", h)
	}
	if _, err := e.client.ServiceClient().SetProperties(ctx, &service.SetPropertiesOptions{CORS: []*service.CORSRule{{
		AllowedOrigins: to.Ptr("https://*.contoso.com"), AllowedMethods: to.Ptr("GET"), AllowedHeaders: to.Ptr("*"),
		ExposedHeaders: to.Ptr("*"), MaxAgeInSeconds: to.Ptr(int32(10)),
	}}}); err != nil {
		t.Fatal(err)
	}
	h := corsGet(t, listURL, "https://www.contoso.com")
	if h.Get("Access-Control-Allow-Origin") != "https://www.contoso.com" || h.Get("Vary") != "Origin" {
		t.Fatalf("matching origin: %v", h)
	}
	for _, origin := range []string{"https://evil.io", ""} {
		h := corsGet(t, listURL, origin)
		if h.Get("Access-Control-Allow-Origin") != "" || h.Get("Vary") != "Origin" {
			t.Fatalf("origin %q: %v", origin, h)
		}
	}
	if resp := preflight(t, e.url+"/any/blob", "https://app.contoso.com", "GET"); resp.StatusCode != 200 ||
		resp.Header.Get("Access-Control-Allow-Origin") != "https://app.contoso.com" {
		t.Fatalf("preflight from a subdomain: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := preflight(t, e.url+"/any/blob", "https://contoso.com", "GET"); resp.StatusCode != 403 {
		t.Fatalf("preflight from the bare domain: %d", resp.StatusCode)
	}
}

func TestQueueCORS(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	ctx := context.Background()
	if _, err := env.client.CreateQueue(ctx, "web", nil); err != nil {
		t.Fatal(err)
	}
	resp := preflight(t, env.url+"/web/messages", "https://app.example", "POST")
	if resp.StatusCode != 403 || resp.Header.Get("x-ms-error-code") != "CorsPreflightFailure" {
		t.Fatalf("preflight without rules: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}
	if _, err := env.client.SetProperties(ctx, &azqueue.SetPropertiesOptions{CORS: []*azqueue.CORSRule{{
		AllowedOrigins: to.Ptr("https://app.example"), AllowedMethods: to.Ptr("GET,POST,DELETE"),
		AllowedHeaders: to.Ptr("x-ms-*"), ExposedHeaders: to.Ptr("x-ms-request-id"), MaxAgeInSeconds: to.Ptr(int32(300)),
	}}}); err != nil {
		t.Fatal(err)
	}
	resp = preflight(t, env.url+"/web/messages", "https://app.example", "POST")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		resp.Header.Get("Access-Control-Allow-Methods") != "POST" || resp.Header.Get("Access-Control-Max-Age") != "300" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	if resp := preflight(t, env.url+"/web/messages", "https://app.example", "PUT"); resp.StatusCode != 403 {
		t.Fatalf("preflight for a method no rule allows: %d", resp.StatusCode)
	}
	h := corsGet(t, env.url+"/web/messages?peekonly=true", "https://app.example")
	if h.Get("Access-Control-Allow-Origin") != "https://app.example" || h.Get("Access-Control-Expose-Headers") != "x-ms-request-id" || h.Get("Vary") != "Origin" {
		t.Fatalf("actual request: %v", h)
	}
	_, err := env.client.SetProperties(ctx, &azqueue.SetPropertiesOptions{CORS: []*azqueue.CORSRule{{
		AllowedOrigins: to.Ptr("*"), AllowedMethods: to.Ptr("FETCH")}}})
	wantCode(t, err, 400, "InvalidXmlNodeValue")
}
