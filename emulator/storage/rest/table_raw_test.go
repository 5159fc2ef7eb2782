package rest

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rawTable sends one signed request (SharedKeyLite, as the SDKs sign
// Table requests) and returns the response and its body.
func (env *tableEnv) raw(t *testing.T, method, path string, header map[string]string, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, env.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if req.Header.Get("Content-Type") == "" && body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	date := time.Now().UTC().Format(http.TimeFormat)
	req.Header.Set("x-ms-date", date)
	req.Header.Set("x-ms-version", "2019-02-02")
	res := "/" + DevAccountName + req.URL.EscapedPath()
	if c := req.URL.Query().Get("comp"); c != "" {
		res += "?comp=" + c
	}
	key, _ := base64.StdEncoding.DecodeString(DevAccountKey)
	req.Header.Set("Authorization", "SharedKeyLite "+DevAccountName+":"+base64.StdEncoding.EncodeToString(sign(key, date+"\n"+res)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func keyPath(table, pk, rk string) string {
	q := func(s string) string { return url.PathEscape("'" + strings.ReplaceAll(s, "'", "''") + "'") }
	return "/" + table + "(PartitionKey=" + q(pk) + ",RowKey=" + q(rk) + ")"
}
