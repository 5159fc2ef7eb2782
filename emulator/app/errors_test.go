package app

import (
	"errors"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// TestLoadRejectsBrokenHost covers problems that stop the whole app: every
// message starts with the file, then the field.
func TestLoadRejectsBrokenHost(t *testing.T) {
	ch := `"customHandler": {"description": {"defaultExecutablePath": "handler"}}`
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"host.json syntax", map[string]string{"host.json": "{\n  \"version\": \"2.0\",\n}"},
			"host.json:3:1: invalid character '}' looking for beginning of object key string"},
		{"host.json truncated", map[string]string{"host.json": "{\"version\": \"2.0\""},
			"host.json:1:18: unexpected end of JSON input"},
		{"host.json not an object", map[string]string{"host.json": "[1]"},
			"host.json: must hold a JSON object, found an array"},
		{"host.json trailing data", map[string]string{"host.json": "{\"version\": \"2.0\"} {}"},
			"host.json:1:20: unexpected data after the JSON value"},
		{"version missing", map[string]string{"host.json": `{"functionTimeout": "00:01:00"}`},
			"host.json: version: The host.json file is missing the required 'version' property. See https://aka.ms/functions-hostjson for steps to migrate the configuration file."},
		{"version 3.0", map[string]string{"host.json": `{"version": "3.0"}`},
			"host.json: version: '3.0' is an invalid value for host.json 'version' property. We recommend you set the 'version' property to '2.0'. This does not correspond to the function runtime version, only to the schema version of the host.json file. See https://aka.ms/functions-hostjson for more information on this configuration file."},
		{"version as number", map[string]string{"host.json": `{"version": 2.0}`},
			"host.json: version: '2' is an invalid value"},
		{"no customHandler", map[string]string{"host.json": `{"version": "2.0"}`},
			"host.json: customHandler: missing"},
		{"no description", map[string]string{"host.json": `{"version": "2.0", "customHandler": {"enableForwardingHttpRequest": true}}`},
			"host.json: customHandler.description: Missing worker Description."},
		{"empty executable", map[string]string{"host.json": `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "", "arguments": []}, "enableForwardingHttpRequest": false}}`},
			"host.json: customHandler.description.defaultExecutablePath: WorkerDescription DefaultExecutablePath cannot be empty"},
		{"arguments not a list", map[string]string{"host.json": `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "h", "arguments": {"a": 1}}}}`},
			"host.json: customHandler.description.arguments: must be an array of strings"},
		{"forwarding not bool", map[string]string{"host.json": `{"version": "2.0", "customHandler": {"description": {"defaultExecutablePath": "h"}, "enableForwardingHttpRequest": "yes"}}`},
			`host.json: customHandler.enableForwardingHttpRequest: "yes" is not true or false`},
		{"bad functionTimeout", map[string]string{"host.json": `{"version": "2.0", "functionTimeout": "5 minutes", ` + ch + `}`},
			`host.json: functionTimeout: "5 minutes" is not a time span; use hh:mm:ss, e.g. "00:05:00"`},
		{"functionTimeout too short", map[string]string{"host.json": `{"version": "2.0", "functionTimeout": "00:00:00.5", ` + ch + `}`},
			`host.json: functionTimeout: 00:00:00.5 is too short; it must be at least 00:00:01`},
		{"batchSize", map[string]string{"host.json": `{"version": "2.0", "extensions": {"queues": {"batchSize": 33}}, ` + ch + `}`},
			"host.json: extensions.queues.batchSize: 33 is out of range; it must be between 1 and 32"},
		{"maxDequeueCount", map[string]string{"host.json": `{"version": "2.0", "extensions": {"queues": {"maxDequeueCount": "x"}}, ` + ch + `}`},
			`host.json: extensions.queues.maxDequeueCount: "x" is not an integer`},
		{"polling too fast", map[string]string{"host.json": `{"version": "2.0", "extensions": {"queues": {"maxPollingInterval": "00:00:00.05"}}, ` + ch + `}`},
			"host.json: extensions.queues.maxPollingInterval: 00:00:00.05 is too short; it must be at least 00:00:00.1"},
		{"messageEncoding", map[string]string{"host.json": `{"version": "2.0", "extensions": {"queues": {"messageEncoding": "utf8"}}, ` + ch + `}`},
			`host.json: extensions.queues.messageEncoding: "utf8" is not one of base64, none`},
		{"poisonBlobThreshold", map[string]string{"host.json": `{"version": "2.0", "extensions": {"blobs": {"poisonBlobThreshold": 0}}, ` + ch + `}`},
			"host.json: extensions.blobs.poisonBlobThreshold: 0 is out of range; it must be at least 1"},
		{"route prefix", map[string]string{"host.json": `{"version": "2.0", "extensions": {"http": {"routePrefix": "a?b"}}, ` + ch + `}`},
			`host.json: extensions.http.routePrefix: route template "a?b": segment "a?b": literal sections cannot contain the '?' character`},
		{"log level", map[string]string{"host.json": `{"version": "2.0", "logging": {"logLevel": {"default": "Loud"}}, ` + ch + `}`},
			`host.json: logging.logLevel.default: "Loud" is not one of Trace, Debug, Information, Warning, Error, Critical, None`},
		{"retry strategy", map[string]string{"host.json": `{"version": "2.0", "retry": {"strategy": "sometimes", "maxRetryCount": 1}, ` + ch + `}`},
			`host.json: retry.strategy: "sometimes" is not one of fixedDelay, exponentialBackoff`},
		{"retry no strategy", map[string]string{"host.json": `{"version": "2.0", "retry": {"maxRetryCount": 1}, ` + ch + `}`},
			"host.json: retry.strategy: required: fixedDelay or exponentialBackoff"},
		{"retry no count", map[string]string{"host.json": `{"version": "2.0", "retry": {"strategy": "fixedDelay", "delayInterval": "00:00:01"}, ` + ch + `}`},
			"host.json: retry.maxRetryCount: required (-1 retries forever)"},
		{"retry count below -1", map[string]string{"host.json": `{"version": "2.0", "retry": {"strategy": "fixedDelay", "maxRetryCount": -2, "delayInterval": "00:00:01"}, ` + ch + `}`},
			"host.json: retry.maxRetryCount: -2 is out of range; it must be at least -1"},
		{"retry no delay", map[string]string{"host.json": `{"version": "2.0", "retry": {"strategy": "FixedDelay", "maxRetryCount": 1}, ` + ch + `}`},
			"host.json: retry.delayInterval: required for the fixedDelay strategy (hh:mm:ss)"},
		{"retry no maximum", map[string]string{"host.json": `{"version": "2.0", "retry": {"strategy": "exponentialBackoff", "maxRetryCount": 1, "minimumInterval": "00:00:01"}, ` + ch + `}`},
			"host.json: retry.maximumInterval: required for the exponentialBackoff strategy (hh:mm:ss)"},
		{"retry max below min", map[string]string{"host.json": `{"version": "2.0", "retry": {"strategy": "exponentialBackoff", "maxRetryCount": 1, "minimumInterval": "00:01:00", "maximumInterval": "00:00:10"}, ` + ch + `}`},
			"host.json: retry.maximumInterval: 00:00:10 is shorter than minimumInterval 00:01:00"},
		{"settings syntax", map[string]string{"local.settings.json": "{\n\t\"Values\": {\"A\": \"1\",}\n}"},
			"local.settings.json:2:22: invalid character '}' looking for beginning of object key string"},
		{"settings empty file", map[string]string{"local.settings.json": "  \n"},
			"local.settings.json:2:1: the file is empty; it must hold a JSON object"},
		{"settings value object", map[string]string{"local.settings.json": `{"Values": {"A": {"b": 1}}}`},
			"local.settings.json: Values.A: must be a string, number or boolean, found an object"},
		{"settings values array", map[string]string{"local.settings.json": `{"Values": []}`},
			"local.settings.json: Values: must be an object, found an array"},
		{"settings port", map[string]string{"local.settings.json": `{"Host": {"LocalHttpPort": "http"}}`},
			`local.settings.json: Host.LocalHttpPort: must be a port number 0-65535, found "http"`},
		{"settings port range", map[string]string{"local.settings.json": `{"Host": {"LocalHttpPort": 70000}}`},
			`local.settings.json: Host.LocalHttpPort: must be a port number 0-65535, found "70000"`},
		{"settings cors", map[string]string{"local.settings.json": `{"Host": {"CORS": ["*"]}}`},
			"local.settings.json: Host.CORS: must be a comma-separated string of origins, found an array"},
		{"settings cors credentials", map[string]string{"local.settings.json": `{"Host": {"CORSCredentials": 1}}`},
			`local.settings.json: Host.CORSCredentials: must be true or false, found "1"`},
		{"settings connection string", map[string]string{"local.settings.json": `{"ConnectionStrings": {"Db": 5}}`},
			`local.settings.json: ConnectionStrings.Db: must be a string or {"ConnectionString": ...}, found a number`},
		{"settings typed connection string", map[string]string{"local.settings.json": `{"ConnectionStrings": {"Db": {"ProviderName": "x"}}}`},
			"local.settings.json: ConnectionStrings.Db.ConnectionString: must be a string, found null"},
		{"settings IsEncrypted", map[string]string{"local.settings.json": `{"IsEncrypted": "maybe"}`},
			"local.settings.json: IsEncrypted: must be true or false, found a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeApp(t, tt.files)
			_, err := Load(dir, Options{Environ: []string{}})
			if err == nil {
				t.Fatalf("Load succeeded, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n got: %s\nwant: %s", err, tt.want)
			}
			var fe *FileError
			if !errors.As(err, &fe) || emulator.ErrorCode(err) != emulator.EINVALID {
				t.Errorf("error %T is not a *FileError with code %q", err, emulator.EINVALID)
			}
		})
	}
}

