package rest

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzSharedKeyCanonicalization: building the strings to sign never
// panics, and a request signed with the first candidate verifies.
func FuzzSharedKeyCanonicalization(f *testing.F) {
	f.Add("GET", "/devstoreaccount1/q/messages", "numofmessages=5&visibilitytimeout=10", "x-ms-meta-a_b", "v")
	f.Add("PUT", "/devstoreaccount1/c/dir%2Fa%20b.txt", "comp=metadata&COMP=x", "x-ms-meta-a-b", " spaced")
	f.Add("DELETE", "/devstoreaccount1/", "a=%ZZ", "x-ms-date", "")
	f.Fuzz(func(t *testing.T, method, path, query, hname, hvalue string) {
		if !validMethod(method) {
			return
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Method = method
		r.URL = &url.URL{Path: path, RawQuery: query}
		r.RequestURI = path + "?" + query
		if hname != "" && validHeaderName(hname) {
			r.Header.Set(hname, hvalue)
		}
		r.Header.Set("x-ms-version", "2026-12-06")
		key, _ := base64.StdEncoding.DecodeString(DevAccountKey)
		cands := sharedKeyStrings(r, DevAccountName)
		if len(cands) == 0 {
			t.Fatal("no string to sign")
		}
		sig := base64.StdEncoding.EncodeToString(sign(key, cands[0]))
		if !signatureMatches(key, cands[0], sig) {
			t.Fatal("own signature does not verify")
		}
		_ = sharedKeyLiteStrings(r, DevAccountName)
	})
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

func validHeaderName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// FuzzParseSAS: any query either parses or is refused with a 403, never
// a panic; parsed times round-trip.
func FuzzParseSAS(f *testing.F) {
	f.Add("sv=2026-04-06&ss=bq&srt=sco&spr=https%2Chttp&st=2026-11-27T02%3A36%3A55Z&se=2026-11-27T03%3A36%3A55Z&sp=rwdlacup&sig=abc%2B%3D")
	f.Add("sv=2015-04-05&sr=b&sp=r&se=2026-11-27&sig=x&sip=127.0.0.1-127.0.0.9")
	f.Add("sig=&sv=")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s, err := ParseSAS(q)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Status != http.StatusForbidden {
				t.Fatalf("ParseSAS error %v is not a 403", err)
			}
			return
		}
		if s.Signature == "" || s.Version == "" {
			t.Fatal("parsed a SAS without sig or sv")
		}
		_ = accountSASStringToSign(DevAccountName, s)
		if tm, err := ParseSASTime(s.Expiry); err == nil {
			if back, err := ParseSASTime(tm.Format(time.RFC3339Nano)); err != nil || !back.Equal(tm) {
				t.Fatalf("time %q does not round-trip", s.Expiry)
			}
		}
	})
}

// FuzzQueueMessageXML: any body is a message text or an InvalidXmlDocument.
func FuzzQueueMessageXML(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0" encoding="UTF-8"?><QueueMessage><MessageText>hi &amp; bye</MessageText></QueueMessage>`))
	f.Add([]byte(`<QueueMessage></QueueMessage>`))
	f.Add([]byte(`<Other><MessageText>x</MessageText></Other>`))
	f.Add([]byte(`<QueueMessage><MessageText>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := ParseQueueMessage(body)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Code != "InvalidXmlDocument" {
				t.Fatalf("error %v is not InvalidXmlDocument", err)
			}
		}
	})
}

// FuzzSignedIdentifiersXML: any ACL body parses or is InvalidXmlDocument,
// and never yields more than five identifiers.
func FuzzSignedIdentifiersXML(f *testing.F) {
	f.Add([]byte(`<SignedIdentifiers><SignedIdentifier><Id>a</Id><AccessPolicy><Start>2026-01-01T00:00:00Z</Start><Expiry>2026-01-02T00:00:00.0000000Z</Expiry><Permission>raup</Permission></AccessPolicy></SignedIdentifier></SignedIdentifiers>`))
	f.Add([]byte(`<SignedIdentifiers><SignedIdentifier><Id></Id></SignedIdentifier></SignedIdentifiers>`))
	f.Add([]byte(`<SignedIdentifiers>` + strings.Repeat(`<SignedIdentifier><Id>x</Id></SignedIdentifier>`, 6) + `</SignedIdentifiers>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ids, err := ParseSignedIdentifiers(body)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Code != "InvalidXmlDocument" {
				t.Fatalf("error %v is not InvalidXmlDocument", err)
			}
			return
		}
		if len(ids) > 5 {
			t.Fatalf("%d identifiers accepted", len(ids))
		}
	})
}

// FuzzParseAccounts: any spec parses into accounts that all have keys, or
// fails with an error naming the accounts setting.
func FuzzParseAccounts(f *testing.F) {
	f.Add("acct1:" + DevAccountKey + ";acct2:a2V5:a2V5Mg==")
	f.Add("x:y")
	f.Add(";;")
	f.Fuzz(func(t *testing.T, spec string) {
		as, err := ParseAccounts(spec)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "accounts: ") {
				t.Fatalf("error %q does not name the setting", err)
			}
			return
		}
		for _, n := range as.Names() {
			if len(as.Lookup(n).Keys) == 0 {
				t.Fatalf("account %q has no key", n)
			}
		}
	})
}

// FuzzQueueName: the validator never panics and accepts only names made
// of lowercase letters, digits and single inner hyphens.
func FuzzQueueName(f *testing.F) {
	for _, s := range []string{"abc", "a-b-c", "a--b", "-ab", "ABC", "q1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := validateQueueNameForTest(name)
		if err == nil && (len(name) < 3 || len(name) > 63 || strings.Contains(name, "--") ||
			strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-") || strings.ToLower(name) != name) {
			t.Fatalf("accepted %q", name)
		}
	})
}
