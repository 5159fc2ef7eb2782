package storage

import (
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
