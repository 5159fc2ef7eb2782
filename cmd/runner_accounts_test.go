package cmd

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func TestCheckStorageAccounts(t *testing.T) {
	t.Parallel()
	queueApp := func(values map[string]string) *emulator.App {
		return &emulator.App{
			Settings: emulator.Settings{Values: values},
			Functions: []*emulator.Function{{Name: "Orders", Bindings: []*emulator.Binding{
				{Type: "queueTrigger", Name: "msg", Connection: "OrdersStorage", QueueName: "orders"},
			}}},
		}
	}
	tests := []struct {
		name    string
		storage string
		values  map[string]string
		wantErr string
	}{
		{"development storage", "auto", map[string]string{"OrdersStorage": "UseDevelopmentStorage=true"}, ""},
		{"a real account", "auto", map[string]string{"OrdersStorage": "AccountName=myacct;AccountKey=a2V5MQ=="}, ""},
		{"unset falls back to the embedded store", "auto", nil, ""},
		{"unset in remote mode", "remote", nil, `function Orders, binding "msg" (queueTrigger): connection "OrdersStorage": not set`},
		{"a broken connection string", "auto", map[string]string{"AzureWebJobsOrdersStorage": "AccountName=myacct;AccountKey=!"},
			`function Orders, binding "msg" (queueTrigger): setting AzureWebJobsOrdersStorage: connection string: AccountKey is not valid base64`},
		{"a bad --storage", "cloud", nil, `--storage "cloud": want auto, embedded or remote`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(&startOptions{storage: tc.storage}, io.Discard)
			r.app = queueApp(tc.values)
			err := r.checkStorageAccounts(context.Background())
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
}
