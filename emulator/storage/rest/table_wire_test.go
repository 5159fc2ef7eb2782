package rest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"
)

func TestTableMetadataLevelsAndPrefer(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	env.table(t, "meta")
	body := `{"PartitionKey":"p","RowKey":"r","N":5,"D":2.0,"Big":"9","Big@odata.type":"Edm.Int64"}`
	resp, got := env.raw(t, "POST", "/meta", map[string]string{"Prefer": "return-no-content"}, body)
	if resp.StatusCode != 204 || resp.Header.Get("Preference-Applied") != "return-no-content" || got != "" ||
		!strings.HasPrefix(resp.Header.Get("ETag"), `W/"datetime'`) || !strings.Contains(resp.Header.Get("Location"), "meta(PartitionKey='p',RowKey='r')") {
		t.Fatalf("insert return-no-content: %d %v %q", resp.StatusCode, resp.Header, got)
	}
	path := keyPath("meta", "p", "r")
	for accept, want := range map[string][]string{
		"application/json;odata=nometadata":      {`"N":5`, `"D":2.0`, `"Big":"9"`},
		"application/json;odata=minimalmetadata": {`"odata.metadata":"` + env.url + `/$metadata#meta/@Element"`, `"odata.etag":"W/\"datetime'`, `"Big@odata.type":"Edm.Int64","Big":"9"`},
		"application/json;odata=fullmetadata":    {`"odata.type":"devstoreaccount1.meta"`, `"odata.editLink":"meta(PartitionKey='p',RowKey='r')"`, `"Timestamp@odata.type":"Edm.DateTime"`, `"D@odata.type":"Edm.Double","D":2.0`},
	} {
		resp, got := env.raw(t, "GET", path, map[string]string{"Accept": accept}, "")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", accept, resp.StatusCode, got)
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: body %s lacks %s", accept, got, w)
			}
		}
		if strings.Contains(accept, "nometadata") && strings.Contains(got, "odata") {
			t.Errorf("nometadata body has odata members: %s", got)
		}
		if !strings.Contains(resp.Header.Get("Content-Type"), strings.TrimPrefix(accept, "application/json;")) {
			t.Errorf("%s: Content-Type %q", accept, resp.Header.Get("Content-Type"))
		}
	}
	resp, got = env.raw(t, "POST", "/meta", map[string]string{"Prefer": "return-content"}, `{"PartitionKey":"p","RowKey":"s"}`)
	if resp.StatusCode != 201 || resp.Header.Get("Preference-Applied") != "return-content" || !strings.Contains(got, `"RowKey":"s"`) {
		t.Fatalf("insert return-content: %d %s", resp.StatusCode, got)
	}
}

