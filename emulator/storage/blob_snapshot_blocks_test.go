package storage

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/clock"
)

func TestGetBlockListOnSnapshotAnswersItsBlocks(t *testing.T) {
	t.Parallel()
	eachBlobStore(t, func(t *testing.T, s *Store, _ *clock.Virtual) {
		ctx := context.Background()
		mustContainer(t, s, "snaps")
		id := func(n string) string { return base64.StdEncoding.EncodeToString([]byte(n)) }
		commit := func(names ...string) {
			t.Helper()
			var refs []BlockRef
			for _, n := range names {
				if _, err := s.PutBlock(ctx, acct, "snaps", "b", id(n), strings.NewReader(n+"-data"), BlockOptions{}); err != nil {
					t.Fatal(err)
				}
				refs = append(refs, BlockRef{ID: id(n), From: BlockLatest})
			}
			if _, err := s.PutBlockList(ctx, acct, "snaps", "b", refs, PutBlobOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		commit("one", "two")
		snap, err := s.SnapshotBlob(ctx, acct, "snaps", "b", nil, Conditions{})
		if err != nil {
			t.Fatal(err)
		}
		commit("three")
		ids := func(bl BlockList) (out []string) {
			for _, b := range bl.Committed {
				out = append(out, b.ID)
			}
			return out
		}
		got, err := s.GetBlockList(ctx, acct, "snaps", "b", snap.Snapshot, "all", "")
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(got); len(g) != 2 || g[0] != id("one") || g[1] != id("two") || got.Committed[0].Size != 8 || len(got.Uncommitted) != 0 {
			t.Fatalf("snapshot block list = %+v", got)
		}
		base, err := s.GetBlockList(ctx, acct, "snaps", "b", "", "committed", "")
		if err != nil {
			t.Fatal(err)
		}
		if g := ids(base); len(g) != 1 || g[0] != id("three") {
			t.Fatalf("base block list = %v", g)
		}
		_, err = s.GetBlockList(ctx, acct, "snaps", "b", "2026-01-01T00:00:00.0000000Z", "all", "")
		wantErr(t, err, ErrBlobNotFound)
		if err := s.DeleteBlob(ctx, acct, "snaps", "b", snap.Snapshot, "", Conditions{}); err != nil {
			t.Fatal(err)
		}
		var left int
		if err := s.db.QueryRow(`SELECT COUNT(*) FROM blob_snapshot_blocks`).Scan(&left); err != nil || left != 0 {
			t.Fatalf("deleted snapshot left %d block rows (%v)", left, err)
		}
	})
}
