package storetest

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// TestBlobStore runs the blob contract against stores from newStore.
func TestBlobStore(t *testing.T, newStore func(t *testing.T) emulator.BlobStore) {
	tests := []struct {
		name string
		run  func(t *testing.T, s emulator.BlobStore, c string)
	}{
		{"CreateContainerTwice", blobCreateTwice},
		{"WriteThenRead", blobWriteRead},
		{"Overwrite", blobOverwrite},
		{"IfNoneMatchAny", blobIfNoneMatchAny},
		{"EmptyAndLarge", blobSizes},
		{"ListInNameOrder", blobList},
		{"Missing", blobMissing},
		{"WatchOrScan", blobWatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			c := uniqueName(t, "contract")
			must(t, "create container", s.CreateContainer(testContext(t), c))
			tc.run(t, s, c)
		})
	}
}

func blobCreateTwice(t *testing.T, s emulator.BlobStore, c string) {
	must(t, "create an existing container", s.CreateContainer(testContext(t), c))
}

func write(t *testing.T, s emulator.BlobStore, c, name, content string, o emulator.WriteBlob) *emulator.BlobInfo {
	t.Helper()
	info, err := s.WriteBlob(testContext(t), c, name, strings.NewReader(content), o)
	must(t, "write "+name, err)
	if !strings.HasPrefix(info.ETag, `"`) || !strings.HasSuffix(info.ETag, `"`) || len(info.ETag) < 3 {
		t.Errorf("write %s: ETag %q, want a quoted ETag", name, info.ETag)
	}
	if info.Size != int64(len(content)) {
		t.Errorf("write %s: Size %d, want %d", name, info.Size, len(content))
	}
	return info
}

func read(t *testing.T, s emulator.BlobStore, c, name string) (string, *emulator.BlobInfo) {
	t.Helper()
	r, info, err := s.ReadBlob(testContext(t), c, name)
	must(t, "read "+name, err)
	defer r.Close()
	b, err := io.ReadAll(r)
	must(t, "read body of "+name, err)
	return string(b), info
}

