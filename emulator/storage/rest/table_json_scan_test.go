package rest

import (
	"bytes"
	"testing"
)

// FuzzScanFlatObjectMatchesDecoder: whatever the scanner accepts, the
// decoder reads to the same members; what it refuses goes to the
// decoder, so parseEntity answers as it did with the decoder alone.
func FuzzScanFlatObjectMatchesDecoder(f *testing.F) {
	for _, s := range []string{
		`{"PartitionKey":"p","RowKey":"r","A":1,"B@odata.type":"Edm.Int64","B":"5"}`,
		` { "a" : -0.5e+3 , "b":true,"c":false,"d":null } `, `{}`, ` {} x`, `{"a":1,}`, `{"a":01}`, `{"a":1.}`, `{"a":-}`,
		`{"a":1e}`, `{"a":"x\"y"}`, `{"a\u00e9":1}`, "{\"a\":\"\xff\"}", "{\"\xff\":1}", `{"a":[1]}`, `{"a":{"b":1}}`,
		`{"a":tru}`, `{"a":truex}`, `{"a":1,"a":2}`, `{"a":1}{"b":2}`, `{"a" 1}`, "{\"a\":\"tab\there\"}", `{"a":1`, `[1]`, `"x"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, ok := scanFlatObject([]byte(body))
		if !ok {
			return
		}
		want, err := decodeObject([]byte(body))
		if err != nil {
			if e, isErr := err.(*Error); isErr && e.Code == "DuplicatePropertiesSpecified" {
				return // the scanner leaves repeated names to parseEntity
			}
			t.Fatalf("scanner accepted %q, decoder: %v", body, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: scanner %d members, decoder %d", body, len(got), len(want))
		}
		for i := range got {
			if got[i].name != want[i].name || !bytes.Equal(got[i].raw, want[i].raw) {
				t.Fatalf("%q member %d: scanner %q=%s, decoder %q=%s", body, i, got[i].name, got[i].raw, want[i].name, want[i].raw)
			}
		}
	})
}

// TestScanFlatObjectTakesCommonBodies: the bodies the SDKs send take the
// fast path (the fuzz test above only checks what it accepts).
func TestScanFlatObjectTakesCommonBodies(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"PartitionKey":"p0","RowKey":"r000001","Big":"8589934592","Big@odata.type":"Edm.Int64","N":1,"Name":"entity 1"}`,
		"{\n  \"PartitionKey\": \"p\",\n  \"RowKey\": \"r\",\n  \"D\": 1.5e-3,\n  \"B\": false,\n  \"X\": null\n}",
		`{}`,
	} {
		if _, ok := scanFlatObject([]byte(body)); !ok {
			t.Errorf("%s: not taken by the scanner", body)
		}
	}
}

// TestJSONStringValueMatchesScalar holds the plain-string shortcut to the
// reading through jsonScalar for every kind of value.
func TestJSONStringValueMatchesScalar(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{`"plain"`, `""`, `"é漢"`, `"a\"b"`, `"\u00e9"`, "\"\xff\"", `5`, `true`, `null`, `"x`} {
		got, gotErr := jsonStringValue([]byte(raw))
		v, err := jsonScalar([]byte(raw))
		want, isString := v.(string)
		if (gotErr == nil) != (err == nil && isString) || gotErr == nil && got != want {
			t.Errorf("%s: got %q, %v; jsonScalar gives %#v, %v", raw, got, gotErr, v, err)
		}
	}
}
