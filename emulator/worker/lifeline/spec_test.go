package lifeline

import (
	"slices"
	"testing"
)

func TestSpecRoundTrips(t *testing.T) {
	t.Parallel()
	for _, s := range []Spec{
		{Path: "/app/handler", Args: []string{"handler", "--flag", "a b"}, Env: []string{"A=1", "B=x=y"}, Dir: "/app"},
		{Path: "h", Args: []string{"h"}},
		{Path: "h", Args: []string{"h", ""}, Env: []string{"EMPTY="}},
	} {
		got, err := decodeSpec(s.Encode())
		if err != nil {
			t.Fatalf("%+v: %v", s, err)
		}
		if got.Path != s.Path || got.Dir != s.Dir || !slices.Equal(got.Args, s.Args) || !slices.Equal(got.Env, s.Env) {
			t.Fatalf("decoded %+v, want %+v", got, s)
		}
	}
	if _, err := decodeSpec([]byte("only\x00two")); err == nil {
		t.Fatal("a short spec decoded")
	}
	if _, err := decodeSpec([]byte("p\x00d\x009\x00a")); err == nil {
		t.Fatal("a spec with fewer arguments than its count decoded")
	}
}
