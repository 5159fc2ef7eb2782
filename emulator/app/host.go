package app

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/route"
)

const hostFile = "host.json"

// Defaults the host applies locally (func start runs in Development).
const (
	defaultFunctionTimeout        = 30 * time.Minute
	defaultInitializationTimeout  = 30 * time.Second
	defaultRoutePrefix            = "api"
	developmentMaxPollingInterval = 2 * time.Second
)

// readHostJSON reads host.json and checks its version. A missing or empty
// file counts as {"version": "2.0"}; unlike the host, funcemu never writes
// one into the app folder.
func readHostJSON(dir string) (map[string]any, error) {
	raw, err := os.ReadFile(filepath.Join(dir, hostFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotAppError{Dir: dir}
	}
	if err != nil {
		return nil, &FileError{File: hostFile, Err: emulator.Errorf(emulator.EINVALID, "%v", err)}
	}
	return parseHostJSON(raw)
}

// parseHostJSON parses host.json bytes and checks the version.
func parseHostJSON(raw []byte) (map[string]any, error) {
	obj, err := parseJSONObject(hostFile, raw)
	if err != nil {
		return nil, err
	}
	if len(obj) == 0 {
		return map[string]any{"version": "2.0"}, nil
	}
	version := versionString(obj["version"])
	if version == "" {
		return nil, invalid(hostFile, "version", "The host.json file is missing the required 'version' property. See https://aka.ms/functions-hostjson for steps to migrate the configuration file.")
	}
	if version != "2.0" {
		msg := "'" + version + "' is an invalid value for host.json 'version' property. We recommend you set the 'version' property to '2.0'. "
		if strings.HasPrefix(version, "3") {
			msg += "This does not correspond to the function runtime version, only to the schema version of the host.json file. "
		}
		msg += "See https://aka.ms/functions-hostjson for more information on this configuration file."
		return nil, invalid(hostFile, "version", "%s", msg)
	}
	return obj, nil
}

// versionString reads "version" as the host does (JToken.Value<string>):
// a number 2.0 reads as "2", so only the string "2.0" passes.
func versionString(v any) string {
	if n, ok := v.(json.Number); ok {
		if f, err := n.Float64(); err == nil {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
	}
	return scalarString(v)
}

// decodeHost turns the flattened host.json (overrides applied) into
// HostConfig, defaults filled in.
func decodeHost(t tree, dir string, cfg Config) (emulator.HostConfig, []string, error) {
	f := fields{file: hostFile, t: t}
	h := emulator.HostConfig{Version: "2.0"}
	var err error
	if h.FunctionTimeout, err = functionTimeout(f); err != nil {
		return h, nil, err
	}
	ch, warnings, err := decodeCustomHandler(f, dir, cfg)
	if err != nil {
		return h, nil, err
	}
	h.CustomHandler = ch
	h.RoutePrefix = defaultRoutePrefix
	if p, ok := f.str("extensions.http.routePrefix"); ok {
		h.RoutePrefix = strings.Trim(p, "/")
		if _, err := route.Parse(h.RoutePrefix); err != nil {
			l, _ := t.get("extensions.http.routePrefix")
			return h, nil, f.fail("extensions.http.routePrefix", l, "%v", err)
		}
	}
	if fns, ok, err := f.strings("functions"); err != nil {
		return h, nil, err
	} else if ok {
		h.Functions = fns
	}
	if h.Retry, err = decodeRetry(f, "retry"); err != nil {
		return h, nil, err
	}
	if h.Queues, err = decodeQueues(f); err != nil {
		return h, nil, err
	}
	if h.Blobs, err = decodeBlobs(f); err != nil {
		return h, nil, err
	}
	if h.LogLevel, err = f.oneOf("logging.logLevel.default", "", "Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"); err != nil {
		return h, nil, err
	}
	return h, warnings, nil
}

// functionTimeout reads hh:mm:ss; "-1" is unlimited (0), absent is 30 min.
func functionTimeout(f fields) (time.Duration, error) {
	l, ok := f.t.get("functionTimeout")
	if !ok || l.value == "" {
		return defaultFunctionTimeout, nil
	}
	if v := strings.TrimSpace(l.value); v == "-1" || v == "-1.00:00:00" {
		return 0, nil
	}
	return f.duration("functionTimeout", 0, time.Second)
}

func decodeQueues(f fields) (emulator.QueuesOptions, error) {
	const p = "extensions.queues."
	var q emulator.QueuesOptions
	var err error
	if q.MaxPollingInterval, err = f.duration(p+"maxPollingInterval", developmentMaxPollingInterval, 100*time.Millisecond); err != nil {
		return q, err
	}
	if q.VisibilityTimeout, err = f.duration(p+"visibilityTimeout", 0, 0); err != nil {
		return q, err
	}
	if q.BatchSize, err = f.integer(p+"batchSize", 16, 1, 32); err != nil {
		return q, err
	}
	if q.NewBatchThreshold, err = f.integer(p+"newBatchThreshold", q.BatchSize/2*runtime.NumCPU(), 0, maxInt); err != nil {
		return q, err
	}
	if q.MaxDequeueCount, err = f.integer(p+"maxDequeueCount", 5, 1, maxInt); err != nil {
		return q, err
	}
	if q.MessageEncoding, err = f.oneOf(p+"messageEncoding", "base64", "base64", "none"); err != nil {
		return q, err
	}
	return q, nil
}

func decodeBlobs(f fields) (emulator.BlobsOptions, error) {
	const p = "extensions.blobs."
	var b emulator.BlobsOptions
	var err error
	if b.MaxDegreeOfParallelism, err = f.integer(p+"maxDegreeOfParallelism", 8*runtime.NumCPU(), 1, maxInt); err != nil {
		return b, err
	}
	if b.PoisonBlobThreshold, err = f.integer(p+"poisonBlobThreshold", 5, 1, maxInt); err != nil {
		return b, err
	}
	return b, nil
}

const maxInt = int(^uint(0) >> 1)
