package bindings

import (
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

type settings map[string]string

// Connection follows the host's order on a flat map, enough for these tests.
func (s settings) Connection(name string) (string, bool) {
	if name == "" {
		name = "Storage"
	}
	for _, n := range []string{"AzureWebJobs" + name, name} {
		if v, ok := s[n]; ok {
			return v, true
		}
	}
	return "", false
}

const devConnection = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:54321/devstoreaccount1;QueueEndpoint=http://127.0.0.1:54322/devstoreaccount1;"

func TestAccount(t *testing.T) {
	fn := &emulator.Function{Name: "Copy"}
	tests := []struct {
		name       string
		connection string
		settings   settings
		want       string
		wantErr    string
	}{
		{"default development storage", "", settings{"AzureWebJobsStorage": "UseDevelopmentStorage=true"}, "devstoreaccount1", ""},
		{"named setting", "MyStore", settings{"MyStore": "UseDevelopmentStorage=true"}, "devstoreaccount1", ""},
		{"AzureWebJobs prefix wins", "Other", settings{"AzureWebJobsOther": "UseDevelopmentStorage=true", "Other": "junk"}, "devstoreaccount1", ""},
		{"development string on any port", "", settings{"AzureWebJobsStorage": devConnection}, "devstoreaccount1", ""},
		{"localhost endpoints", "", settings{"AzureWebJobsStorage": "AccountName=devstoreaccount1;QueueEndpoint=http://localhost:10001/devstoreaccount1"}, "devstoreaccount1", ""},
		{"missing setting", "", settings{}, "", `function Copy: binding "b": storage connection "AzureWebJobsStorage" is not set`},
		{"real account", "Prod", settings{"Prod": "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=abc;EndpointSuffix=core.windows.net"},
			"", `function Copy: binding "b": connection "Prod": only the embedded development store is supported (UseDevelopmentStorage=true or AccountName=devstoreaccount1 on 127.0.0.1), found AccountName "prod"`},
		{"remote endpoint", "", settings{"AzureWebJobsStorage": "AccountName=devstoreaccount1;BlobEndpoint=http://10.0.0.5:10000/devstoreaccount1"}, "", `blobendpoint "http://10.0.0.5:10000/devstoreaccount1" is not a loopback address`},
		{"not key value", "", settings{"AzureWebJobsStorage": "nonsense"}, "", `connection string part "nonsense" is not Key=Value`},
		{"development false", "", settings{"AzureWebJobsStorage": "UseDevelopmentStorage=false"}, "", `UseDevelopmentStorage must be true`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Account(tc.settings, fn, &emulator.Binding{Name: "b", Connection: tc.connection})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Account = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestCheckNamesEveryBadBinding(t *testing.T) {
	app := &emulator.App{Functions: []*emulator.Function{
		{Name: "Good", Bindings: []*emulator.Binding{{Type: "queueTrigger", Name: "in", QueueName: "q"}}},
		{Name: "Bad", Bindings: []*emulator.Binding{{Type: "queueTrigger", Name: "in", QueueName: "q", Connection: "Prod"}}},
		{Name: "Off", Disabled: true, Bindings: []*emulator.Binding{{Type: "blob", Name: "in", Connection: "Prod"}}},
		{Name: "Web", Bindings: []*emulator.Binding{{Type: "httpTrigger", Name: "req", Connection: "Prod"}}},
	}}
	b := New(Options{App: app, Lookup: settings{"AzureWebJobsStorage": "UseDevelopmentStorage=true", "Prod": "AccountName=prod;AccountKey=x"}})
	err := b.Check()
	if err == nil || !strings.Contains(err.Error(), `function Bad: binding "in": connection "Prod"`) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "Off") || strings.Contains(err.Error(), "Web") || strings.Contains(err.Error(), "Good") {
		t.Errorf("err names more than the bad binding: %v", err)
	}
}

func FuzzParseConnectionString(f *testing.F) {
	for _, s := range []string{devConnection, "UseDevelopmentStorage=true", "a=b;;c", "=x", ";", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fields, err := parseConnectionString(s)
		if err == nil && len(fields) == 0 {
			t.Fatal("no error and no fields")
		}
		if _, err := developmentAccount(s); err == nil {
			// Accepted strings must name the development account.
			fields, _ := parseConnectionString(s)
			if fields["usedevelopmentstorage"] == "" && fields["accountname"] != DevelopmentAccount {
				t.Fatalf("accepted %q", s)
			}
		}
	})
}
