package rest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"
)

func TestBlobSDKTags(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		cc := e.container(t, "tagged")
		bb := cc.NewBlockBlobClient("a.txt")
		if _, err := bb.Upload(ctx, streamOf([]byte("x")), &blockblob.UploadOptions{
			Tags: map[string]string{"project": "alpha", "stage": "2"}}); err != nil {
			t.Fatal(err)
		}
		got, err := bb.GetTags(ctx, nil)
		if err != nil || len(got.BlobTagSet) != 2 || *got.BlobTagSet[0].Key != "project" || *got.BlobTagSet[0].Value != "alpha" {
			t.Fatalf("tags after upload %+v %v", got.BlobTagSet, err)
		}
		props, err := bb.GetProperties(ctx, nil)
		if err != nil || props.TagCount == nil || *props.TagCount != 2 {
			t.Fatalf("tag count %v %v", props.TagCount, err)
		}
		etag := *props.ETag

		// Set Blob Tags replaces all tags and keeps the ETag.
		if _, err := bb.SetTags(ctx, map[string]string{"project": "beta", "k 1+-./:=_": ""}, nil); err != nil {
			t.Fatal(err)
		}
		props, _ = bb.GetProperties(ctx, nil)
		if *props.ETag != etag || *props.TagCount != 2 {
			t.Fatalf("after SetTags: etag %s (was %s), count %d", *props.ETag, etag, *props.TagCount)
		}

		// Azure's rules: nothing is written on error.
		for name, tags := range map[string]map[string]string{
			"bad key char":  {"a*b": "x"},
			"bad value":     {"a": "x;y"},
			"empty key":     {"": "x"},
			"long key":      {strings.Repeat("k", 129): "x"},
			"long value":    {"k": strings.Repeat("v", 257)},
			"too many tags": manyTags(11),
		} {
			_, err := bb.SetTags(ctx, tags, nil)
			if s, c := azureCode(t, err); s != 400 || c != "InvalidTag" {
				t.Fatalf("%s: %d %s", name, s, c)
			}
		}
		if _, err := bb.SetTags(ctx, manyTags(10), nil); err != nil {
			t.Fatalf("ten tags: %v", err)
		}
		_, err = cc.NewBlockBlobClient("bad").Upload(ctx, streamOf([]byte("x")), &blockblob.UploadOptions{Tags: map[string]string{"a": "<"}})
		wantCode(t, err, 400, "InvalidTag")
		_, err = cc.NewBlockBlobClient("bad").GetProperties(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")
		_, err = cc.NewBlockBlobClient("missing").GetTags(ctx, nil)
		wantCode(t, err, 404, "BlobNotFound")

		// x-ms-if-tags on reads and writes.
		if _, err := bb.SetTags(ctx, map[string]string{"project": "alpha", "n": "5"}, nil); err != nil {
			t.Fatal(err)
		}
		ok := &blob.DownloadStreamOptions{AccessConditions: &blob.AccessConditions{ModifiedAccessConditions: &blob.ModifiedAccessConditions{
			IfTags: to.Ptr(`"project" = 'alpha' AND ("n" > '4' OR "n" = '0')`)}}}
		if _, err := bb.DownloadStream(ctx, ok); err != nil {
			t.Fatalf("matching if-tags: %v", err)
		}
		notMet := &blob.AccessConditions{ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfTags: to.Ptr(`"project" <> 'alpha'`)}}
		_, err = bb.DownloadStream(ctx, &blob.DownloadStreamOptions{AccessConditions: notMet})
		wantCode(t, err, 412, "ConditionNotMet")
		_, err = bb.SetMetadata(ctx, map[string]*string{"m": to.Ptr("1")}, &blob.SetMetadataOptions{AccessConditions: notMet})
		wantCode(t, err, 412, "ConditionNotMet")
		_, err = bb.Delete(ctx, &blob.DeleteOptions{AccessConditions: notMet})
		wantCode(t, err, 412, "ConditionNotMet")
		_, err = bb.Upload(ctx, streamOf([]byte("overwrite")), &blockblob.UploadOptions{AccessConditions: notMet})
		wantCode(t, err, 412, "ConditionNotMet")
		_, err = bb.SetTags(ctx, map[string]string{}, &blob.SetTagsOptions{AccessConditions: notMet})
		wantCode(t, err, 412, "ConditionNotMet")
		if got := download(t, bb.BlobClient()); got != "x" {
			t.Fatalf("content after refused writes %q", got)
		}
		bad := &blob.AccessConditions{ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfTags: to.Ptr(`"project = 'x'`)}}
		_, err = bb.GetProperties(ctx, &blob.GetPropertiesOptions{AccessConditions: bad})
		if s, _ := azureCode(t, err); s != 400 {
			t.Fatalf("malformed if-tags: %d", s)
		}

		// Put Block List and Copy take x-ms-tags; listings show them.
		bl := cc.NewBlockBlobClient("blocks")
		if _, err := bl.StageBlock(ctx, b64("b1"), streamOf([]byte("hi")), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := bl.CommitBlockList(ctx, []string{b64("b1")}, &blockblob.CommitBlockListOptions{Tags: map[string]string{"from": "blocks"}}); err != nil {
			t.Fatal(err)
		}
		cp := cc.NewBlockBlobClient("copy")
		if _, err := cp.StartCopyFromURL(ctx, bl.URL(), &blob.StartCopyFromURLOptions{BlobTags: map[string]string{"from": "copy"}}); err != nil {
			t.Fatal(err)
		}
		pager := cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Include: container.ListBlobsInclude{Tags: true}})
		page, err := pager.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, it := range page.Segment.BlobItems {
			if it.BlobTags != nil {
				for _, tg := range it.BlobTags.BlobTagSet {
					if *tg.Key == "from" {
						seen[*it.Name] = *tg.Value
					}
				}
			}
			if *it.Name == "a.txt" && (it.Properties.TagCount == nil || *it.Properties.TagCount != 2) {
				t.Fatalf("a.txt TagCount in listing %v", it.Properties.TagCount)
			}
		}
		if seen["blocks"] != "blocks" || seen["copy"] != "copy" {
			t.Fatalf("tags in listing %v", seen)
		}
	})
}

