package keys

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenMakesKeysOnceAndKeepsThem(t *testing.T) {
	t.Parallel()
	path := PathIn(filepath.Join(t.TempDir(), ".funcemu"))
	s, made, err := Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(made) != 2 || s.MasterKey() == "" || len(s.MasterKey()) < 40 {
		t.Fatalf("made %v, master %q: want a new master and host key", made, s.MasterKey())
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("keys file %v mode %v, want 0600", err, st.Mode())
	}
	fnMade, err := s.EnsureFunctions([]string{"Hello", "Tick"})
	if err != nil || len(fnMade) != 2 {
		t.Fatalf("EnsureFunctions = %v, %v", fnMade, err)
	}
	again, made2, err := Open(path, "")
	if err != nil || len(made2) != 0 {
		t.Fatalf("reopen made %v, %v: want the stored keys", made2, err)
	}
	if again.MasterKey() != s.MasterKey() || again.FunctionKey("hello") != s.FunctionKey("Hello") {
		t.Fatal("reopened store has other keys")
	}
	if m, _ := ReadMaster(path); m != s.MasterKey() {
		t.Fatalf("ReadMaster = %q", m)
	}
	if fnMade, _ := again.EnsureFunctions([]string{"HELLO"}); len(fnMade) != 0 {
		t.Fatalf("a known function got a new key: %v", fnMade)
	}
}

func TestGivenMasterKeyIsNotWritten(t *testing.T) {
	t.Parallel()
	path := PathIn(t.TempDir())
	s, made, err := Open(path, "given-master")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range made {
		if g.Name == "master" {
			t.Fatal("a master key was generated although one was given")
		}
	}
	if s.MasterKey() != "given-master" {
		t.Fatalf("MasterKey = %q", s.MasterKey())
	}
	if m, _ := ReadMaster(path); m != "" {
		t.Fatalf("the given master key was written: %q", m)
	}
}

func TestBrokenKeysFileIsNamed(t *testing.T) {
	t.Parallel()
	path := PathIn(t.TempDir())
	os.WriteFile(path, []byte("{"), 0o600)
	if _, _, err := Open(path, ""); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open = %v, want an error naming %s", err, path)
	}
}

func TestAllowsByLevel(t *testing.T) {
	t.Parallel()
	s, _, err := Open("", "")
	if err != nil {
		t.Fatal(err)
	}
	s.EnsureFunctions([]string{"Hello", "Other"})
	master, host := s.MasterKey(), s.f.HostKeys[DefaultName]
	hello, other := s.FunctionKey("Hello"), s.FunctionKey("Other")
	tests := []struct {
		name, level, header, query string
		want                       bool
	}{
		{"anonymous needs nothing", "anonymous", "", "", true},
		{"function without key", "function", "", "", false},
		{"function with its key", "function", hello, "", true},
		{"function with its key in code", "function", "", hello, true},
		{"function with another function's key", "function", other, "", false},
		{"function with a host key", "function", host, "", true},
		{"function with the master key", "Function", master, "", true},
		{"function with a wrong key", "function", "nope", "", false},
		{"admin with the master key", "admin", "", master, true},
		{"admin with a host key", "admin", host, "", false},
		{"admin with the function key", "admin", hello, "", false},
		{"system with the master key", "system", master, "", true},
	}
	for _, tc := range tests {
		r := httptest.NewRequest("GET", "/api/hello?code="+tc.query, nil)
		if tc.header != "" {
			r.Header.Set(Header, tc.header)
		}
		if got := s.Allows(r, tc.level, "hello"); got != tc.want {
			t.Errorf("%s: Allows = %v, want %v", tc.name, got, tc.want)
		}
	}
}
