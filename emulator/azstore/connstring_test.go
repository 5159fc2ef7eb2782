package azstore

import (
	"strings"
	"testing"
)

func TestParseConnectionString(t *testing.T) {
	const key = "a2V5MQ==" // "key1"
	tests := []struct {
		name      string
		in        string
		account   string
		blob      string
		queue     string
		auth      Auth
		dev       bool
		secretKey string
		secretSAS string
	}{
		{name: "account and key", in: "DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey=" + key + ";EndpointSuffix=core.windows.net",
			account: "myacct", blob: "https://myacct.blob.core.windows.net/", queue: "https://myacct.queue.core.windows.net/", auth: AuthSharedKey, secretKey: key},
		{name: "defaults to https and core.windows.net", in: "AccountName=myacct;AccountKey=" + key,
			account: "myacct", blob: "https://myacct.blob.core.windows.net/", queue: "https://myacct.queue.core.windows.net/", auth: AuthSharedKey, secretKey: key},
		{name: "sovereign cloud suffix over http", in: "DefaultEndpointsProtocol=http;AccountName=myacct;AccountKey=" + key + ";EndpointSuffix=core.chinacloudapi.cn;",
			account: "myacct", blob: "http://myacct.blob.core.chinacloudapi.cn/", queue: "http://myacct.queue.core.chinacloudapi.cn/", auth: AuthSharedKey, secretKey: key},
		{name: "keys are case-insensitive, spaces trimmed", in: " accountname = myacct ; ACCOUNTKEY=" + key + " ;",
			account: "myacct", blob: "https://myacct.blob.core.windows.net/", queue: "https://myacct.queue.core.windows.net/", auth: AuthSharedKey, secretKey: key},
		{name: "explicit endpoints win", in: "AccountName=devstoreaccount1;AccountKey=" + key + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1",
			account: "devstoreaccount1", blob: "http://127.0.0.1:10000/devstoreaccount1/", queue: "http://127.0.0.1:10001/devstoreaccount1/", auth: AuthSharedKey, secretKey: key},
		{name: "one explicit endpoint, the other derived", in: "AccountName=myacct;AccountKey=" + key + ";BlobEndpoint=https://cdn.example.com/",
			account: "myacct", blob: "https://cdn.example.com/", queue: "https://myacct.queue.core.windows.net/", auth: AuthSharedKey, secretKey: key},
		{name: "SAS with endpoints", in: "BlobEndpoint=https://myacct.blob.core.windows.net/;QueueEndpoint=https://myacct.queue.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=bq&srt=sco&sp=rwdlacup&se=2030-01-01T00:00:00Z&sig=abc%3D",
			account: "myacct", blob: "https://myacct.blob.core.windows.net/", queue: "https://myacct.queue.core.windows.net/", auth: AuthSAS,
			secretSAS: "sv=2022-11-02&ss=bq&srt=sco&sp=rwdlacup&se=2030-01-01T00:00:00Z&sig=abc%3D"},
		{name: "SAS with leading question mark and account name", in: "AccountName=myacct;SharedAccessSignature=?sv=1&sig=x",
			account: "myacct", blob: "https://myacct.blob.core.windows.net/", queue: "https://myacct.queue.core.windows.net/", auth: AuthSAS, secretSAS: "sv=1&sig=x"},
		{name: "SAS on a path-style endpoint names the account from the path", in: "QueueEndpoint=http://10.0.0.5:10001/teamacct;SharedAccessSignature=sv=1&sig=x",
			account: "teamacct", queue: "http://10.0.0.5:10001/teamacct/", auth: AuthSAS, secretSAS: "sv=1&sig=x"},
		{name: "anonymous endpoint", in: "BlobEndpoint=https://public.blob.core.windows.net",
			account: "public", blob: "https://public.blob.core.windows.net/", auth: AuthAnonymous},
		{name: "development storage", in: "UseDevelopmentStorage=true",
			account: DevelopmentAccount, blob: "http://127.0.0.1:10000/devstoreaccount1/", queue: "http://127.0.0.1:10001/devstoreaccount1/", auth: AuthSharedKey, dev: true, secretKey: DevelopmentKey},
		{name: "development storage through a proxy", in: "UseDevelopmentStorage=True;DevelopmentStorageProxyUri=http://azurite.local",
			account: DevelopmentAccount, blob: "http://azurite.local:10000/devstoreaccount1/", queue: "http://azurite.local:10001/devstoreaccount1/", auth: AuthSharedKey, dev: true, secretKey: DevelopmentKey},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := ParseConnectionString(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if a.Name != tc.account || a.BlobURL != tc.blob || a.QueueURL != tc.queue || a.Auth != tc.auth || a.IsDevelopment() != tc.dev {
				t.Errorf("got name %q blob %q queue %q auth %v dev %v\nwant      %q      %q       %q      %v     %v",
					a.Name, a.BlobURL, a.QueueURL, a.Auth, a.IsDevelopment(), tc.account, tc.blob, tc.queue, tc.auth, tc.dev)
			}
			if a.key != tc.secretKey || a.sas != tc.secretSAS {
				t.Errorf("secrets: key %q sas %q, want %q %q", a.key, a.sas, tc.secretKey, tc.secretSAS)
			}
			for _, printed := range []string{a.String(), a.GoString()} {
				if (a.key != "" && strings.Contains(printed, a.key)) || (a.sas != "" && strings.Contains(printed, a.sas)) {
					t.Errorf("printed account %q shows a secret", printed)
				}
			}
		})
	}
}