// TestLoadReportsBrokenFunctions covers function folders that fail alone.
func TestLoadSaysFolderIsNotAnApp(t *testing.T) {
	t.Parallel()
	dir := writeApp(t, map[string]string{"host.json": "", "main.go": "package main"})
	_, err := Load(dir, Options{Environ: []string{}})
	want := "no host.json in " + dir + ": not a function app; funcemu init " + dir + " creates one"
	if err == nil || err.Error() != want {
		t.Fatalf("Load error = %v, want %q", err, want)
	}
	if emulator.ErrorCode(err) != emulator.EINVALID {
		t.Errorf("code %q, want %q", emulator.ErrorCode(err), emulator.EINVALID)
	}
}

func TestLoadReportsBrokenFunctions(t *testing.T) {
	bind := func(extra string) string {
		return `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req"}, ` + extra + `]}`
	}
	tests := []struct {
		name, json, want string
	}{
		{"no bindings", `{}`, "f/function.json: bindings: At least one binding must be declared."},
		{"empty bindings", `{"bindings": []}`, "f/function.json: bindings: At least one binding must be declared."},
		{"bindings not array", `{"bindings": {}}`, "f/function.json: bindings: must be an array, found an object"},
		{"binding not object", `{"bindings": ["x"]}`, "f/function.json: bindings[0]: must be an object, found a string"},
		{"no type", `{"bindings": [{"direction": "in", "name": "req"}]}`, "f/function.json: bindings[0].type: required"},
		{"type not string", `{"bindings": [{"type": 7, "direction": "in", "name": "req"}]}`, "f/function.json: bindings[0].type: must be a string, found a number"},
		{"no direction", `{"bindings": [{"type": "httpTrigger", "name": "req"}]}`, "f/function.json: bindings[0].direction: required: in, out or inout"},
		{"bad direction", `{"bindings": [{"type": "httpTrigger", "direction": "sideways", "name": "req"}]}`, `f/function.json: bindings[0].direction: "sideways" is not one of in, out, inout`},
		{"trigger out", `{"bindings": [{"type": "httpTrigger", "direction": "out", "name": "req"}]}`, `f/function.json: bindings[0].direction: a trigger binding must have direction in, found "out"`},
		{"no name", `{"bindings": [{"type": "httpTrigger", "direction": "in"}]}`, "f/function.json: bindings[0].name: The binding name  is invalid. Please assign a valid name to the binding."},
		{"bad name", bind(`{"type": "http", "direction": "out", "name": "my-res"}`), "f/function.json: bindings[1].name: The binding name my-res is invalid."},
		{"return in", bind(`{"type": "http", "direction": "in", "name": "$return"}`), "f/function.json: bindings[1].direction: $return bindings must specify a direction of 'out'."},
		{"duplicate name", bind(`{"type": "http", "direction": "out", "name": "REQ"}`), "f/function.json: bindings[1].name: Multiple bindings with name 'REQ' discovered. Binding names must be unique."},
		{"no trigger", `{"bindings": [{"type": "http", "direction": "out", "name": "res"}]}`, "f/function.json: bindings: No trigger binding specified. A function must have a trigger input binding."},
		{"two triggers", bind(`{"type": "queueTrigger", "direction": "in", "name": "q", "queueName": "xyz"}`), "f/function.json: bindings[1].type: Multiple trigger bindings defined."},
		{"dataType", bind(`{"type": "blob", "direction": "in", "name": "b", "path": "c/x", "dataType": "json"}`), `f/function.json: bindings[1].dataType: "json" is not one of string, binary, stream`},
		{"cardinality", bind(`{"type": "blob", "direction": "in", "name": "b", "path": "c/x", "cardinality": "some"}`), `f/function.json: bindings[1].cardinality: "some" is not one of one, many`},
		{"authLevel", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "authLevel": "root"}]}`, `f/function.json: bindings[0].authLevel: "root" is not one of anonymous, function, admin, system, user`},
		{"methods not array", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "methods": "get"}]}`, "f/function.json: bindings[0].methods: must be an array of HTTP methods, found a string"},
		{"bad method", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "methods": ["get", "FETCH"]}]}`, `f/function.json: bindings[0].methods[1]: "FETCH" is not an HTTP method`},
		{"method not string", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "methods": [1]}]}`, `f/function.json: bindings[0].methods[0]: "1" is not an HTTP method`},
		{"bad route", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "route": "items/{id:integer}"}]}`, `f/function.json: bindings[0].route: route template "items/{id:integer}": segment "{id:integer}": parameter "id": unknown constraint "integer"`},
		{"route not string", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req", "route": 5}]}`, "f/function.json: bindings[0].route: must be a string, found a number"},
		{"no schedule", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t"}]}`, "f/function.json: bindings[0].schedule: required"},
		{"schedule setting unknown", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "%NOPE%"}]}`, "f/function.json: bindings[0].schedule: '%NOPE%' does not resolve to a value"},
		{"schedule percent unclosed", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "0 %5 * * * *"}]}`, "f/function.json: bindings[0].schedule: the '%' at position 2 does not have a closing '%'"},
		{"runOnStartup", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "0 * * * * *", "runOnStartup": "soon"}]}`, `f/function.json: bindings[0].runOnStartup: must be true or false, found "soon"`},
		{"no queueName", `{"bindings": [{"type": "queueTrigger", "direction": "in", "name": "q"}]}`, "f/function.json: bindings[0].queueName: required"},
		{"output no queueName", bind(`{"type": "queue", "direction": "out", "name": "q", "queueName": " "}`), "f/function.json: bindings[1].queueName: required"},
		{"queue name too short", `{"bindings": [{"type": "queueTrigger", "direction": "in", "name": "q", "queueName": "ab"}]}`, `f/function.json: bindings[0].queueName: queue name "ab" must be 3 to 63 characters long`},
		{"queue name underscore", `{"bindings": [{"type": "queueTrigger", "direction": "in", "name": "q", "queueName": "My_Queue"}]}`, `f/function.json: bindings[0].queueName: queue name "my_queue" may only hold lower-case letters, digits and '-'`},
		{"queue name dashes", bind(`{"type": "queue", "direction": "out", "name": "q", "queueName": "a--b"}`), `f/function.json: bindings[1].queueName: queue name "a--b" must start and end with a letter or digit and cannot hold "--"`},
		{"container name", bind(`{"type": "blob", "direction": "out", "name": "b", "path": "Out/x"}`), `f/function.json: bindings[1].path: container name "Out" may only hold lower-case letters, digits and '-'`},
		{"blob output unclosed brace", bind(`{"type": "blob", "direction": "out", "name": "b", "path": "out/{x"}`), `f/function.json: bindings[1].path: "out/{x": '{' at position 4 has no closing '}'`},
		{"no blob path", `{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "b"}]}`, "f/function.json: bindings[0].path: required"},
		{"blob container expression", `{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "b", "path": "{c}/x"}]}`, `f/function.json: bindings[0].path: "{c}/x": the container part "{c}" cannot contain {expressions}`},
		{"blob no container", `{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "b", "path": "/x"}]}`, `f/function.json: bindings[0].path: "/x" has no container`},
		{"blob unclosed brace", `{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "b", "path": "box/{name"}]}`, `f/function.json: bindings[0].path: "box/{name": '{' at position 0 has no closing '}'`},
		{"blob source", `{"bindings": [{"type": "blobTrigger", "direction": "in", "name": "b", "path": "box/x", "source": "Polling"}]}`, `f/function.json: bindings[0].source: "Polling" is not one of LogsAndContainerScan, EventGrid`},
		{"trigger typo", `{"bindings": [{"type": "queuTrigger", "direction": "in", "name": "q", "queueName": "orders"}]}`, `f/function.json: bindings[0].type: unknown binding type "queuTrigger" (did you mean "queueTrigger"?)`},
		{"output typo", bind(`{"type": "queu", "direction": "out", "name": "q", "queueName": "orders"}`), `f/function.json: bindings[1].type: unknown binding type "queu" (did you mean "queue"?)`},
		{"unknown type", bind(`{"type": "carrierPigeon", "direction": "out", "name": "q"}`), `f/function.json: bindings[1].type: unknown binding type "carrierPigeon"; the types are listed at`},
		{"bad cron", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "0 */5 * * *  * *"}]}`, "f/function.json: bindings[0].schedule: schedule expression '0 */5 * * *  * *' was not recognized"},
		{"bad timespan", `{"bindings": [{"type": "timerTrigger", "direction": "in", "name": "t", "schedule": "00:99:00"}]}`, "f/function.json: bindings[0].schedule: schedule expression '00:99:00' was not recognized"},
		{"retry not object", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req"}], "retry": 3}`, "f/function.json: retry: must be an object, found a number"},
		{"retry invalid", `{"bindings": [{"type": "httpTrigger", "direction": "in", "name": "req"}], "retry": {"strategy": "fixedDelay", "maxRetryCount": 1}}`, "f/function.json: retry.delayInterval: required for the fixedDelay strategy"},
		{"syntax", "{\"bindings\": [\n  {\"type\": \"httpTrigger\", \"direction\": \"in\", \"name\": 'req'}\n]}", "f/function.json:2:54: invalid character '\\'' looking for beginning of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeApp(t, map[string]string{"f/function.json": tt.json, "ok/function.json": httpFunction})
			a, err := Load(dir, Options{Environ: []string{}})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(a.Functions) != 1 || a.Functions[0].Name != "ok" {
				t.Errorf("functions = %v, want the healthy one to load", names(a.Functions))
			}
			if len(a.Broken) != 1 {
				t.Fatalf("broken = %v, want one", a.Broken)
			}
			if got := a.Broken[0].Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
			if a.Broken[0].Name != "f" || emulator.ErrorCode(a.Broken[0]) != emulator.EINVALID {
				t.Errorf("broken entry = %+v, code %q", a.Broken[0], emulator.ErrorCode(a.Broken[0]))
			}
		})
	}
}
