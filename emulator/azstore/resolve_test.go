package azstore

import (
	"strings"
	"testing"
)

func lookupIn(settings map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := settings[k]
		return v, ok
	}
}

func TestResolveLookupOrder(t *testing.T) {
	conn := func(name string) string { return "AccountName=" + name + ";AccountKey=a2V5MQ==" }
	tests := []struct {
		name       string
		connection string
		settings   map[string]string
		setting    string
		account    string
	}{
		{"empty connection is AzureWebJobsStorage", "", map[string]string{"AzureWebJobsStorage": conn("default")},
			"AzureWebJobsStorage", "default"},
		{"ConnectionStrings:AzureWebJobsX first", "Orders", map[string]string{
			"ConnectionStrings:AzureWebJobsOrders": conn("first"), "AzureWebJobsOrders": conn("second"),
			"ConnectionStrings:Orders": conn("third"), "Orders": conn("fourth")},
			"ConnectionStrings:AzureWebJobsOrders", "first"},
		{"then AzureWebJobsX", "Orders", map[string]string{
			"AzureWebJobsOrders": conn("second"), "ConnectionStrings:Orders": conn("third"), "Orders": conn("fourth")},
			"AzureWebJobsOrders", "second"},
		{"then ConnectionStrings:X", "Orders", map[string]string{"ConnectionStrings:Orders": conn("third"), "Orders": conn("fourth")},
			"ConnectionStrings:Orders", "third"},
		{"then X", "Orders", map[string]string{"Orders": conn("fourth")}, "Orders", "fourth"},
		{"empty values are skipped", "Orders", map[string]string{"AzureWebJobsOrders": " ", "Orders": conn("fourth")}, "Orders", "fourth"},
		{"a connection string wins over identity settings", "Orders", map[string]string{
			"Orders": conn("fourth"), "Orders__serviceUri": "https://other.queue.core.windows.net"}, "Orders", "fourth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Resolve(lookupIn(tc.settings), tc.connection)
			if err != nil {
				t.Fatal(err)
			}
			if a.Setting != tc.setting || a.Name != tc.account {
				t.Errorf("setting %q account %q, want %q %q", a.Setting, a.Name, tc.setting, tc.account)
			}
		})
	}
}

func TestResolveIdentity(t *testing.T) {
	tests := []struct {
		name     string
		settings map[string]string
		setting  string
		account  string
		blob     string
		queue    string
		clientID string
	}{
		{"account name", map[string]string{"AzureWebJobsStorage__accountName": "myacct"},
			"AzureWebJobsStorage__accountName", "myacct", "https://myacct.blob.core.windows.net/", "https://myacct.queue.core.windows.net/", ""},
		{"service URIs", map[string]string{
			"AzureWebJobsStorage__blobServiceUri":  "https://myacct.blob.core.windows.net",
			"AzureWebJobsStorage__queueServiceUri": "https://myacct.queue.core.windows.net",
			"AzureWebJobsStorage__clientId":        "1234"},
			"AzureWebJobsStorage__queueServiceUri", "myacct", "https://myacct.blob.core.windows.net/", "https://myacct.queue.core.windows.net/", "1234"},
		{"queue serviceUri serves only queues", map[string]string{"Storage__serviceUri": "https://myacct.queue.core.windows.net/"},
			"Storage__serviceUri", "myacct", "", "https://myacct.queue.core.windows.net/", ""},
		{"colon spelling", map[string]string{"AzureWebJobsStorage:blobServiceUri": "https://myacct.blob.core.windows.net/"},
			"AzureWebJobsStorage:blobServiceUri", "myacct", "https://myacct.blob.core.windows.net/", "", ""},
		{"custom serviceUri serves both", map[string]string{"Storage__serviceUri": "http://127.0.0.1:10000/devstoreaccount1"},
			"Storage__serviceUri", "devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1/", "http://127.0.0.1:10000/devstoreaccount1/", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Resolve(lookupIn(tc.settings), "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Auth != AuthIdentity || a.Setting != tc.setting || a.Name != tc.account || a.BlobURL != tc.blob || a.QueueURL != tc.queue || a.ClientID != tc.clientID {
				t.Errorf("got %v setting %q client %q, want blob %q queue %q setting %q client %q", a, a.Setting, a.ClientID, tc.blob, tc.queue, tc.setting, tc.clientID)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name       string
		connection string
		settings   map[string]string
		want       string
	}{
		{"nothing set", "Orders", nil,
			`connection "Orders": not set: no setting AzureWebJobsOrders or Orders, and no Orders__blobServiceUri, __queueServiceUri, __serviceUri or __accountName`},
		{"bad connection string names the setting", "", map[string]string{"AzureWebJobsStorage": "AccountName=x_y;AccountKey=a2V5MQ=="},
			`setting AzureWebJobsStorage: connection string: AccountName "x_y"`},
		{"bad service URI names the setting", "Orders", map[string]string{"Orders__queueServiceUri": "myacct.queue.core.windows.net"},
			"setting Orders__queueServiceUri: "},
		{"bad account name names the setting", "", map[string]string{"AzureWebJobsStorage__accountName": "My Account"},
			`setting AzureWebJobsStorage__accountName: "My Account" is not`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Resolve(lookupIn(tc.settings), tc.connection)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
