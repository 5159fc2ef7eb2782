package rest

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

// TestTableSharedKeyFull signs with the Table service's SharedKey string
// (verb, Content-MD5, Content-Type, date, resource), which has no
// canonicalized headers, unlike Blob and Queue.
func TestTableSharedKeyFull(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	env.table(t, "signed")
	send := func(sts func(date string) string) int {
		req, _ := http.NewRequest("POST", env.url+"/signed", strings.NewReader(`{"PartitionKey":"p","RowKey":"`+time.Now().Format("150405.000000000")+`"}`))
		req.Header.Set("Content-Type", "application/json")
		date := time.Now().UTC().Format(http.TimeFormat)
		req.Header.Set("x-ms-date", date)
		req.Header.Set("x-ms-version", "2019-02-02")
		key, _ := base64.StdEncoding.DecodeString(DevAccountKey)
		req.Header.Set("Authorization", "SharedKey "+DevAccountName+":"+base64.StdEncoding.EncodeToString(sign(key, sts(date))))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	resource := "/" + DevAccountName + "/" + DevAccountName + "/signed"
	if code := send(func(d string) string { return "POST\n\napplication/json\n" + d + "\n" + resource }); code != 201 {
		t.Fatalf("SharedKey (Table form): %d", code)
	}
	// The Blob/Queue form (with x-ms- headers) is not what the Table
	// service verifies.
	if code := send(func(d string) string {
		return "POST\n\n\n\n\napplication/json\n\n\n\n\n\n\nx-ms-date:" + d + "\nx-ms-version:2019-02-02\n" + resource
	}); code != 403 {
		t.Fatalf("SharedKey in the blob form: %d, want 403", code)
	}
}

func TestTableServicePropertiesAndCORS(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	_, err := env.client.SetProperties(ctx, aztables.ServiceProperties{Cors: []*aztables.CorsRule{{
		AllowedOrigins: to.Ptr("https://app.example"), AllowedMethods: to.Ptr("GET,POST"),
		AllowedHeaders: to.Ptr("*"), ExposedHeaders: to.Ptr("x-ms-request-id"), MaxAgeInSeconds: to.Ptr[int32](60),
	}}}, nil)
	if err != nil {
		t.Fatalf("set properties: %v", err)
	}
	props, err := env.client.GetProperties(ctx, nil)
	if err != nil || len(props.Cors) != 1 || *props.Cors[0].AllowedOrigins != "https://app.example" {
		t.Fatalf("get properties: %+v %v", props, err)
	}
	req, _ := http.NewRequest("OPTIONS", env.url+"/Tables", nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	req.Header.Set("Origin", "https://evil.example")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("preflight from another origin: %d", resp.StatusCode)
	}
	r, _ := env.raw(t, "GET", "/Tables", map[string]string{"Origin": "https://app.example"}, "")
	if r.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Fatalf("CORS headers on a request: %v", r.Header)
	}
}
