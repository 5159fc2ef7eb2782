package storage

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func TestBlobStoreAdapter(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		bs := s.BlobStore(acct)
		if err := bs.CreateContainer(ctx, "samples-workitems"); err != nil {
			t.Fatal(err)
		}
		if err := bs.CreateContainer(ctx, "samples-workitems"); err != nil {
			t.Fatalf("second create: %v", err)
		}
		changes, stop := bs.Watch("samples-workitems")
		defer stop()

		info, err := bs.WriteBlob(ctx, "samples-workitems", "in/a.txt", strings.NewReader("hello"), emulator.WriteBlob{
			ContentType: "text/plain", Metadata: map[string]string{"k": "v"}, ParentID: "inv-42"})
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != 5 || info.ETag == "" || info.ParentID != "inv-42" || info.ContentType != "text/plain" {
			t.Fatalf("write info %+v", info)
		}
		select {
		case c := <-changes:
			if c.Name != "in/a.txt" || c.ETag != info.ETag || c.Container != "samples-workitems" {
				t.Fatalf("change %+v", c)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no change reported")
		}

		_, err = bs.WriteBlob(ctx, "samples-workitems", "in/a.txt", strings.NewReader("x"), emulator.WriteBlob{IfNoneMatchAny: true})
		if emulator.ErrorCode(err) != emulator.ECONFLICT {
			t.Fatalf("receipt overwrite: %v (code %s)", err, emulator.ErrorCode(err))
		}
		rc, got, err := bs.ReadBlob(ctx, "samples-workitems", "in/a.txt")
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if string(data) != "hello" || got.ParentID != "inv-42" || got.Metadata["k"] != "v" {
			t.Fatalf("read %q %+v", data, got)
		}
		for i := 0; i < 3; i++ {
			bs.WriteBlob(ctx, "samples-workitems", fmt.Sprint("other/", i), strings.NewReader("x"), emulator.WriteBlob{})
		}
		list, err := bs.ListBlobs(ctx, "samples-workitems", "in/")
		if err != nil || len(list) != 1 || list[0].Name != "in/a.txt" || list[0].ETag != info.ETag {
			t.Fatalf("list %+v %v", list, err)
		}
		all, _ := bs.ListBlobs(ctx, "samples-workitems", "")
		if len(all) != 4 {
			t.Fatalf("list all = %d", len(all))
		}
		_, _, err = bs.ReadBlob(ctx, "samples-workitems", "missing")
		if emulator.ErrorCode(err) != emulator.ENOTFOUND {
			t.Fatalf("missing blob: %v", err)
		}
		_, err = bs.ListBlobs(ctx, "nope", "")
		if emulator.ErrorCode(err) != emulator.ENOTFOUND {
			t.Fatalf("missing container: %v", err)
		}
	})
}
