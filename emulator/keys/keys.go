// Package keys holds a function app's access keys the way the Functions
// host uses them: a master key, host keys and function keys, sent as the
// x-functions-key header or the code query parameter. funcemu enforces
// them when it listens beyond loopback or with --enable-auth; the keys
// live in one file in the data folder, readable by its owner only.
package keys

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileName is the keys file in a data folder.
const FileName = "keys.json"

// PathIn is the keys file of the data folder dir.
func PathIn(dir string) string { return filepath.Join(dir, FileName) }

// Header is the request header carrying a key; the code query parameter
// is the other place.
const Header = "x-functions-key"

// DefaultName is the name of the key generated for the host and for each
// function, as in Azure.
const DefaultName = "default"

// file is the keys file's content.
type file struct {
	MasterKey string `json:"masterKey,omitempty"`
	// HostKeys work for every function-level function.
	HostKeys map[string]string `json:"hostKeys"`
	// FunctionKeys are per function (lower-cased name), then per key name.
	FunctionKeys map[string]map[string]string `json:"functionKeys"`
}

// Store holds the keys of one app and persists new ones.
type Store struct {
	path   string // "" keeps the keys in memory
	master string // --master-key, never written to the file

	mu sync.Mutex
	f  file
}

// Generated is a key made by Open or FunctionKey, to show once.
type Generated struct {
	Name     string // "master", "host default" or "function NAME default"
	Function string // the function, for function keys
	Key      string
}

// Open loads the keys file at path, creating it with a new master key and
// host key when missing. A non-empty master replaces the file's master
// key (and is not written). path "" keeps the keys in memory.
func Open(path, master string) (*Store, []Generated, error) {
	s := &Store{path: path, master: master}
	if path != "" {
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			if err := json.Unmarshal(b, &s.f); err != nil {
				return nil, nil, fmt.Errorf("%s: not a keys file (delete it to make new keys): %w", path, err)
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, nil, fmt.Errorf("keys: %w", err)
		}
	}
	if s.f.HostKeys == nil {
		s.f.HostKeys = map[string]string{}
	}
	if s.f.FunctionKeys == nil {
		s.f.FunctionKeys = map[string]map[string]string{}
	}
	var made []Generated
	if s.f.MasterKey == "" && master == "" {
		s.f.MasterKey = newKey()
		made = append(made, Generated{Name: "master", Key: s.f.MasterKey})
	}
	if s.f.HostKeys[DefaultName] == "" {
		s.f.HostKeys[DefaultName] = newKey()
		made = append(made, Generated{Name: "host " + DefaultName, Key: s.f.HostKeys[DefaultName]})
	}
	if len(made) > 0 {
		if err := s.save(); err != nil {
			return nil, nil, err
		}
	}
	return s, made, nil
}

// MasterKey is the key that opens everything, the admin API included.
func (s *Store) MasterKey() string {
	if s.master != "" {
		return s.master
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.MasterKey
}

// EnsureFunctions gives every named function a default key, saving and
// returning the keys it had to make.
func (s *Store) EnsureFunctions(names []string) ([]Generated, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var made []Generated
	for _, n := range names {
		fk := s.f.FunctionKeys[strings.ToLower(n)]
		if fk == nil {
			fk = map[string]string{}
			s.f.FunctionKeys[strings.ToLower(n)] = fk
		}
		if fk[DefaultName] == "" {
			fk[DefaultName] = newKey()
			made = append(made, Generated{Name: "function " + n + " " + DefaultName, Function: n, Key: fk[DefaultName]})
		}
	}
	if len(made) == 0 {
		return nil, nil
	}
	return made, s.saveLocked()
}

// FunctionKey is the default key of function, "" when it has none.
func (s *Store) FunctionKey(function string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f.FunctionKeys[strings.ToLower(function)][DefaultName]
}

// Allows reports whether r carries a key good for level on function:
// "admin" (and "system", "user") needs the master key; "function" takes the
// master key, any host key or one of function's keys; "anonymous" needs
// nothing.
func (s *Store) Allows(r *http.Request, level, function string) bool {
	level = strings.ToLower(level)
	if level == "anonymous" {
		return true
	}
	got := FromRequest(r)
	if got == "" {
		return false
	}
	if equal(got, s.MasterKey()) {
		return true
	}
	if level != "function" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.f.HostKeys {
		if equal(got, k) {
			return true
		}
	}
	for _, k := range s.f.FunctionKeys[strings.ToLower(function)] {
		if equal(got, k) {
			return true
		}
	}
	return false
}

// FromRequest is the key r carries: the x-functions-key header, else the
// code query parameter.
func FromRequest(r *http.Request) string {
	if k := r.Header.Get(Header); k != "" {
		return k
	}
	return r.URL.Query().Get("code")
}

// equal compares in constant time, so timing does not reveal a key.
func equal(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// newKey is 32 random bytes, URL-safe, so it can go in ?code= unescaped.
func newKey() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("keys: no randomness: %v", err)) // crypto/rand never fails on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Store) save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked()
}

// saveLocked writes the file owner-only, atomically.
func (s *Store) saveLocked() error {
	if s.path == "" {
		return nil
	}
	b, err := json.MarshalIndent(s.f, "", "  ")
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	tmp := s.path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if err := os.Chmod(tmp, 0o600); err != nil { // an old .tmp keeps its mode
		return fmt.Errorf("keys: %w", err)
	}
	if err := os.Rename(tmp, s.path); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	return nil
}

// ReadMaster reads the master key from the keys file at path, for
// funcemu's own command line; "" when there is no file.
func ReadMaster(path string) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("keys: %w", err)
	}
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return "", fmt.Errorf("%s: not a keys file: %w", path, err)
	}
	return f.MasterKey, nil
}
