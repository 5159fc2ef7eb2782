package app

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

const settingsFile = "local.settings.json"

// readSettings reads local.settings.json. A missing file means no
// settings; invalid JSON is an error (func start would only warn and run
// with no settings, which hides the mistake).
func readSettings(dir string) (emulator.Settings, []string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return emulator.Settings{Values: map[string]string{}, ConnectionStrings: map[string]string{}}, nil, nil
	}
	if err != nil {
		return emulator.Settings{}, nil, &FileError{File: settingsFile, Err: emulator.Errorf(emulator.EINVALID, "%v", err)}
	}
	return parseSettings(raw)
}

// parseSettings decodes local.settings.json bytes.
func parseSettings(raw []byte) (emulator.Settings, []string, error) {
	s := emulator.Settings{Values: map[string]string{}, ConnectionStrings: map[string]string{}}
	obj, err := parseJSONObject(settingsFile, raw)
	if err != nil {
		return s, nil, err
	}
	var warnings []string
	// Property names are matched case-insensitively, as Json.NET does.
	if v, ok := lookupFold(obj, "IsEncrypted"); ok {
		enc, good := jsonBool(v)
		if !good {
			return s, nil, invalid(settingsFile, "IsEncrypted", "must be true or false, found %s", jsonKind(v))
		}
		if enc {
			warnings = append(warnings, "local.settings.json has IsEncrypted: true; funcemu does not decrypt settings and reads Values as plain text.")
		}
	}
	if v, ok := lookupFold(obj, "Values"); ok && v != nil {
		values, ok := v.(map[string]any)
		if !ok {
			return s, nil, invalid(settingsFile, "Values", "must be an object, found %s", jsonKind(v))
		}
		for k, raw := range values {
			str, ok := settingString(raw)
			if !ok {
				return s, nil, invalid(settingsFile, "Values."+k, "must be a string, number or boolean, found %s", jsonKind(raw))
			}
			s.Values[k] = str
		}
	}
	if v, ok := lookupFold(obj, "Host"); ok && v != nil {
		if err := decodeHostSettings(&s, v); err != nil {
			return s, nil, err
		}
	}
	if v, ok := lookupFold(obj, "ConnectionStrings"); ok && v != nil {
		if err := decodeConnectionStrings(&s, v); err != nil {
			return s, nil, err
		}
	}
	return s, warnings, nil
}

func decodeHostSettings(s *emulator.Settings, v any) error {
	host, ok := v.(map[string]any)
	if !ok {
		return invalid(settingsFile, "Host", "must be an object, found %s", jsonKind(v))
	}
	if p, ok := lookupFold(host, "LocalHttpPort"); ok && p != nil {
		port, err := strconv.Atoi(scalarString(p))
		if err != nil || port < 0 || port > 65535 {
			return invalid(settingsFile, "Host.LocalHttpPort", "must be a port number 0-65535, found %s", describe(p))
		}
		s.LocalHTTPPort = port
	}
	if a, ok := lookupFold(host, "LocalHttpAddress"); ok && a != nil {
		addr, isStr := a.(string)
		if !isStr {
			return invalid(settingsFile, "Host.LocalHttpAddress", "must be a string, found %s", jsonKind(a))
		}
		s.LocalHTTPAddress = addr
	}
	if c, ok := lookupFold(host, "CORS"); ok && c != nil {
		cors, isStr := c.(string)
		if !isStr {
			return invalid(settingsFile, "Host.CORS", "must be a comma-separated string of origins, found %s", jsonKind(c))
		}
		for _, origin := range strings.Split(cors, ",") {
			if o := strings.TrimSpace(origin); o != "" {
				s.CORS = append(s.CORS, o)
			}
		}
	}
	if c, ok := lookupFold(host, "CORSCredentials"); ok && c != nil {
		b, good := jsonBool(c)
		if !good {
			return invalid(settingsFile, "Host.CORSCredentials", "must be true or false, found %s", describe(c))
		}
		s.CORSCredentials = b
	}
	return nil
}

// decodeConnectionStrings accepts "name": "conn" and
// "name": {"ConnectionString": "conn", "ProviderName": "..."}.
func decodeConnectionStrings(s *emulator.Settings, v any) error {
	conns, ok := v.(map[string]any)
	if !ok {
		return invalid(settingsFile, "ConnectionStrings", "must be an object, found %s", jsonKind(v))
	}
	for name, raw := range conns {
		switch x := raw.(type) {
		case string:
			s.ConnectionStrings[name] = x
		case map[string]any:
			cs, _ := lookupFold(x, "ConnectionString")
			str, isStr := cs.(string)
			if !isStr {
				return invalid(settingsFile, "ConnectionStrings."+name+".ConnectionString", "must be a string, found %s", jsonKind(cs))
			}
			s.ConnectionStrings[name] = str
		default:
			return invalid(settingsFile, "ConnectionStrings."+name, "must be a string or {\"ConnectionString\": ...}, found %s", jsonKind(raw))
		}
	}
	return nil
}

// settingString coerces a Values entry to a string as Json.NET does for a
// Dictionary<string,string>: numbers as written, booleans as True/False.
func settingString(v any) (string, bool) {
	switch v.(type) {
	case string, json.Number, bool, nil:
		return scalarString(v), true
	}
	return "", false
}

// jsonBool accepts a JSON boolean or a string "true"/"false" (any case).
func jsonBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// lookupFold finds a property by case-insensitive name, preferring an
// exact match.
func lookupFold(obj map[string]any, name string) (any, bool) {
	if v, ok := obj[name]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return nil, false
}

// describe shows a JSON value in a message: scalars quoted, others by kind.
func describe(v any) string {
	switch v.(type) {
	case string, json.Number, bool:
		return strconv.Quote(scalarString(v))
	}
	return jsonKind(v)
}
