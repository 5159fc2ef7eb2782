package rest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/sas"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator/clock"
)

// fakeToken is a credential that hands out unsigned JWTs with the given
// claims, the way a real Entra token looks to a service that cannot check
// its signature.
type fakeToken struct{ claims map[string]any }

func (f fakeToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	tok := enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(f.claims) + ".c2lnbmF0dXJl"
	return azcore.AccessToken{Token: tok, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func tokenFor(now time.Time, aud string) fakeToken {
	return fakeToken{claims: map[string]any{"aud": aud, "iss": "https://sts.windows.net/tenant-1/",
		"nbf": now.Add(-time.Hour).Unix(), "exp": now.Add(time.Hour).Unix(), "oid": "user-1", "tid": "tenant-1"}}
}

type httpsEnv struct {
	blobURL, queueURL string
	clock             *clock.Virtual
	transport         *http.Client
	opts              azcore.ClientOptions
}

// newHTTPSEnv serves Blob and Queue over HTTPS with a self-signed pair,
// oauth as asked, and a client transport that trusts the pair.
func newHTTPSEnv(t *testing.T, oauth bool) *httpsEnv {
	t.Helper()
	clock := newFakeClock()
	store := openTestStore(t, "memory", clock)
	dir := t.TempDir()
	certFile, keyFile, err := SelfSignedCert(dir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// A second call reuses the pair.
	if again, _, err := SelfSignedCert(dir, time.Now()); err != nil || again != certFile {
		t.Fatalf("self-signed pair not reused: %v", err)
	}
	cfg, err := LoadTLS(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	servers, err := Start(Config{Blob: NewBlobService(store), Queue: NewQueueService(store), Clock: clock, TLS: cfg, OAuth: oauth})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { servers.Close(context.Background()) })
	if !strings.HasPrefix(servers.BlobURL, "https://") || !strings.HasPrefix(servers.QueueURL, "https://") {
		t.Fatalf("URLs %s %s", servers.BlobURL, servers.QueueURL)
	}
	pem, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(client.CloseIdleConnections)
	opts := noRetry
	opts.Transport = client
	return &httpsEnv{blobURL: servers.BlobURL, queueURL: servers.QueueURL, clock: clock, transport: client, opts: opts}
}

func TestHTTPSAndOAuth(t *testing.T) {
	t.Parallel()
	e := newHTTPSEnv(t, true)
	ctx := context.Background()
	bc, err := azblob.NewClient(e.blobURL+"/", tokenFor(e.clock.Now(), "https://storage.azure.com"), &azblob.ClientOptions{ClientOptions: e.opts})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bc.CreateContainer(ctx, "secure", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := bc.UploadBuffer(ctx, "secure", "doc", []byte("secret"), nil); err != nil {
		t.Fatal(err)
	}
	if got := download(t, bc.ServiceClient().NewContainerClient("secure").NewBlobClient("doc")); got != "secret" {
		t.Fatalf("download over https with a bearer token: %q", got)
	}

	// Tokens for another audience, expired or malformed are refused.
	for name, cred := range map[string]azcore.TokenCredential{
		"wrong audience": tokenFor(e.clock.Now(), "https://vault.azure.net"),
		"expired":        tokenFor(e.clock.Now().Add(-3*time.Hour), "https://storage.azure.com"),
		"not a jwt":      fakeToken{},
	} {
		c, _ := azblob.NewClient(e.blobURL+"/", cred, &azblob.ClientOptions{ClientOptions: e.opts})
		_, err := c.ServiceClient().NewContainerClient("secure").GetProperties(ctx, nil)
		if s, _ := azureCode(t, err); s != 401 && s != 403 {
			t.Fatalf("%s: %d", name, s)
		}
	}

	// User delegation key and a user delegation SAS.
	svc := bc.ServiceClient()
	start, expiry := e.clock.Now().Add(-time.Minute), e.clock.Now().Add(time.Hour)
	udc, err := svc.GetUserDelegationCredential(ctx, service.KeyInfo{
		Start: to.Ptr(start.UTC().Format(sas.TimeFormat)), Expiry: to.Ptr(expiry.UTC().Format(sas.TimeFormat))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.GetUserDelegationCredential(ctx, service.KeyInfo{
		Start: to.Ptr(start.UTC().Format(sas.TimeFormat)), Expiry: to.Ptr(e.clock.Now().Add(8 * 24 * time.Hour).UTC().Format(sas.TimeFormat))}, nil)
	wantCode(t, err, 400, "InvalidXmlNodeValue")
	qp, err := sas.BlobSignatureValues{Protocol: sas.ProtocolHTTPS, StartTime: start, ExpiryTime: expiry,
		Permissions: to.Ptr(sas.BlobPermissions{Read: true}).String(), ContainerName: "secure", BlobName: "doc"}.SignWithUserDelegation(udc)
	if err != nil {
		t.Fatal(err)
	}
	sasURL := e.blobURL + "/secure/doc?" + qp.Encode()
	anon, err := blob.NewClientWithNoCredential(sasURL, &blob.ClientOptions{ClientOptions: e.opts})
	if err != nil {
		t.Fatal(err)
	}
	if got := download(t, anon); got != "secret" {
		t.Fatalf("read through a user delegation SAS: %q", got)
	}
	_, err = anon.SetMetadata(ctx, map[string]*string{"a": to.Ptr("b")}, nil)
	wantCode(t, err, 403, "AuthorizationPermissionMismatch")
	tampered, _ := blob.NewClientWithNoCredential(strings.Replace(sasURL, "skoid=user-1", "skoid=user-2", 1), &blob.ClientOptions{ClientOptions: e.opts})
	_, err = tampered.GetProperties(ctx, nil)
	wantCode(t, err, 403, "AuthenticationFailed")

	// SharedKey cannot get a user delegation key, as on Azure.
	req, _ := http.NewRequest(http.MethodPost, e.blobURL+"/?restype=service&comp=userdelegationkey",
		strings.NewReader("<KeyInfo><Expiry>"+expiry.UTC().Format(sas.TimeFormat)+"</Expiry></KeyInfo>"))
	req.Header.Set("x-ms-date", time.Now().UTC().Format(http.TimeFormat)) // SharedKey dates follow the machine clock
	req.Header.Set("x-ms-version", "2026-12-06")
	signForTest(t, req, DevAccountName, DevAccountKey)
	resp, err := e.transport.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 || resp.Header.Get("x-ms-error-code") != "AuthenticationFailed" {
		t.Fatalf("user delegation key with SharedKey: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}

	// The Queue service speaks HTTPS too, with SharedKey or a token.
	qcred, _ := azqueue.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	qc, err := azqueue.NewServiceClientWithSharedKeyCredential(e.queueURL+"/", qcred, &azqueue.ClientOptions{ClientOptions: e.opts})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := qc.CreateQueue(ctx, "secure-q", nil); err != nil {
		t.Fatal(err)
	}
	tq, _ := azqueue.NewServiceClient(e.queueURL+"/", tokenFor(e.clock.Now(), "https://storage.azure.com/"), &azqueue.ClientOptions{ClientOptions: e.opts})
	if _, err := tq.NewQueueClient("secure-q").EnqueueMessage(ctx, "hi", nil); err != nil {
		t.Fatalf("enqueue with a token: %v", err)
	}
}

func TestBearerRefusedWithoutOAuth(t *testing.T) {
	t.Parallel()
	e := newHTTPSEnv(t, false)
	bc, err := azblob.NewClient(e.blobURL+"/", tokenFor(e.clock.Now(), "https://storage.azure.com"), &azblob.ClientOptions{ClientOptions: e.opts})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bc.CreateContainer(context.Background(), "nope", nil)
	wantCode(t, err, 403, "AuthenticationFailed")
}
