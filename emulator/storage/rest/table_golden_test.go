package rest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage"
)

// The golden tests below hold the bytes of a 1,000-entity query page and
// of a 100-operation batch answer, as the server wrote them before their
// paths were made faster: any change to what a client receives fails
// them. Times and GUIDs differ between runs, so they are replaced by
// placeholders before hashing; everything else counts.

var (
	goldenDateTime = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d(:|%3A)\d\d(:|%3A)\d\d(\.\d+)?Z`)
	goldenGUID     = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
)

// goldenAnswer is the status, the headers that do not vary (sorted) and
// the body, with the server's address, times and GUIDs replaced.
func goldenAnswer(t *testing.T, srv *httptest.Server, resp *http.Response) string {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d\n", resp.StatusCode)
	var keys []string
	for k := range resp.Header {
		switch k {
		case "Date", "X-Ms-Request-Id", "X-Ms-Client-Request-Id":
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(resp.Header[k], ", "))
	}
	b.WriteString("\n")
	b.Write(body)
	out := strings.ReplaceAll(b.String(), srv.URL, "http://SERVER")
	out = goldenDateTime.ReplaceAllString(out, "TIME")
	return goldenGUID.ReplaceAllString(out, "GUID")
}

func goldenHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// goldenServer serves a table "Rows" holding 1,000 entities of random
// properties of every type (keys with quotes and non-ASCII included),
// all in partition "p0" but for a few.
func goldenServer(t *testing.T) *httptest.Server {
	t.Helper()
	store, err := storage.Open(storage.Options{Path: filepath.Join(t.TempDir(), "storage.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ctx := context.Background()
	if err := store.CreateTable(ctx, DevAccountName, "Rows"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1000))
	keys := []string{"plain", "it's", "<&>", "ünï", "with space", `q"uote`}
	var ops []storage.TableOp
	for i := 0; i < 1010; i++ {
		pk := "p0"
		if i%101 == 100 {
			pk = "p1"
		}
		e := storage.TableEntity{PartitionKey: pk, RowKey: fmt.Sprintf("%s%04d", keys[rng.Intn(len(keys))], i)}
		for j := 0; j < rng.Intn(10); j++ {
			e.Properties = append(e.Properties, randomProperty(rng, fmt.Sprintf("P%d_%d", j, rng.Intn(3))))
		}
		ops = append(ops, storage.TableOp{Kind: storage.OpInsert, Entity: uniqueProperties(e)})
		if len(ops) == 100 {
			if _, err := store.WriteEntities(ctx, DevAccountName, "rows", ops); err != nil {
				t.Fatal(err)
			}
			ops = nil
		}
	}
	for _, op := range ops {
		if _, err := store.WriteEntity(ctx, DevAccountName, "rows", op); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(NewServer(noAuth{NewTableService(store)}, nil, nil, nil))
	t.Cleanup(srv.Close)
	return srv
}

// TestQueryPageGolden holds a 1,000-entity page (with its continuation
// headers) at every metadata level to the bytes it had.
func TestQueryPageGolden(t *testing.T) {
	t.Parallel()
	srv := goldenServer(t)
	want := map[string]string{
		"nometadata":      "2ce767838410547b23f920d49bdc1f58a0bd96662907ef6af32770cbb43d8beb",
		"minimalmetadata": "d83e42ef44f49c6a98caf9e4636715fc850fb0a9a8b79e5ee88cb6bef0373fbf",
		"fullmetadata":    "5371996d1779f1e3ec1728ad5830389a4240ebc3d1da7777b3d2364f67bc769a",
	}
	for level := range want {
		req, _ := http.NewRequest("GET", srv.URL+"/"+DevAccountName+"/Rows()?$filter=PartitionKey%20eq%20'p0'%20or%20PartitionKey%20eq%20'p1'", nil)
		req.Header.Set("Accept", "application/json;odata="+level)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got := goldenAnswer(t, srv, resp)
		if n := strings.Count(got, `"RowKey":`); n != 1000 {
			t.Fatalf("%s: %d entities in the page, want 1000", level, n)
		}
		if h := goldenHash(got); h != want[level] {
			t.Errorf("%s page changed: sha256 %s, want %s (%d bytes, starts %.300s)", level, h, want[level], len(got), got)
		}
	}
}

// TestBatchAnswerGolden holds a 100-operation batch answer (inserts
// with and without content at each metadata level, upserts, merges and
// deletes) to the bytes it had.
func TestBatchAnswerGolden(t *testing.T) {
	t.Parallel()
	srv := goldenServer(t)
	base := srv.URL + "/" + DevAccountName
	accepts := []string{"nometadata", "minimalmetadata", "fullmetadata"}
	var body strings.Builder
	body.WriteString("--batch_g\r\nContent-Type: multipart/mixed; boundary=changeset_g\r\n\r\n")
	for j := 0; j < 100; j++ {
		method, path, prefer, entity := "POST", "/Rows", "", fmt.Sprintf(`{"PartitionKey":"pb","RowKey":"r%03d","N":%d,"S":"it's \"%d\" <ü>","D":1.5,"L@odata.type":"Edm.Int64","L":"%d","B@odata.type":"Edm.Binary","B":"AQID"}`, j, j, j, int64(j)<<40)
		switch j % 5 {
		case 1:
			prefer = "return-no-content"
		case 2:
			method, path = "PUT", fmt.Sprintf("/Rows(PartitionKey='pb',RowKey='u%03d')", j)
		case 3:
			method, path = "MERGE", fmt.Sprintf("/Rows(PartitionKey='pb',RowKey='m%03d')", j)
		case 4:
			prefer = "return-content"
		}
		fmt.Fprintf(&body, "--changeset_g\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n%s %s%s HTTP/1.1\r\nContent-ID: %d\r\nAccept: application/json;odata=%s\r\nContent-Type: application/json\r\n", method, base, path, j+1, accepts[j%3])
		if prefer != "" {
			fmt.Fprintf(&body, "Prefer: %s\r\n", prefer)
		}
		fmt.Fprintf(&body, "\r\n%s\r\n", entity)
	}
	body.WriteString("--changeset_g--\r\n--batch_g--\r\n")
	req, _ := http.NewRequest("POST", base+"/$batch", strings.NewReader(body.String()))
	req.Header.Set("Content-Type", "multipart/mixed; boundary=batch_g")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got := goldenAnswer(t, srv, resp)
	if n := strings.Count(got, "HTTP/1.1 20"); n != 100 {
		t.Fatalf("%d successful parts, want 100:\n%.2000s", n, got)
	}
	const want = "4ab49c4bb7c30cf53bfdfede916310156bd4f7a13c3a363d19b3d45e219b7664"
	if h := goldenHash(got); h != want {
		t.Errorf("batch answer changed: sha256 %s, want %s (%d bytes, starts %.3000s)", h, want, len(got), got)
	}
}