func TestParseConnectionStringErrors(t *testing.T) {
	const secret = "c2VjcmV0LWtleQ==" // must never be echoed
	tests := []struct {
		in   string
		want string
	}{
		{"", "connection string: empty"},
		{";;", "connection string: empty"},
		{"AccountName=myacct;c2VjcmV0", "segment 2 is not key=value"},
		{"AccountName=myacct;" + secret, "segment 2 has an unknown key"},
		{"AccountName=myacct;AcountKey=" + secret, `unknown key "AcountKey"`},
		{"AccountName=a;AccountName=b", "AccountName is given twice"},
		{"AccountKey=" + secret, "AccountKey needs AccountName"},
		{"AccountName=myacct;AccountKey=not*base64" + secret, "AccountKey is not valid base64"},
		{"AccountName=myacct;AccountKey=", "AccountKey is not valid base64"},
		{"AccountName=My_Acct;AccountKey=" + secret, `AccountName "My_Acct" is not 3-24 lowercase letters and digits`},
		{"DefaultEndpointsProtocol=ftp;AccountName=myacct", `DefaultEndpointsProtocol "ftp" is not http or https`},
		{"AccountName=myacct;EndpointSuffix=http://x/", `EndpointSuffix "http://x/" is not a DNS suffix`},
		{"BlobEndpoint=127.0.0.1:10000", "BlobEndpoint: "},
		{"QueueEndpoint=http://x/acct?sig=" + secret, "QueueEndpoint: has a query or fragment"},
		{"DefaultEndpointsProtocol=https", "needs AccountName, BlobEndpoint or QueueEndpoint"},
		{"AccountName=myacct;AccountKey=" + secret + ";SharedAccessSignature=sig=" + secret, "AccountKey and SharedAccessSignature are mutually exclusive"},
		{"AccountName=myacct;SharedAccessSignature=sv=1&se=" + secret, "SharedAccessSignature is not a query string with a sig parameter"},
		{"UseDevelopmentStorage=yes", `UseDevelopmentStorage "yes" must be true`},
		{"UseDevelopmentStorage=true;AccountKey=" + secret, "AccountKey cannot be combined with UseDevelopmentStorage"},
		{"UseDevelopmentStorage=true;DevelopmentStorageProxyUri=azurite", `DevelopmentStorageProxyUri "azurite" is not an http(s) URL`},
		{"AccountName=myacct;DevelopmentStorageProxyUri=http://p", "DevelopmentStorageProxyUri needs UseDevelopmentStorage=true"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, err := ParseConnectionString(tc.in)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

func FuzzParseConnectionString(f *testing.F) {
	for _, s := range []string{
		"UseDevelopmentStorage=true",
		"DefaultEndpointsProtocol=https;AccountName=myacct;AccountKey=a2V5MQ==;EndpointSuffix=core.windows.net",
		"BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;SharedAccessSignature=sv=1&sig=x",
		"UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://[::1]",
		"QueueEndpoint=http://h/%zz",
		"=;a=b=c;;",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseConnectionString(s)
		if err != nil {
			return
		}
		if a.BlobURL == "" && a.QueueURL == "" {
			t.Fatalf("%q: account without endpoints", s)
		}
		for _, u := range []string{a.BlobURL, a.QueueURL} {
			if u != "" && !strings.HasSuffix(u, "/") {
				t.Fatalf("%q: endpoint %q without a trailing slash", s, u)
			}
		}
		if a.key != "" && strings.Contains(a.String(), a.key) {
			t.Fatalf("%q: String shows the key", s)
		}
	})
}
