package rest

import (
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
)

// storeSentinelWords reads the storage package's source and returns the
// words of every Err sentinel it declares (the Message of an
// &emulator.Error, the words given to fault), by variable name.
func storeSentinelWords(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	words := map[string]string{}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(name.Name, "Err") || i >= len(vs.Values) {
						continue
					}
					w, ok := sentinelWords(vs.Values[i])
					if !ok {
						continue
					}
					words[name.Name] = w
				}
			}
		}
	}
	return words
}

// sentinelWords is the words of fault(kind, "words") or
// &emulator.Error{..., Message: "words"}.
func sentinelWords(e ast.Expr) (string, bool) {
	lit := func(e ast.Expr) (string, bool) {
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	switch v := e.(type) {
	case *ast.CallExpr:
		if id, ok := v.Fun.(*ast.Ident); ok && id.Name == "fault" && len(v.Args) == 2 {
			return lit(v.Args[1])
		}
	case *ast.UnaryExpr:
		if cl, ok := v.X.(*ast.CompositeLit); ok {
			for _, el := range cl.Elts {
				if kv, ok := el.(*ast.KeyValueExpr); ok {
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Message" {
						return lit(kv.Value)
					}
				}
			}
		}
	}
	return "", false
}

// wordsOf is a store sentinel's own words.
func wordsOf(err error) string {
	var ee *emulator.Error
	if errors.As(err, &ee) {
		return ee.Message
	}
	return ""
}

// TestEveryStoreErrorHasOneRow: each Err sentinel the storage package
// declares has exactly one row in storeErrors, and each row is a sentinel
// of the store. A new store error without a row fails here, not in a
// client as a 500.
func TestEveryStoreErrorHasOneRow(t *testing.T) {
	t.Parallel()
	declared := storeSentinelWords(t)
	if len(declared) < 50 {
		t.Fatalf("found only %d store sentinels in ../*.go; the parse is broken", len(declared))
	}
	byWords := map[string]string{}
	for name, w := range declared {
		if other, dup := byWords[w]; dup {
			t.Errorf("%s and %s have the same words %q; words name one error", name, other, w)
		}
		byWords[w] = name
	}
	inTable := map[string]bool{}
	for err := range storeErrors {
		w := wordsOf(err)
		if _, ok := byWords[w]; !ok {
			t.Errorf("row for %v (words %q) is not a store sentinel", err, w)
		}
		inTable[w] = true
	}
	for name, w := range declared {
		if !inTable[w] {
			t.Errorf("storage.%s (%q) has no row in storeErrors", name, w)
		}
	}
}

// TestEveryRowIsComplete: every row has an error status, an Azure code
// and a message with at most one place for the detail.
func TestEveryRowIsComplete(t *testing.T) {
	t.Parallel()
	for err, row := range storeErrors {
		if row.status != http.StatusNotModified && (row.status < 400 || row.status > 599) {
			t.Errorf("%v: status %d", err, row.status)
		}
		if row.code == "" || strings.ContainsAny(row.code, " .") {
			t.Errorf("%v: code %q", err, row.code)
		}
		if row.message == "" || strings.Count(row.message, "%s") > 1 || strings.Contains(strings.ReplaceAll(row.message, "%s", ""), "%") {
			t.Errorf("%v: message %q", err, row.message)
		}
	}
}

// kindOfStatus is the kind each status stood for when the store still
// built statuses itself; a Fault's kind must agree with its row, so code
// outside storage that branches on emulator.ErrorCode sees what it did.
func kindOfStatus(status int) string {
	switch {
	case status == 404:
		return emulator.ENOTFOUND
	case status == 409 || status == 412 || status == 304:
		return emulator.ECONFLICT
	case status == 413:
		return emulator.ETOOLARGE
	case status >= 400 && status < 500:
		return emulator.EINVALID
	}
	return emulator.EINTERNAL
}

func TestFaultKindsAgreeWithTheirStatus(t *testing.T) {
	t.Parallel()
	for err, row := range storeErrors {
		var f *storage.Fault
		if !errors.As(err, &f) {
			continue // the queue's errors keep the kinds they always had
		}
		if k := emulator.ErrorCode(err); k != kindOfStatus(row.status) {
			t.Errorf("%v: kind %s, but status %d means %s", err, k, row.status, kindOfStatus(row.status))
		}
	}
}

// An Azure code answers with one status across Blob, Queue and Table,
// except where Azure itself varies it.
func TestOneStatusPerAzureCode(t *testing.T) {
	t.Parallel()
	varies := map[string]string{
		"ConditionNotMet":        "304 on reads, 412 on writes",
		"CannotVerifyCopySource": "404 for a missing source, 409 for a copy onto itself",
		"InvalidBlobType":        "409 for the blob's type, 400 for a tier on a non-block blob",
	}
	status := map[string]int{}
	for err, row := range storeErrors {
		if _, ok := varies[row.code]; ok {
			continue
		}
		if s, seen := status[row.code]; seen && s != row.status {
			t.Errorf("%s answers both %d and %d (%v)", row.code, s, row.status, err)
		}
		status[row.code] = row.status
	}
}

// A Fault's detail goes where its row says, and context wrapped around it
// never reaches the client.
func TestFaultDetailPlacement(t *testing.T) {
	t.Parallel()
	wrapped := errors.Join(errors.New("put block: tx"), storage.ErrBlobNotFound)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{storage.ErrBlobNotFound, "The specified blob does not exist."},
		{wrapped, "The specified blob does not exist."},
		{storage.ErrTableNotFound, "The table specified does not exist."},
	} {
		e, known := toAPIError(tc.err)
		if !known || e.Message != tc.want {
			t.Errorf("%v: %q (known %v), want %q", tc.err, e.Message, known, tc.want)
		}
	}
}

// One store error reaches each service's client in that service's shape:
// XML for Blob and Queue, odata JSON for Table, with x-ms-error-code and
// the message of its row.
func TestStoreErrorsInEachServiceShape(t *testing.T) {
	t.Parallel()
	wantMessage := func(t *testing.T, err error, got string) {
		t.Helper()
		row := storeErrors[err]
		if !strings.HasPrefix(got, row.message+"\nRequestId:") {
			t.Errorf("message %q, want %q then RequestId", got, row.message)
		}
	}
	t.Run("blob", func(t *testing.T) {
		env := newBlobEnv(t, "memory")
		req, _ := http.NewRequest(http.MethodGet, env.url+"/nobox?restype=container", nil)
		resp := doSigned(t, req)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 404 || resp.Header.Get("x-ms-error-code") != "ContainerNotFound" || resp.Header.Get("Content-Type") != "application/xml" {
			t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("x-ms-error-code"), body)
		}
		msg, _, _ := strings.Cut(strings.SplitN(string(body), "<Message>", 2)[1], "</Message>")
		wantMessage(t, storage.ErrContainerNotFound, msg)
	})
	t.Run("table", func(t *testing.T) {
		env := newTableEnv(t)
		resp, body := env.raw(t, "DELETE", "/Tables('nothere')", nil, "")
		var e struct {
			Err struct {
				Code    string `json:"code"`
				Message struct {
					Value string `json:"value"`
				} `json:"message"`
			} `json:"odata.error"`
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != 404 ||
			resp.Header.Get("x-ms-error-code") != "TableNotFound" || e.Err.Code != "TableNotFound" {
			t.Fatalf("%d %s %s (%v)", resp.StatusCode, resp.Header.Get("x-ms-error-code"), body, err)
		}
		wantMessage(t, storage.ErrTableNotFound, e.Err.Message.Value)
	})
}
