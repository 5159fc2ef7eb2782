package rest

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
)

// The layout recorded from Azurite (reference wire traces): prolog, then
// the Error element with literal newlines inside the message.
var azureErrorBody = regexp.MustCompile(`^<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?>
<Error>
  <Code>QueueNotFound</Code>
  <Message>The specified queue does not exist\. \(queue "nope"\)
RequestId:[0-9a-f-]{36}
Time:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z</Message>
</Error>$`)

func TestErrorBodyMatchesAzureShape(t *testing.T) {
	t.Parallel()
	env := newQueueEnv(t, "memory")
	req, err := http.NewRequest(http.MethodGet, env.url+"/nope?comp=metadata", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp := doSigned(t, req)
	defer resp.Body.Close()
	rec := httptest.NewRecorder()
	_, _ = rec.Body.ReadFrom(resp.Body)
	body := rec.Body.String()
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != "application/xml" || !azureErrorBody.MatchString(body) {
		t.Fatalf("status %d, content type %q, body:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

func TestEscapeTextKeepsNewlinesAndDropsInvalidRunes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a\nb":        "a\nb",
		"<x & y>":     "&lt;x &amp; y&gt;",
		"bell\x07":    "bell\uFFFD",
		"bad\xffutf8": "bad\uFFFDutf8",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}
