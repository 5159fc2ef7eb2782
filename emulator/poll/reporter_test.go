package poll

import (
	"errors"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestReporter(t *testing.T) {
	refused := emulator.Errorf(emulator.EUNAVAILABLE, "dial tcp 127.0.0.1:10001: connect: connection refused")
	denied := emulator.Errorf(emulator.EUNAUTHORIZED, `receive messages from queue "orders": AuthorizationFailure (HTTP 403)`)
	missing := emulator.Errorf(emulator.ENOTFOUND, `receive messages from queue "orders": QueueNotFound (HTTP 404)`)
	type step struct {
		err  error // nil means a success
		want string
	}
	quiet := ""
	steps := []step{
		{nil, quiet},
		{refused, "Function 'Orders': cannot reach the storage account, setting 'AzureWebJobsStorage': dial tcp 127.0.0.1:10001: connect: connection refused. Retrying with backoff."},
		{refused, quiet},
		{refused, "Function 'Orders': cannot reach the storage account, setting 'AzureWebJobsStorage': dial tcp 127.0.0.1:10001: connect: connection refused. Retrying with backoff (still failing, 3 attempts)."},
		{refused, quiet},
		{refused, quiet},
		{refused, "(still failing, 6 attempts)"},
		{denied, "Function 'Orders': the storage account refused the credentials (check AccountKey, the SAS expiry and permissions, or the identity's role), setting 'AzureWebJobsStorage': receive messages from queue \"orders\": AuthorizationFailure (HTTP 403). Retrying with backoff."},
		{denied, quiet},
		{missing, "Function 'Orders': a queue or container is missing, setting 'AzureWebJobsStorage'"},
		{nil, "Function 'Orders': storage in setting 'AzureWebJobsStorage' works again after 9 failed attempts."},
		{nil, quiet},
		{errors.New("boom"), "Function 'Orders': storage failed, setting 'AzureWebJobsStorage': boom. Retrying with backoff."},
		{nil, "works again after 1 failed attempts."},
	}
	r := &Reporter{Function: "Orders", Setting: "AzureWebJobsStorage", Every: 3}
	for i, st := range steps {
		var line string
		var ok bool
		if st.err == nil {
			line, ok = r.Success()
		} else {
			line, ok = r.Failure(st.err)
		}
		if st.want == quiet {
			if ok || line != "" {
				t.Errorf("step %d: logged %q, want quiet", i, line)
			}
			continue
		}
		if !ok || !strings.Contains(line, st.want) {
			t.Errorf("step %d: %q (ok=%v), want it to contain %q", i, line, ok, st.want)
		}
	}
}

func TestReporterDefaultEvery(t *testing.T) {
	r := &Reporter{Function: "F", Setting: "S"}
	err := emulator.Errorf(emulator.EUNAVAILABLE, "down")
	logged := 0
	for range 1 + 3*DefaultEvery {
		if _, ok := r.Failure(err); ok {
			logged++
		}
	}
	// The first failure, then repeats 10, 20 and 30.
	if logged != 4 {
		t.Errorf("logged %d of %d failures, want 4", logged, 1+3*DefaultEvery)
	}
}
