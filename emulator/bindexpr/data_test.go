package bindexpr

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestBindingData(t *testing.T) {
	// Newtonsoft turns offset times into the machine's local time.
	localNoon := time.Date(2024, 5, 1, 12, 0, 0, 0, time.FixedZone("", 2*3600)).In(time.Local).Format("01/02/2006 15:04:05")
	tests := []struct {
		name    string
		payload string
		want    Data
	}{
		{"scalars become strings", `{"id":7,"name":"x","ok":true,"off":false,"ratio":1.50,"whole":7.0,"big":12345678901234567890,"exp":1e2}`,
			Data{"id": "7", "name": "x", "ok": "True", "off": "False", "ratio": "1.5", "whole": "7", "big": "12345678901234567890", "exp": "100"}},
		{"large and small doubles", `{"a":1e15,"b":1.5e20,"c":0.0001,"d":0.00001,"e":-2.5e-7}`,
			Data{"a": "1E+15", "b": "1.5E+20", "c": "0.0001", "d": "1E-05", "e": "-2.5E-07"}},
		{"arrays and nulls skipped", `{"list":[1,2],"none":null,"keep":"k"}`, Data{"keep": "k"}},
		{"objects kept", `{"order":{"id":1,"tags":["a"]}}`,
			Data{"order": map[string]any{"id": jsonNumber("1"), "tags": []any{"a"}}}},
		{"iso dates as .NET prints them", `{"utc":"2024-05-01T12:00:00Z","plain":"2024-05-01T12:00:00.5","off":"2024-05-01T12:00:00+02:00","notdate":"2024-05-01"}`,
			Data{"utc": "05/01/2024 12:00:00", "plain": "05/01/2024 12:00:00", "off": localNoon, "notdate": "2024-05-01"}},
		{"later key wins case-insensitively", `{"Name":"a","name":"b"}`, Data{"name": "b"}},
		{"surrounding space", "  {\"a\":\"b\"}\n", Data{"a": "b"}},
		{"empty object", `{}`, Data{}},
		{"not an object", `[1,2]`, nil},
		{"plain text", `hello`, nil},
		{"broken json", `{"a":}`, nil},
		{"trailing garbage", `{"a":1} {`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BindingData([]byte(tt.payload))
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("BindingData(%s) = %#v, want %#v", tt.payload, got, tt.want)
			}
		})
	}
}

func TestDataLookupIsCaseInsensitiveAndDeterministic(t *testing.T) {
	d := Data{"QueueTrigger": "q", "ab": "lower", "AB": "upper"}
	if v, ok := d.Lookup("queuetrigger"); !ok || v != "q" {
		t.Fatalf("Lookup(queuetrigger) = %v, %v", v, ok)
	}
	if v, _ := d.Lookup("ab"); v != "lower" {
		t.Fatalf("exact match must win, got %v", v)
	}
	for range 20 {
		if v, _ := d.Lookup("Ab"); v != "upper" { // "AB" sorts before "ab"
			t.Fatalf("Lookup(Ab) = %v, want the alphabetically first key's value", v)
		}
	}
	if _, ok := d.Lookup("missing"); ok {
		t.Fatal("Lookup(missing) found something")
	}
}

func jsonNumber(s string) any {
	return json.Number(s)
}
