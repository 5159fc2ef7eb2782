package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// seedTaggedBlobs inserts n blobs with tags n=<i>, mod=<i%10> and all=x
// straight into the tables, so big fixtures take seconds, not minutes.
func seedTaggedBlobs(tb testing.TB, s *Store, n int) {
	tb.Helper()
	ctx := context.Background()
	if _, err := s.CreateContainer(ctx, "acct", "big", ContainerOptions{}); err != nil {
		tb.Fatal(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	var cid int64
	if err := tx.QueryRow(`SELECT id FROM blob_containers WHERE name = 'big'`).Scan(&cid); err != nil {
		tb.Fatal(err)
	}
	for i := range n {
		res, err := tx.Exec(`INSERT INTO blobs (container_id, name, blob_type, etag, created, last_modified) VALUES (?, ?, 'BlockBlob', '"0x1"', 1, 1)`,
			cid, fmt.Sprintf("b%06d", i))
		if err != nil {
			tb.Fatal(err)
		}
		id, _ := res.LastInsertId()
		for k, v := range map[string]string{"n": fmt.Sprintf("%06d", i), "mod": fmt.Sprint(i % 10), "all": "x"} {
			if _, err := tx.Exec(`INSERT INTO blob_tags (blob_id, key, value) VALUES (?, ?, ?)`, id, k, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func TestFindBlobsByTagsQueryUsesTagIndex(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{Path: filepath.Join(t.TempDir(), "s.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedTaggedBlobs(t, s, 2000)
	ctx := context.Background()
	expr, err := ParseTagExpr(`"n" >= '001990' AND "mod" = '5'`, TagGrammarFind)
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.FindBlobsByTags(ctx, "acct", "", expr, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Blobs) != 1 || page.Blobs[0].Name != "b001995" || page.Blobs[0].Tags["n"] != "001995" || page.Blobs[0].Tags["all"] != "" {
		t.Fatalf("found %+v", page.Blobs)
	}
	// The plan starts from the tag index, never a scan of all blobs or
	// all tags.
	joined := queryPlan(t, s, `SELECT c.name, b.name, b.id FROM blob_tags t0
		JOIN blobs b ON b.id = t0.blob_id AND b.snapshot = ''
		JOIN blob_containers c ON c.id = b.container_id AND c.account = ?
		WHERE t0.key = ? AND t0.value >= ? ORDER BY c.name, b.name LIMIT 10`, "acct", "n", "001990")
	if !strings.Contains(joined, "blob_tags_key_value") || strings.Contains(joined, "SCAN b ") || strings.HasSuffix(joined, "SCAN b") {
		t.Fatalf("plan does not search the tag index: %s", joined)
	}
}

// BenchmarkFindBlobsByTags100k finds 10 of 100,000 tagged blobs.
func BenchmarkFindBlobsByTags100k(b *testing.B) {
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "s.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seedTaggedBlobs(b, s, 100000)
	expr, err := ParseTagExpr(`"n" >= '099990' AND "all" = 'x'`, TagGrammarFind)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		page, err := s.FindBlobsByTags(ctx, "acct", "", expr, "", 5000)
		if err != nil || len(page.Blobs) != 10 {
			b.Fatalf("%d %v", len(page.Blobs), err)
		}
	}
}

func FuzzParseTagExpr(f *testing.F) {
	for _, s := range []string{`"a" = 'b'`, `@container = 'cc1' AND x >= '1' AND "y z" < '9'`, `("a" = '1' OR b <> '2') AND c <= ''`,
		`"a`, `a = 'b`, `((((`, `a = 'b' AND`, `@x = 'y'`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, g := range []string{TagGrammarFind, TagGrammarCondition} {
			e, err := ParseTagExpr(s, g)
			if err != nil {
				continue
			}
			// A parsed expression evaluates without panicking and, in the
			// find grammar, yields at most one container and some terms.
			e.Matches(Tags{"a": "b"})
			if g == TagGrammarFind {
				if _, terms := e.findTerms(); len(terms) == 0 && !strings.Contains(s, "@container") {
					t.Fatalf("%q parsed with no terms", s)
				}
			}
		}
	})
}

// BenchmarkFindBlobsByTags100kBroad pages through a comparison every one
// of 100,000 blobs matches: first page of 5,000.
func BenchmarkFindBlobsByTags100kBroad(b *testing.B) {
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "s.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seedTaggedBlobs(b, s, 100000)
	expr, err := ParseTagExpr(`"all" = 'x' AND "mod" >= '0'`, TagGrammarFind)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		page, err := s.FindBlobsByTags(ctx, "acct", "", expr, "", 5000)
		if err != nil || len(page.Blobs) != 5000 || page.Blobs[0].Tags["all"] != "x" {
			b.Fatalf("%d %v", len(page.Blobs), err)
		}
	}
}

// TestFindBlobsByTagsBroadPlan pages through a query whose comparisons
// all match thousands of blobs, the plan that walks blobs in order.
func TestFindBlobsByTagsBroadPlan(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedTaggedBlobs(t, s, 3000)
	expr, err := ParseTagExpr(`"all" = 'x' AND "n" >= '001000'`, TagGrammarFind)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	marker := ""
	for {
		page, err := s.FindBlobsByTags(context.Background(), "acct", "big", expr, marker, 700)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range page.Blobs {
			if b.Tags["n"] != b.Name[1:] || b.Tags["all"] != "x" || len(b.Tags) != 2 {
				t.Fatalf("%s has tags %v", b.Name, b.Tags)
			}
			names = append(names, b.Name)
		}
		if page.NextMarker == "" {
			break
		}
		marker = page.NextMarker
	}
	if len(names) != 2000 || names[0] != "b001000" || names[1999] != "b002999" {
		t.Fatalf("found %d, from %s to %s", len(names), names[0], names[len(names)-1])
	}
	for i := 1; i < len(names); i++ {
		if names[i] <= names[i-1] {
			t.Fatalf("out of order at %d: %s after %s", i, names[i], names[i-1])
		}
	}
}

// TestCopyBlobTags: a copy takes x-ms-tags, or the source's tags with
// x-ms-copy-source-tag-option: COPY, never both.
func TestCopyBlobTags(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := s.CreateContainer(ctx, "a", "cpy", ContainerOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutBlob(ctx, "a", "cpy", "src", strings.NewReader("x"), PutBlobOptions{Tags: Tags{"k": "src"}}); err != nil {
		t.Fatal(err)
	}
	src := CopySource{Account: "a", Container: "cpy", Name: "src"}
	for name, opts := range map[string]CopyOptions{
		"plain":   {},
		"replace": {Tags: Tags{"k": "new"}},
		"copy":    {CopyTags: true},
	} {
		if _, err := s.CopyBlob(ctx, src, "a", "cpy", name, opts); err != nil {
			t.Fatal(err)
		}
	}
	for name, want := range map[string]string{"plain": "", "replace": "new", "copy": "src"} {
		tags, err := s.GetBlobTags(ctx, "a", "cpy", name, "", Conditions{})
		if err != nil || tags["k"] != want {
			t.Fatalf("%s: tags %v %v, want k=%q", name, tags, err, want)
		}
	}
}
