package storage

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

func TestPropsRoundTrip(t *testing.T) {
	t.Parallel()
	ps := []TableProperty{
		{Name: "S", Type: odata.String, Value: "quote \" and \\ and é \u0001 ]"},
		{Name: "E", Type: odata.String, Value: ""},
		{Name: "B", Type: odata.Boolean, Value: false},
		{Name: "I", Type: odata.Int32, Value: int64(-5)},
		{Name: "L", Type: odata.Int64, Value: int64(1) << 62},
		{Name: "D", Type: odata.Double, Value: 1.5e-7},
		{Name: "N", Type: odata.Double, Value: "NaN"},
		{Name: "T", Type: odata.DateTime, Value: "2020-01-01T00:00:00.0000000Z"},
		{Name: "X", Type: odata.Binary, Value: "00FF"},
	}
	raw, err := encodeProps(ps)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeProps(raw)
	if err != nil || !reflect.DeepEqual(got, ps) {
		t.Fatalf("decode(%s) = %#v, %v", raw, got, err)
	}
	if got, err := decodeProps("{}"); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
	for _, bad := range []string{"", "{", `{"a":`, `{"a":["s",]}`, `{"a":["s","x"`, `{"a":["s","x"]`} {
		if _, err := decodeProps(bad); err == nil {
			t.Errorf("decodeProps(%q) succeeded", bad)
		}
	}
}

// TestEncodePropsMatchesMarshal holds the stored form to json.Marshal's
// text for names and values, which answers copy as they are.
func TestEncodePropsMatchesMarshal(t *testing.T) {
	t.Parallel()
	values := []any{"", "plain", "quote \" back \\ <&> \u2028 é \x01 \x7f", "bad \xff utf8", true, false, int64(0), int64(math.MinInt64), int64(math.MaxInt64),
		0.0, -1.5, 1e21, 1e-7, 123456789.125, "NaN"}
	for _, name := range []string{"A", "Name_1", "<é>"} {
		for _, v := range values {
			got, err := encodeProps([]TableProperty{{Name: name, Type: odata.String, Value: v}})
			if err != nil {
				t.Fatal(err)
			}
			n, _ := json.Marshal(name)
			val, _ := json.Marshal(v)
			if want := "{" + string(n) + `:["s",` + string(val) + "]}"; got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		}
	}
}
