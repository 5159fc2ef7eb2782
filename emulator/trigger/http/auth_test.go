package httptrigger

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/keys"
)

func TestKeysEnforceAuthLevels(t *testing.T) {
	t.Parallel()
	store, _, err := keys.Open("", "the-master")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.EnsureFunctions([]string{"Open", "Fn", "Adm", "Off"}); err != nil {
		t.Fatal(err)
	}
	fnKey := store.FunctionKey("Fn")
	off := httpFunc("Off", "off", "function")
	off.Disabled = true
	a := testApp("api", httpFunc("Adm", "adm", "admin"), httpFunc("Fn", "fn", "function"), off, httpFunc("Open", "open", "anonymous"))
	tests := []struct {
		name, path, key string
		keysOn          bool
		want            int
	}{
		{"keyless: function level runs", "/api/fn", "", false, 200},
		{"keyless: admin level runs", "/api/adm", "", false, 200},
		{"anonymous needs no key", "/api/open", "", true, 200},
		{"function level without key", "/api/fn", "", true, 401},
		{"function level with its key", "/api/fn", fnKey, true, 200},
		{"function level with code", "/api/fn?code=" + fnKey, "", true, 200},
		{"function level with the master key", "/api/fn", "the-master", true, 200},
		{"admin level with a function key", "/api/adm", fnKey, true, 401},
		{"admin level with the master key", "/api/adm", "the-master", true, 200},
		{"disabled hides without admin", "/api/off", store.FunctionKey("Off"), true, 404},
		{"disabled runs with the master key", "/api/off", "the-master", true, 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &fakeHost{}
			s := newTestServer(t, a, h, func(o *Options) {
				if tc.keysOn {
					o.Keys = store
				}
			})
			req := httptest.NewRequest("GET", tc.path, nil)
			if tc.key != "" {
				req.Header.Set(keys.Header, tc.key)
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d", rec.Code, tc.want)
			}
			if tc.want == 200 {
				in := h.invoked[0].Input.HTTP
				if _, kept := in.Headers["X-Functions-Key"]; kept || strings.Contains(in.URL, "code=") {
					t.Fatalf("the journal input keeps the key: %+v", in)
				}
			}
		})
	}
}