// TestTableBadInput sends malformed requests: each gets Azure's status and
// odata.error code in JSON, never a 500, and nothing is written.
func TestTableBadInput(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	env.table(t, "bad")
	big := strings.Repeat("x", 40000)
	var many strings.Builder
	many.WriteString(`{"PartitionKey":"p","RowKey":"many"`)
	for i := 0; i < 253; i++ {
		many.WriteString(`,"P` + strings.Repeat("x", 1) + string(rune('a'+i%26)) + strings.Repeat("y", i/26) + `":1`)
	}
	many.WriteString("}")
	var huge strings.Builder
	huge.WriteString(`{"PartitionKey":"p","RowKey":"huge"`)
	for i := 0; i < 20; i++ {
		huge.WriteString(`,"S` + string(rune('a'+i)) + `":"` + big[:30000] + `"`)
	}
	huge.WriteString("}")
	cases := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"filter syntax", "GET", "/bad()?$filter=Age%20eq", "", 400, "InvalidInput"},
		{"filter quote", "GET", "/bad()?$filter=Name%20eq%20'x", "", 400, "InvalidInput"},
		{"filter bad datetime", "GET", "/bad()?$filter=T%20eq%20datetime'nope'", "", 400, "InvalidInput"},
		{"top too big", "GET", "/bad()?$top=1001", "", 400, "InvalidInput"},
		{"not json", "POST", "/bad", "{nope", 400, "InvalidInput"},
		{"no keys", "POST", "/bad", `{"A":1}`, 400, "PropertiesNeedValue"},
		{"wrong type", "POST", "/bad", `{"PartitionKey":"p","RowKey":"r","A":"x","A@odata.type":"Edm.Int64"}`, 400, "InvalidInput"},
		{"nested value", "POST", "/bad", `{"PartitionKey":"p","RowKey":"r","A":{"b":1}}`, 400, "InvalidInput"},
		{"bad key char", "POST", "/bad", `{"PartitionKey":"a/b","RowKey":"r"}`, 400, "InvalidInput"},
		{"bad property name", "POST", "/bad", `{"PartitionKey":"p","RowKey":"r","1x":1}`, 400, "PropertyNameInvalid"},
		{"duplicate property", "POST", "/bad", `{"PartitionKey":"p","RowKey":"r","A":1,"A":2}`, 400, "DuplicatePropertiesSpecified"},
		{"string too large", "POST", "/bad", `{"PartitionKey":"p","RowKey":"r","A":"` + big + `"}`, 400, "PropertyValueTooLarge"},
		{"too many properties", "POST", "/bad", many.String(), 400, "TooManyProperties"},
		{"entity too large", "POST", "/bad", huge.String(), 400, "EntityTooLarge"},
		{"missing table", "POST", "/nothere", `{"PartitionKey":"p","RowKey":"r"}`, 404, "TableNotFound"},
		{"read in missing table", "GET", "/nothere(PartitionKey='p',RowKey='r')", "", 404, "TableNotFound"},
		{"query missing table", "GET", "/nothere()", "", 404, "TableNotFound"},
		{"missing entity", "GET", "/bad(PartitionKey='p',RowKey='nope')", "", 404, "ResourceNotFound"},
		{"delete without If-Match", "DELETE", "/bad(PartitionKey='p',RowKey='r')", "", 400, "MissingRequiredHeader"},
		{"bad table name", "POST", "/Tables", `{"TableName":"a-b"}`, 400, "InvalidResourceName"},
		{"bad key syntax", "GET", "/bad(PartitionKey=p)", "", 400, "InvalidUri"},
		{"bad continuation", "GET", "/bad()?NextPartitionKey=zzz", "", 400, "InvalidInput"},
	}
	for _, tc := range cases {
		resp, body := env.raw(t, tc.method, tc.path, nil, tc.body)
		var e struct {
			Err struct {
				Code    string `json:"code"`
				Message struct {
					Value string `json:"value"`
				} `json:"message"`
			} `json:"odata.error"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Errorf("%s: body is not odata.error JSON: %s", tc.name, body)
			continue
		}
		if resp.StatusCode != tc.status || e.Err.Code != tc.code || resp.Header.Get("x-ms-error-code") != tc.code || !strings.Contains(e.Err.Message.Value, "RequestId:") {
			t.Errorf("%s: %d %s, want %d %s (%s)", tc.name, resp.StatusCode, e.Err.Code, tc.status, tc.code, e.Err.Message.Value)
		}
	}
	resp, body := env.raw(t, "GET", "/bad()", nil, "")
	if resp.StatusCode != 200 || !strings.Contains(body, `"value":[]`) {
		t.Fatalf("after bad input the table holds: %s", body)
	}
}

func TestTableSAS(t *testing.T) {
	t.Parallel()
	env := newTableEnv(t)
	ctx := context.Background()
	c := env.table(t, "secured")
	env.table(t, "other")
	for _, pk := range []string{"a", "b", "c"} {
		if _, err := c.AddEntity(ctx, entityJSON(t, pk, "1", nil), nil); err != nil {
			t.Fatal(err)
		}
	}
	expiry := env.clock.Now().Add(time.Hour)
	// Read-only table SAS from the SDK.
	sasURL, err := c.GetTableSASURL(aztables.SASPermissions{Read: true}, env.clock.Now().Add(-time.Minute), expiry)
	if err != nil {
		t.Fatal(err)
	}
	// The SDK joins a path-style endpoint and the table without a slash;
	// keep its query, which is what is under test.
	_, query, _ := strings.Cut(sasURL, "?")
	ro, err := aztables.NewClientWithNoCredential(env.url+"/secured?"+query, &aztables.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.GetEntity(ctx, "a", "1", nil); err != nil {
		t.Fatalf("read with r SAS: %v", err)
	}
	_, err = ro.AddEntity(ctx, entityJSON(t, "z", "1", nil), nil)
	wantCode(t, err, 403, "AuthorizationPermissionMismatch")

	// A key range (signed by hand: the SDK does not send spk/epk).
	sas := signTableSAS(t, "secured", "raud", expiry, "b", "", "c", "")
	_, body := sasDo(t, env, "GET", "/secured()?"+sas, "")
	if !strings.Contains(body, `"PartitionKey":"b"`) || !strings.Contains(body, `"PartitionKey":"c"`) || strings.Contains(body, `"PartitionKey":"a"`) {
		t.Fatalf("range query: %s", body)
	}
	if code := sasStatus(t, env, "POST", "/secured?"+sas, `{"PartitionKey":"a","RowKey":"2"}`); code != 403 {
		t.Fatalf("insert outside the range: %d", code)
	}
	if code := sasStatus(t, env, "POST", "/secured?"+sas, `{"PartitionKey":"b","RowKey":"2"}`); code != 201 {
		t.Fatalf("insert inside the range: %d", code)
	}
	if code := sasStatus(t, env, "GET", "/other()?"+sas, ""); code != 403 {
		t.Fatalf("SAS for another table: %d", code)
	}
	tampered := strings.Replace(sas, "sp=raud", "sp=r", 1)
	if code := sasStatus(t, env, "GET", "/secured()?"+tampered, ""); code != 403 {
		t.Fatalf("tampered SAS: %d", code)
	}

	// A stored access policy gives the permissions.
	if _, err := c.SetAccessPolicy(ctx, &aztables.SetAccessPolicyOptions{TableACL: []*aztables.SignedIdentifier{{
		ID: toPtr("readers"), AccessPolicy: &aztables.AccessPolicy{Permission: toPtr("r"), Start: toPtr(env.clock.Now().Add(-time.Hour)), Expiry: &expiry},
	}}}); err != nil {
		t.Fatalf("set acl: %v", err)
	}
	acl, err := c.GetAccessPolicy(ctx, nil)
	if err != nil || len(acl.SignedIdentifiers) != 1 || *acl.SignedIdentifiers[0].ID != "readers" {
		t.Fatalf("get acl: %+v %v", acl, err)
	}
	policySAS := signTableSASPolicy(t, "secured", "readers")
	if code := sasStatus(t, env, "GET", "/secured()?"+policySAS, ""); code != 200 {
		t.Fatalf("query with stored policy SAS: %d", code)
	}
	if code := sasStatus(t, env, "POST", "/secured?"+policySAS, `{"PartitionKey":"b","RowKey":"3"}`); code != 403 {
		t.Fatalf("insert with read-only stored policy: %d", code)
	}

	// Account SAS covering tables.
	qp, err := aztables.AccountSASSignatureValues{Protocol: aztables.SASProtocolHTTPSandHTTP, StartTime: env.clock.Now().Add(-time.Minute), ExpiryTime: expiry,
		Permissions: "rl", Services: "t", ResourceTypes: "co"}.Sign(env.cred)
	if err != nil {
		t.Fatal(err)
	}
	svcSAS := env.url + "?" + qp.Encode()
	svc, err := aztables.NewServiceClientWithNoCredential(svcSAS, &aztables.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.NewClient("secured").GetEntity(ctx, "a", "1", nil); err != nil {
		t.Fatalf("read with account SAS: %v", err)
	}
	_, err = svc.CreateTable(ctx, "nope", nil)
	wantStatus(t, err, 403)
}

func toPtr[T any](v T) *T { return &v }

func sasStatus(t *testing.T, env *tableEnv, method, path, body string) int {
	t.Helper()
	code, _ := sasDo(t, env, method, path, body)
	return code
}

// sasDo sends a request authorized only by the SAS in its query.
func sasDo(t *testing.T, env *tableEnv, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, env.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-ms-version", "2019-02-02")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// signTableSAS builds a table service SAS query string by the documented
// rules: sp, st, se, /table/account/table, si, sip, spr, sv, spk, srk, epk, erk.
func signTableSAS(t *testing.T, table, perms string, expiry time.Time, spk, srk, epk, erk string) string {
	t.Helper()
	se := expiry.UTC().Format(time.RFC3339)
	sts := strings.Join([]string{perms, "", se, "/table/" + DevAccountName + "/" + table, "", "", "", "2019-02-02", spk, srk, epk, erk}, "\n")
	key, _ := base64.StdEncoding.DecodeString(DevAccountKey)
	q := url.Values{"sv": {"2019-02-02"}, "tn": {table}, "sp": {perms}, "se": {se}, "sig": {base64.StdEncoding.EncodeToString(sign(key, sts))}}
	for k, v := range map[string]string{"spk": spk, "srk": srk, "epk": epk, "erk": erk} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

func signTableSASPolicy(t *testing.T, table, id string) string {
	t.Helper()
	sts := strings.Join([]string{"", "", "", "/table/" + DevAccountName + "/" + table, id, "", "", "2019-02-02", "", "", "", ""}, "\n")
	key, _ := base64.StdEncoding.DecodeString(DevAccountKey)
	return url.Values{"sv": {"2019-02-02"}, "tn": {table}, "si": {id}, "sig": {base64.StdEncoding.EncodeToString(sign(key, sts))}}.Encode()
}
