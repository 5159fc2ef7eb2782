package rest

import (
	"net/http"
	"testing"
)

func TestHostAccount(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]string{
		"127.0.0.1:10000":                       "",
		"localhost:10000":                       "",
		"[::1]:10001":                           "",
		"host.docker.internal:10000":            "",
		"devstoreaccount1.blob.localhost:10000": "devstoreaccount1",
		"acct2.queue.example.test":              "acct2",
	} {
		if got := hostAccount(host); got != want {
			t.Errorf("hostAccount(%q) = %q, want %q", host, got, want)
		}
	}
}

// A production-style host names the account; the path starts at the queue.
func TestProductionStyleHost(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	base := env.url[:len(env.url)-len("/"+DevAccountName)]
	req, err := http.NewRequest(http.MethodPut, base+"/hoststyle", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = DevAccountName + ".queue.localhost"
	resp := doSigned(t, req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create via host-style URL: %d %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"))
	}
	if _, err := env.store.GetQueue(t.Context(), DevAccountName, "hoststyle"); err != nil {
		t.Fatalf("queue not created in the host's account: %v", err)
	}
}
