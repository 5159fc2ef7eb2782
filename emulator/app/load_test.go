package app

import (
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// loadTestApp loads testdata/app with a fixed environment.
func loadTestApp(t *testing.T, environ ...string) *emulator.App {
	t.Helper()
	a, err := Load("testdata/app", Options{Environ: append([]string{"PATH=/usr/bin"}, environ...)})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return a
}

func names(fns []*emulator.Function) []string {
	var out []string
	for _, f := range fns {
		out = append(out, f.Name)
	}
	return out
}

func TestLoadTestApp(t *testing.T) {
	a := loadTestApp(t, "VERBOSE=1")
	abs, _ := filepath.Abs("testdata/app")
	if a.Dir != abs {
		t.Errorf("Dir = %q, want %q", a.Dir, abs)
	}

	if got, want := names(a.Functions), []string{"blobCopy", "nightly", "Orders", "queue-worker", "zeta"}; !reflect.DeepEqual(got, want) {
		t.Errorf("functions = %v, want %v (sorted ignoring case)", got, want)
	}
	var broken []string
	for _, b := range a.Broken {
		broken = append(broken, b.Error())
	}
	wantBroken := []string{
		"1st/function.json: '1st' is not a valid function name.",
		"bad-name-binding/function.json: bindings[1].name: The binding name 1st is invalid. Please assign a valid name to the binding.",
		"host/function.json: 'host' is not a valid function name.",
		"syntax/function.json:3:48: invalid character '\"' after object key:value pair",
	}
	if !reflect.DeepEqual(broken, wantBroken) {
		t.Errorf("broken =\n%s\nwant\n%s", strings.Join(broken, "\n"), strings.Join(wantBroken, "\n"))
	}

	h := a.Host
	if h.FunctionTimeout != 5*time.Minute || h.RoutePrefix != "v1" || h.LogLevel != "Warning" {
		t.Errorf("host = timeout %v, prefix %q, log level %q", h.FunctionTimeout, h.RoutePrefix, h.LogLevel)
	}
	if want := (&emulator.RetryPolicy{Strategy: "fixedDelay", MaxRetryCount: 2, DelayInterval: 3 * time.Second}); !reflect.DeepEqual(h.Retry, want) {
		t.Errorf("retry = %+v, want %+v", h.Retry, want)
	}
	wantCH := emulator.CustomHandler{
		ExecutablePath:              filepath.Join(abs, "handler"),
		WorkingDirectory:            abs,
		Arguments:                   []string{"--queue", "Orders-In", "%UNDEFINED_SETTING%"},
		EnableForwardingHttpRequest: true,
		InitializationTimeout:       10 * time.Second,
	}
	if !reflect.DeepEqual(h.CustomHandler, wantCH) {
		t.Errorf("customHandler =\n%+v\nwant\n%+v", h.CustomHandler, wantCH)
	}
	wantQ := emulator.QueuesOptions{MaxPollingInterval: 5 * time.Second, BatchSize: 8, NewBatchThreshold: 4 * runtime.NumCPU(), MaxDequeueCount: 5, MessageEncoding: "none"}
	if h.Queues != wantQ {
		t.Errorf("queues = %+v, want %+v", h.Queues, wantQ)
	}
	if h.Blobs != (emulator.BlobsOptions{MaxDegreeOfParallelism: 4, PoisonBlobThreshold: 1}) {
		t.Errorf("blobs = %+v", h.Blobs)
	}

	s := a.Settings
	if s.Values["RETRIES"] != "3" || s.Values["VERBOSE"] != "True" || s.Values["INPUT_QUEUE"] != "Orders-In" {
		t.Errorf("values not coerced to strings: %v", s.Values)
	}
	if s.LocalHTTPPort != 7072 || s.LocalHTTPAddress != "0.0.0.0" || !s.CORSCredentials ||
		!reflect.DeepEqual(s.CORS, []string{"http://a.test", "http://b.test"}) {
		t.Errorf("host settings = %+v", s)
	}
	if !reflect.DeepEqual(s.ConnectionStrings, map[string]string{"Plain": "Server=plain", "Typed": "Server=typed"}) {
		t.Errorf("connection strings = %v", s.ConnectionStrings)
	}
	if want := []string{"Skipping 'VERBOSE' from local settings as it's already defined in current environment variables."}; !reflect.DeepEqual(a.Warnings, want) {
		t.Errorf("warnings = %q, want %q", a.Warnings, want)
	}
}

func TestLoadTestAppBindings(t *testing.T) {
	a := loadTestApp(t)

	orders := a.Function("orders")
	req := orders.Trigger()
	if req.AuthLevel != "function" || !reflect.DeepEqual(req.Methods, []string{"GET", "POST"}) || req.Route != "orders/{id:int?}" {
		t.Errorf("http trigger = %+v", req)
	}
	if req.Properties["extra"] == nil || req.Properties["type"] != "httpTrigger" {
		t.Errorf("properties not kept as written: %v", req.Properties)
	}
	if got := orders.Bindings[2].QueueName; got != "audit-{id}" {
		t.Errorf("queue output name = %q, want lower-cased", got)
	}
	if !strings.Contains(string(orders.Config), `"extra": 1`) {
		t.Errorf("Config is not the raw function.json: %s", orders.Config)
	}
	wantRetry := &emulator.RetryPolicy{Strategy: "exponentialBackoff", MaxRetryCount: -1, MinimumInterval: time.Second, MaximumInterval: time.Minute}
	if !reflect.DeepEqual(orders.Retry, wantRetry) {
		t.Errorf("function retry = %+v, want %+v", orders.Retry, wantRetry)
	}

	q := a.Function("queue-worker")
	if q.Trigger().QueueName != "orders-in" || q.Trigger().Connection != "AzureWebJobsStorage" {
		t.Errorf("queue trigger = %+v", q.Trigger())
	}
	if out := q.Outputs()[0]; out.Path != "archive/{rand-guid}-{queueTrigger}.txt" || out.DataType != "string" {
		t.Errorf("blob output = %+v", out)
	}
	if b := a.Function("blobCopy").Trigger(); b.Path != "incoming/{name}.{ext}" || b.Source != "LogsAndContainerScan" {
		t.Errorf("blob trigger = %+v", b)
	}
	timer := a.Function("nightly").Trigger()
	if timer.Schedule != "0 0 2 * * *" || !timer.RunOnStartup || timer.UseMonitor {
		t.Errorf("timer trigger = %+v", timer)
	}

	zeta := a.Function("zeta")
	if !zeta.Disabled || zeta.Trigger().AuthLevel != "anonymous" {
		t.Errorf("zeta = disabled %v, auth %q; want disabled by AzureWebJobs.zeta.Disabled", zeta.Disabled, zeta.Trigger().AuthLevel)
	}
	if a.Function("Orders").Disabled {
		t.Error("Orders disabled without a setting")
	}
	if a.Function("blobCopy").Disabled {
		t.Error(`blobCopy disabled by function.json "disabled", which Functions v4 does not read`)
	}
}

func TestLoadAllowList(t *testing.T) {
	a, err := Load("testdata/app", Options{Environ: []string{}, Functions: []string{"ORDERS", "nightly", "syntax", "ghost"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(a.Functions); !reflect.DeepEqual(got, []string{"nightly", "Orders"}) {
		t.Errorf("functions = %v", got)
	}
	if len(a.Broken) != 1 || a.Broken[0].Name != "syntax" {
		t.Errorf("broken = %v, want only syntax", a.Broken)
	}
	if !reflect.DeepEqual(a.Host.Functions, []string{"ORDERS", "nightly", "syntax", "ghost"}) {
		t.Errorf("Host.Functions = %v", a.Host.Functions)
	}
	if len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0], "'ghost'") {
		t.Errorf("warnings = %q, want one about ghost", a.Warnings)
	}
}

func TestLoadDisabledFromEnvironment(t *testing.T) {
	tests := []struct {
		env      string
		disabled bool
	}{
		{"AzureWebJobs_nightly_Disabled=1", true},
		{"AzureWebJobs.nightly.Disabled=True", true},
		{"AzureWebJobs_nightly_Disabled=yes", false},
		{"AzureWebJobs_nightly_Disabled=0", false},
		{"AZUREWEBJOBS_NIGHTLY_DISABLED=true", true},
	}
	for _, tt := range tests {
		a := loadTestApp(t, tt.env)
		if got := a.Function("nightly").Disabled; got != tt.disabled {
			t.Errorf("%s: Disabled = %v, want %v", tt.env, got, tt.disabled)
		}
	}
}

func TestLoadHostOverridesFromEnvironment(t *testing.T) {
	a := loadTestApp(t,
		"AzureFunctionsJobHost__extensions__queues__batchSize=32",
		"AzureFunctionsJobHost__customHandler__description__arguments__1=%NIGHTLY%",
		"azurefunctionsjobhost__extensions__http__routePrefix=",
		"AzureFunctionsJobHost:functionTimeout=-1",
	)
	h := a.Host
	if h.Queues.BatchSize != 32 || h.RoutePrefix != "" || h.FunctionTimeout != 0 {
		t.Errorf("overrides not applied: batch %d, prefix %q, timeout %v", h.Queues.BatchSize, h.RoutePrefix, h.FunctionTimeout)
	}
	if got := h.CustomHandler.Arguments; !reflect.DeepEqual(got, []string{"--queue", "0 0 2 * * *", "%UNDEFINED_SETTING%"}) {
		t.Errorf("arguments = %q", got)
	}

	_, err := Load("testdata/app", Options{Environ: []string{"AzureFunctionsJobHost__extensions__queues__batchSize=64"}})
	want := "host.json: extensions.queues.batchSize: 64 is out of range; it must be between 1 and 32 (set by environment variable AzureFunctionsJobHost__extensions__queues__batchSize)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

func TestStorageNamesWithExpressionsWait(t *testing.T) {
	dir := writeApp(t, map[string]string{"f/function.json": `{"bindings": [
		{"type": "queueTrigger", "direction": "in", "name": "m", "queueName": "jobs"},
		{"type": "queue", "direction": "out", "name": "q", "queueName": "{Target}_Out"},
		{"type": "blob", "direction": "out", "name": "b", "path": "{container}/x"},
		{"type": "blob", "direction": "in", "name": "r", "path": "$root/x"}]}`})
	a, err := Load(dir, Options{Environ: []string{}})
	if err != nil || len(a.Broken) != 0 {
		t.Fatalf("Load: %v, broken %v", err, a.Broken)
	}
	if got := a.Functions[0].Bindings[1].QueueName; got != "{target}_out" {
		t.Errorf("queue name = %q", got)
	}
}