func manyTags(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("k%02d", i)] = "v"
	}
	return m
}

func TestBlobSDKFindBlobsByTags(t *testing.T) {
	t.Parallel()
	eachBlobEnv(t, func(t *testing.T, e *blobEnv) {
		ctx := context.Background()
		for _, c := range []string{"cc1", "cc2"} {
			cc := e.container(t, c)
			for i := range 5 {
				tags := map[string]string{"year": fmt.Sprintf("202%d", i), "kind": "report"}
				if i%2 == 0 {
					tags["even"] = "yes"
				}
				if _, err := cc.NewBlockBlobClient(fmt.Sprintf("b%d", i)).Upload(ctx, streamOf([]byte("x")), &blockblob.UploadOptions{Tags: tags}); err != nil {
					t.Fatal(err)
				}
			}
		}
		svc := e.client.ServiceClient()
		res, err := svc.FilterBlobs(ctx, `"year" >= '2022' AND kind = 'report'`, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, b := range res.Blobs {
			names = append(names, *b.ContainerName+"/"+*b.Name)
			if len(b.Tags.BlobTagSet) != 2 {
				t.Fatalf("%s: only the tags of the expression come back, got %d", *b.Name, len(b.Tags.BlobTagSet))
			}
		}
		if got := strings.Join(names, ","); got != "cc1/b2,cc1/b3,cc1/b4,cc2/b2,cc2/b3,cc2/b4" {
			t.Fatalf("found %s", got)
		}

		// @container, and container-level Find.
		res, err = svc.FilterBlobs(ctx, `@container = 'cc2' AND "even" = 'yes'`, nil)
		if err != nil || len(res.Blobs) != 3 || *res.Blobs[0].ContainerName != "cc2" {
			t.Fatalf("with @container: %+v %v", res.Blobs, err)
		}
		cres, err := e.client.ServiceClient().NewContainerClient("cc1").FilterBlobs(ctx, `"year" < '2002' OR "x" = 'y'`, nil)
		if s, c := azureCode(t, err); s != 400 || c != "InvalidQueryParameterValue" {
			t.Fatalf("OR in find: %d %s (%v)", s, c, cres)
		}
		cres, err = e.client.ServiceClient().NewContainerClient("cc1").FilterBlobs(ctx, `"year" < '2022'`, nil)
		if err != nil || len(cres.Blobs) != 2 || *cres.Blobs[1].Name != "b1" {
			t.Fatalf("container find %+v %v", cres.Blobs, err)
		}

		// Paging with markers covers every match once.
		var all []string
		opts := &service.FilterBlobsOptions{MaxResults: to.Ptr[int32](4)}
		for {
			res, err := svc.FilterBlobs(ctx, `"kind" = 'report'`, opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range res.Blobs {
				all = append(all, *b.ContainerName+"/"+*b.Name)
			}
			if res.NextMarker == nil || *res.NextMarker == "" {
				break
			}
			opts.Marker = res.NextMarker
		}
		if len(all) != 10 || all[4] != "cc1/b4" || all[9] != "cc2/b4" {
			t.Fatalf("paged find %v", all)
		}

		for _, where := range []string{"", `"year"`, `"year" = 2020`, `"year" != '1'`, `"year" <> '1'`, `@container > 'cc1'`, `"a" = 'b' AND`, `"a*" = 'b'`} {
			_, err := svc.FilterBlobs(ctx, where, nil)
			if s, c := azureCode(t, err); s != 400 || c != "InvalidQueryParameterValue" {
				t.Fatalf("where %q: %d %s", where, s, c)
			}
		}
	})
}
