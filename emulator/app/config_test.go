package app

import (
	"reflect"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

func testConfig() Config {
	a := &emulator.App{Dir: "/app", Settings: emulator.Settings{
		Values: map[string]string{
			"QUEUE":                     "from-values",
			"Only:In:Values":            "nested",
			"AzureWebJobsStorage":       "UseDevelopmentStorage=true",
			"AzureWebJobsOther":         "other-prefixed",
			"Other":                     "other-plain",
			"Empty":                     "",
			"AzureWebJobs.Fn.Disabled":  "true",
			"AzureWebJobs_Fn2_Disabled": "1",
		},
		ConnectionStrings: map[string]string{"Db": "Server=db", "AzureWebJobsDb": "Server=prefixed"},
	}}
	return NewConfig(a, []string{"QUEUE=from-env", "Deep__Key=deep", "NOEQUALS", "=C:=weird", "QUEUE=second"})
}

func TestConfigLookup(t *testing.T) {
	c := testConfig()
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"QUEUE", "from-env", true}, // environment beats Values; first entry wins
		{"queue", "from-env", true}, // names ignore case
		{"Deep:Key", "deep", true},  // ":" and "__" are one separator
		{"deep__key", "deep", true},
		{"Only__In__Values", "nested", true},
		{"ConnectionStrings:Db", "Server=db", true},
		{"ConnectionStrings__db", "Server=db", true},
		{"Empty", "", true},
		{"Missing", "", false},
		{"NOEQUALS", "", false},
	}
	for _, tt := range tests {
		got, ok := c.Lookup(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestConfigConnection(t *testing.T) {
	c := testConfig()
	tests := []struct{ name, want string }{
		{"", "UseDevelopmentStorage=true"}, // default storage
		{"AzureWebJobsStorage", "UseDevelopmentStorage=true"},
		{"Storage", "UseDevelopmentStorage=true"}, // AzureWebJobs prefix tried first
		{"Db", "Server=prefixed"},                 // ConnectionStrings:AzureWebJobsDb first
		{"Other", "other-prefixed"},               // AzureWebJobsOther before Other
		{"Missing", ""},
	}
	for _, tt := range tests {
		got, ok := c.Connection(tt.name)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Connection(%q) = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

func TestConfigExpand(t *testing.T) {
	c := testConfig()
	tests := []struct{ in, want, err string }{
		{"plain", "plain", ""},
		{"%QUEUE%", "from-env", ""},
		{"in-%QUEUE%-%Deep:Key%", "in-from-env-deep", ""},
		{"%Empty%x", "x", ""},
		{"50%", "", "the '%' at position 2 does not have a closing '%'"},
		{"%Missing%", "", "'%Missing%' does not resolve to a value"},
		{"%%", "", "'%%' does not resolve to a value"},
	}
	for _, tt := range tests {
		got, err := c.Expand(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Expand(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestConfigExpandEnvLeavesUnknown(t *testing.T) {
	c := testConfig()
	tests := []struct{ in, want string }{
		{"%QUEUE%", "from-env"},
		{"%Missing%", "%Missing%"},
		{"50%", "50%"},
		{"%Missing%QUEUE%", "%Missingfrom-env"}, // the closing % may open the next name
		{"a%%b", "a%%b"},
	}
	for _, tt := range tests {
		if got := c.expandEnv(tt.in); got != tt.want {
			t.Errorf("expandEnv(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestConfigDisabled(t *testing.T) {
	c := testConfig()
	for name, want := range map[string]bool{"Fn": true, "fn": true, "Fn2": true, "Other": false} {
		if got := c.disabled(name); got != want {
			t.Errorf("disabled(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestHandlerEnv(t *testing.T) {
	a := &emulator.App{Dir: "/srv/app", Settings: emulator.Settings{Values: map[string]string{
		"B_SETTING":                   "b",
		"A_SETTING":                   "a",
		"HOME":                        "/from/values",
		"AZURE_FUNCTIONS_ENVIRONMENT": "Production",
	}}}
	got := HandlerEnv(a, []string{"HOME=/home/me", "AzureWebJobsScriptRoot=/elsewhere", "PATH=/bin"})
	want := []string{
		"HOME=/home/me", "PATH=/bin",
		"A_SETTING=a", "B_SETTING=b",
		"FUNCTIONS_WORKER_RUNTIME=custom",
		"AZURE_FUNCTIONS_ENVIRONMENT=Development", "AzureWebJobsScriptRoot=/srv/app",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("HandlerEnv =\n%q\nwant\n%q", got, want)
	}

	a.Settings.Values["FUNCTIONS_WORKER_RUNTIME"] = "custom-from-values"
	got = HandlerEnv(a, []string{})
	if !contains(got, "FUNCTIONS_WORKER_RUNTIME=custom-from-values") || contains(got, "FUNCTIONS_WORKER_RUNTIME=custom") {
		t.Errorf("worker runtime from Values not kept: %q", got)
	}
}

func TestSkippedSettingsWarnings(t *testing.T) {
	got := skippedSettings(map[string]string{"B": "1", "A": "2", "C": "3"}, []string{"A=x", "B=y", "c=z"})
	want := []string{
		"Skipping 'A' from local settings as it's already defined in current environment variables.",
		"Skipping 'B' from local settings as it's already defined in current environment variables.",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