// lowerKeys compares metadata keys as Azure does, case-insensitively.
func lowerKeys(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

func blobWriteRead(t *testing.T, s emulator.BlobStore, c string) {
	w := write(t, s, c, "dir/a.json", `{"a":1}`, emulator.WriteBlob{
		ContentType: "application/json",
		Metadata:    map[string]string{"origin": "test"},
		ParentID:    "parent-1",
	})
	body, info := read(t, s, c, "dir/a.json")
	if body != `{"a":1}` {
		t.Errorf("read: body %q", body)
	}
	if info.ETag != w.ETag || info.Size != 7 || info.ContentType != "application/json" {
		t.Errorf("read: ETag %q size %d type %q, want %q 7 application/json", info.ETag, info.Size, info.ContentType, w.ETag)
	}
	if info.Container != c || info.Name != "dir/a.json" {
		t.Errorf("read: Container %q Name %q", info.Container, info.Name)
	}
	if got := lowerKeys(info.Metadata); len(got) != 1 || got["origin"] != "test" {
		t.Errorf("read: Metadata %v, want only origin=test (the parent is not metadata)", info.Metadata)
	}
	if info.ParentID != "parent-1" {
		t.Errorf("read: ParentID %q, want parent-1", info.ParentID)
	}
	if info.LastModified.IsZero() {
		t.Error("read: LastModified is zero")
	}
}

func blobOverwrite(t *testing.T, s emulator.BlobStore, c string) {
	first := write(t, s, c, "b.txt", "first", emulator.WriteBlob{ParentID: "p1"})
	second := write(t, s, c, "b.txt", "second!", emulator.WriteBlob{})
	if first.ETag == second.ETag {
		t.Errorf("overwrite: ETag stayed %q", first.ETag)
	}
	body, info := read(t, s, c, "b.txt")
	if body != "second!" || info.ETag != second.ETag {
		t.Errorf("read after overwrite: %q ETag %q, want second! %q", body, info.ETag, second.ETag)
	}
	if info.ParentID != "" {
		t.Errorf("read after overwrite without a parent: ParentID %q, want none", info.ParentID)
	}
}

func blobIfNoneMatchAny(t *testing.T, s emulator.BlobStore, c string) {
	ctx := testContext(t)
	_, err := s.WriteBlob(ctx, c, "receipt", strings.NewReader("1"), emulator.WriteBlob{IfNoneMatchAny: true})
	must(t, "create with IfNoneMatchAny", err)
	_, err = s.WriteBlob(ctx, c, "receipt", strings.NewReader("2"), emulator.WriteBlob{IfNoneMatchAny: true})
	wantCode(t, "second create with IfNoneMatchAny", err, emulator.ECONFLICT)
	if body, _ := read(t, s, c, "receipt"); body != "1" {
		t.Errorf("read after the refused write: %q, want 1", body)
	}
}

func blobSizes(t *testing.T, s emulator.BlobStore, c string) {
	write(t, s, c, "empty", "", emulator.WriteBlob{})
	if body, info := read(t, s, c, "empty"); body != "" || info.Size != 0 {
		t.Errorf("read empty: %q size %d", body, info.Size)
	}
	// Larger than one upload block, so block-staging stores commit a list.
	large := bytes.Repeat([]byte("0123456789abcdef"), 160<<10)
	info, err := s.WriteBlob(testContext(t), c, "large", bytes.NewReader(large), emulator.WriteBlob{})
	must(t, "write large", err)
	if info.Size != int64(len(large)) {
		t.Errorf("write large: Size %d, want %d", info.Size, len(large))
	}
	body, got := read(t, s, c, "large")
	if body != string(large) || got.Size != int64(len(large)) {
		t.Errorf("read large: %d bytes (size %d), want %d equal bytes", len(body), got.Size, len(large))
	}
}

func blobList(t *testing.T, s emulator.BlobStore, c string) {
	ctx := testContext(t)
	names := []string{"b/2", "a", "b/1", "c.txt"}
	written := map[string]*emulator.BlobInfo{}
	for _, n := range names {
		written[n] = write(t, s, c, n, "content of "+n, emulator.WriteBlob{ParentID: "parent-" + n})
	}
	all, err := s.ListBlobs(ctx, c, "")
	must(t, "list", err)
	var got []string
	for _, b := range all {
		got = append(got, b.Name)
		w := written[b.Name]
		if w == nil {
			t.Errorf("list: unexpected blob %q", b.Name)
			continue
		}
		if b.ETag != w.ETag || b.Size != w.Size || b.Container != c {
			t.Errorf("list %s: ETag %q size %d container %q, want %q %d %q", b.Name, b.ETag, b.Size, b.Container, w.ETag, w.Size, c)
		}
		if b.ParentID != "parent-"+b.Name {
			t.Errorf("list %s: ParentID %q, want parent-%s", b.Name, b.ParentID, b.Name)
		}
		if b.LastModified.IsZero() || b.CreatedOn.IsZero() {
			t.Errorf("list %s: LastModified %v CreatedOn %v, want both set", b.Name, b.LastModified, b.CreatedOn)
		}
		if _, ok := lowerKeys(b.Metadata)["funcemuparent"]; ok {
			t.Errorf("list %s: the parent shows as metadata", b.Name)
		}
	}
	if want := []string{"a", "b/1", "b/2", "c.txt"}; !slices.Equal(got, want) {
		t.Errorf("list: %q, want %q", got, want)
	}
	sub, err := s.ListBlobs(ctx, c, "b/")
	must(t, "list b/", err)
	got = got[:0]
	for _, b := range sub {
		got = append(got, b.Name)
	}
	if want := []string{"b/1", "b/2"}; !slices.Equal(got, want) {
		t.Errorf("list b/: %q, want %q", got, want)
	}
}

func blobMissing(t *testing.T, s emulator.BlobStore, c string) {
	ctx := testContext(t)
	_, _, err := s.ReadBlob(ctx, c, "nope")
	wantCode(t, "read a missing blob", err, emulator.ENOTFOUND)
	missing := c + "-missing"
	_, _, err = s.ReadBlob(ctx, missing, "nope")
	wantCode(t, "read from a missing container", err, emulator.ENOTFOUND)
	_, err = s.ListBlobs(ctx, missing, "")
	wantCode(t, "list a missing container", err, emulator.ENOTFOUND)
	_, err = s.WriteBlob(ctx, missing, "x", strings.NewReader("x"), emulator.WriteBlob{})
	wantCode(t, "write to a missing container", err, emulator.ENOTFOUND)
}

// blobWatch checks notifications where the store gives them; stores that
// return a nil channel are scanned instead.
func blobWatch(t *testing.T, s emulator.BlobStore, c string) {
	ch, stop := s.Watch(c)
	defer stop()
	if ch == nil {
		return
	}
	w := write(t, s, c, "watched", "w", emulator.WriteBlob{})
	deadline := time.After(waitTimeout)
	for {
		select {
		case ev := <-ch:
			if ev.Name == "watched" {
				if ev.Container != c || ev.ETag != w.ETag {
					t.Errorf("watch: %+v, want container %q ETag %q", ev, c, w.ETag)
				}
				return
			}
		case <-deadline:
			t.Fatal("watch: no change after a write")
		}
	}
}
