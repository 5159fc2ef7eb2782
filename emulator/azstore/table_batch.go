package azstore

import (
	"bytes"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

// batchFailurePolicy surfaces a failed entity group transaction. The
// service answers 202 even when an operation fails, with the failure
// inside the multipart body, and the SDK then reports only "202". This
// policy lifts the inner status and error code onto the response, so
// errors carry them (404 TableNotFound, 409 EntityAlreadyExists) and map
// to ENOTFOUND and ECONFLICT like any other call.
type batchFailurePolicy struct{}

var (
	innerStatus = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?m)^HTTP/1\.1 (\d{3}) `) })
	innerCode   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"code"\s*:\s*"([^"]+)"`) })
)

func (batchFailurePolicy) Do(req *policy.Request) (*http.Response, error) {
	resp, err := req.Next()
	if err != nil || resp.StatusCode != http.StatusAccepted || !strings.HasSuffix(req.Raw().URL.Path, "$batch") {
		return resp, err
	}
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if rerr != nil {
		return resp, nil
	}
	m := innerStatus().FindSubmatch(body)
	if m == nil {
		return resp, nil
	}
	status, _ := strconv.Atoi(string(m[1]))
	if status < 400 {
		return resp, nil
	}
	resp.StatusCode = status
	resp.Status = strconv.Itoa(status) + " " + http.StatusText(status)
	if c := innerCode().FindSubmatch(body); c != nil {
		resp.Header.Set("x-ms-error-code", string(c[1]))
	}
	return resp, nil
}
