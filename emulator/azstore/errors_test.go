package azstore

import (
	"context"
	"errors"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestKindOf(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   string
	}{
		{404, "QueueNotFound", emulator.ENOTFOUND},
		{404, "BlobNotFound", emulator.ENOTFOUND},
		{404, "MessageNotFound", emulator.ENOTFOUND},
		{400, "PopReceiptMismatch", emulator.ECONFLICT},
		{409, "BlobAlreadyExists", emulator.ECONFLICT},
		{412, "ConditionNotMet", emulator.ECONFLICT},
		{403, "AuthorizationFailure", emulator.EUNAUTHORIZED},
		{403, "AuthenticationFailed", emulator.EUNAUTHORIZED},
		{401, "", emulator.EUNAUTHORIZED},
		{413, "RequestBodyTooLarge", emulator.ETOOLARGE},
		{400, "MessageTooLarge", emulator.ETOOLARGE},
		{503, "ServerBusy", emulator.EUNAVAILABLE},
		{500, "InternalError", emulator.EUNAVAILABLE},
		{429, "", emulator.EUNAVAILABLE},
		{400, "InvalidQueryParameterValue", emulator.EINVALID},
		{304, "", emulator.EINTERNAL},
	}
	for _, tc := range tests {
		if got := kindOf(tc.status, tc.code); got != tc.want {
			t.Errorf("kindOf(%d, %q) = %q, want %q", tc.status, tc.code, got, tc.want)
		}
	}
}

func TestStorageErrorKeepsTheSDKError(t *testing.T) {
	sdk := errors.New("dial tcp: lookup nowhere.invalid: no such host")
	err := storageError(`list blobs in container "input"`, sdk)
	if !errors.Is(err, sdk) {
		t.Error("the SDK's error is not in the chain")
	}
	if got := err.Error(); got != `list blobs in container "input": dial tcp: lookup nowhere.invalid: no such host` {
		t.Errorf("message %q", got)
	}
	canceled := storageError("receive", context.Canceled)
	if !errors.Is(canceled, context.Canceled) || emulator.ErrorCode(canceled) != emulator.EINTERNAL {
		t.Errorf("cancellation: %v code %q, want context.Canceled passed through", canceled, emulator.ErrorCode(canceled))
	}
	if storageError("x", nil) != nil {
		t.Error("nil error wrapped")
	}
}
