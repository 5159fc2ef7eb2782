package rest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// storeErrorCase provokes one error through the store's own API and says
// what clients must get for it: status, x-ms-error-code, message, and the
// emulator kind code outside the REST layer branches on.
type storeErrorCase struct {
	name    string
	provoke func(ctx context.Context, s *storage.Store) error
	status  int
	code    string
	message string
	kind    string
}

const (
	headerFormat = "The value for one of the HTTP headers is not in the correct format: "
	queryInvalid = "Value for one of the query parameters specified in the request URI is invalid: "
	condNotMet   = "The condition specified using HTTP conditional header(s) is not met."
)

func i64(v int64) *int64 { return &v }

// errStoreFixture fills a store with what the cases below fail against:
// container "box" with a block blob "block", an append blob "append", a page
// blob "page" (1 KiB), a leased blob "leased", a blob "snapped" with a
// snapshot, an archived blob "cold"; a leased container "leasedbox"; queue "jobs";
// table "things" with entity ("p", "r").
func errStoreFixture(t *testing.T, ctx context.Context, s *storage.Store) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.CreateContainer(ctx, DevAccountName, "box", storage.ContainerOptions{})
	must(err)
	_, err = s.CreateContainer(ctx, DevAccountName, "leasedbox", storage.ContainerOptions{})
	must(err)
	_, err = s.LeaseContainer(ctx, DevAccountName, "leasedbox", storage.LeaseRequest{Action: storage.LeaseAcquire, ProposedID: "11111111-1111-1111-1111-111111111111", Duration: -1}, storage.Conditions{})
	must(err)
	for name, opts := range map[string]storage.PutBlobOptions{
		"block": {}, "leased": {}, "snapped": {}, "cold": {},
		"append": {Type: storage.AppendBlob},
		"page":   {Type: storage.PageBlob, PageBlobSize: 1024},
	} {
		body := "hello"
		if opts.Type != "" {
			body = ""
		}
		_, err := s.PutBlob(ctx, DevAccountName, "box", name, strings.NewReader(body), opts)
		must(err)
	}
	_, err = s.LeaseBlob(ctx, DevAccountName, "box", "leased", storage.LeaseRequest{Action: storage.LeaseAcquire, ProposedID: "22222222-2222-2222-2222-222222222222", Duration: -1}, storage.Conditions{})
	must(err)
	_, err = s.SnapshotBlob(ctx, DevAccountName, "box", "snapped", nil, storage.Conditions{})
	must(err)
	_, err = s.SetBlobTier(ctx, DevAccountName, "box", "cold", "", storage.TierArchive, storage.Conditions{})
	must(err)
	_, err = s.CreateQueue(ctx, DevAccountName, "jobs", nil)
	must(err)
	must(s.CreateTable(ctx, DevAccountName, "things"))
	_, err = s.WriteEntity(ctx, DevAccountName, "things", storage.TableOp{Kind: storage.OpInsert, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "r"}})
	must(err)
}

func blobErrorCases() []storeErrorCase {
	acct := DevAccountName
	none := storage.Conditions{}
	return []storeErrorCase{
		{"container not found", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetContainer(ctx, acct, "nope", none)
			return err
		}, 404, "ContainerNotFound", "The specified container does not exist.", emulator.ENOTFOUND},
		{"container exists", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CreateContainer(ctx, acct, "box", storage.ContainerOptions{})
			return err
		}, 409, "ContainerAlreadyExists", "The specified container already exists.", emulator.ECONFLICT},
		{"blob not found", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetBlobProperties(ctx, acct, "box", "nope", "", none)
			return err
		}, 404, "BlobNotFound", "The specified blob does not exist.", emulator.ENOTFOUND},
		{"blob exists", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "block", strings.NewReader("x"), storage.PutBlobOptions{Conditions: storage.Conditions{IfNoneMatch: "*"}})
			return err
		}, 409, "BlobAlreadyExists", "The specified blob already exists.", emulator.ECONFLICT},
		{"condition not met", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetBlobMetadata(ctx, acct, "box", "block", nil, storage.Conditions{IfMatch: `"nope"`})
			return err
		}, 412, "ConditionNotMet", condNotMet, emulator.ECONFLICT},
		{"not modified", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetBlobProperties(ctx, acct, "box", "block", "", storage.Conditions{IfNoneMatch: "*"})
			return err
		}, 304, "ConditionNotMet", condNotMet, emulator.ECONFLICT},
		{"wrong blob type", func(ctx context.Context, s *storage.Store) error {
			_, err := s.AppendBlock(ctx, acct, "box", "block", strings.NewReader("x"), storage.AppendOptions{})
			return err
		}, 409, "InvalidBlobType", "The blob type is invalid for this operation.", emulator.ECONFLICT},
		{"tier of a page blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetBlobTier(ctx, acct, "box", "page", "", storage.TierCool, none)
			return err
		}, 400, "InvalidBlobType", "The blob type is invalid for this operation: access tiers apply to block blobs.", emulator.EINVALID},
		{"invalid range", func(ctx context.Context, s *storage.Store) error {
			_, err := s.OpenBlob(ctx, acct, "box", "block", storage.ReadOptions{Range: &storage.ByteRange{Start: 100, End: 200}})
			return err
		}, 416, "InvalidRange", "The range specified is invalid for the current size of the resource.", emulator.EINVALID},
		{"md5 mismatch", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "md5", strings.NewReader("x"), storage.PutBlobOptions{ContentMD5: bytes.Repeat([]byte{1}, 16)})
			return err
		}, 400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.", emulator.EINVALID},
		{"crc64 mismatch", func(ctx context.Context, s *storage.Store) error {
			crc := uint64(7)
			_, err := s.PutBlob(ctx, acct, "box", "crc", strings.NewReader("x"), storage.PutBlobOptions{ContentCRC64: &crc})
			return err
		}, 400, "Crc64Mismatch", "The CRC64 value specified in the request did not match with the CRC64 value calculated by the server.", emulator.EINVALID},
		{"body too large", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "page", 0, 511, bytes.NewReader(make([]byte, 1024)), storage.PageOptions{})
			return err
		}, 413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit.", emulator.ETOOLARGE},
		{"archived", func(ctx context.Context, s *storage.Store) error {
			_, err := s.OpenBlob(ctx, acct, "box", "cold", storage.ReadOptions{})
			return err
		}, 409, "BlobArchived", "This operation is not permitted on an archived blob.", emulator.ECONFLICT},
		{"sealed", func(ctx context.Context, s *storage.Store) error {
			if _, err := s.PutBlob(ctx, acct, "box", "sealed", strings.NewReader(""), storage.PutBlobOptions{Type: storage.AppendBlob}); err != nil {
				return err
			}
			if _, err := s.SealAppendBlob(ctx, acct, "box", "sealed", none, nil); err != nil {
				return err
			}
			_, err := s.AppendBlock(ctx, acct, "box", "sealed", strings.NewReader("x"), storage.AppendOptions{})
			return err
		}, 409, "BlobIsSealed", "The blob is sealed and its contents cannot be modified.", emulator.ECONFLICT},
		{"blob type header", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "typed", strings.NewReader(""), storage.PutBlobOptions{Type: "Weird"})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + `x-ms-blob-type "Weird".`, emulator.EINVALID},
		{"append blob with a body", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "ab", strings.NewReader("x"), storage.PutBlobOptions{Type: storage.AppendBlob})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "Content-Length must be 0 to create an append or page blob.", emulator.EINVALID},
		{"max size", func(ctx context.Context, s *storage.Store) error {
			_, err := s.AppendBlock(ctx, acct, "box", "append", strings.NewReader("xx"), storage.AppendOptions{MaxSize: i64(1)})
			return err
		}, 412, "MaxBlobSizeConditionNotMet", "The max blob size condition specified was not met.", emulator.ECONFLICT},
		{"append position", func(ctx context.Context, s *storage.Store) error {
			_, err := s.AppendBlock(ctx, acct, "box", "append", strings.NewReader("xx"), storage.AppendOptions{AppendPosition: i64(9)})
			return err
		}, 412, "AppendPositionConditionNotMet", "The append position condition specified was not met.", emulator.ECONFLICT},
		{"seal position", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SealAppendBlob(ctx, acct, "box", "append", none, i64(9))
			return err
		}, 412, "AppendPositionConditionNotMet", "The append position condition specified was not met.", emulator.ECONFLICT},
		{"empty append", func(ctx context.Context, s *storage.Store) error {
			_, err := s.AppendBlock(ctx, acct, "box", "append", strings.NewReader(""), storage.AppendOptions{})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "Content-Length must be greater than zero.", emulator.EINVALID},
		{"block id", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidBlockID("!")
		}, 400, "InvalidQueryParameterValue", queryInvalid + `blockid "!" must be base64 of 1 to 64 bytes.`, emulator.EINVALID},
		{"block id lengths", func(ctx context.Context, s *storage.Store) error {
			if _, err := s.PutBlock(ctx, acct, "box", "staged", "AAAA", strings.NewReader("x"), storage.BlockOptions{}); err != nil {
				return err
			}
			_, err := s.PutBlock(ctx, acct, "box", "staged", "AAAAAAAA", strings.NewReader("x"), storage.BlockOptions{})
			return err
		}, 400, "InvalidBlobOrBlock", "The specified blob or block content is invalid: all block ids of a blob must have the same length.", emulator.EINVALID},
		{"block list too long", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlockList(ctx, acct, "box", "long", make([]storage.BlockRef, storage.MaxCommittedBlocks+1), storage.PutBlobOptions{})
			return err
		}, 400, "InvalidBlockList", "The specified block list is invalid: more than 50,000 blocks.", emulator.EINVALID},
		{"block list element", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlockList(ctx, acct, "box", "el", []storage.BlockRef{{ID: "AAAA", From: "Other"}}, storage.PutBlobOptions{})
			return err
		}, 400, "InvalidXmlDocument", `XML specified is not syntactically valid: unknown block list element "Other".`, emulator.EINVALID},
		{"block list id", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlockList(ctx, acct, "box", "el", []storage.BlockRef{{ID: "!", From: storage.BlockLatest}}, storage.PutBlobOptions{})
			return err
		}, 400, "InvalidBlockId", `The specified block ID is invalid: "!".`, emulator.EINVALID},
		{"block list missing block", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlockList(ctx, acct, "box", "el", []storage.BlockRef{{ID: "QUFBQQ==", From: storage.BlockLatest}}, storage.PutBlobOptions{})
			return err
		}, 400, "InvalidBlockList", `The specified block list is invalid: block "QUFBQQ==" (Latest) not found.`, emulator.EINVALID},
		{"block list type", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetBlockList(ctx, acct, "box", "block", "", "some", "")
			return err
		}, 400, "InvalidQueryParameterValue", queryInvalid + `blocklisttype "some".`, emulator.EINVALID},
		{"lease missing on write", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetBlobMetadata(ctx, acct, "box", "leased", nil, none)
			return err
		}, 412, "LeaseIdMissing", "There is currently a lease on the resource and no lease ID was specified in the request.", emulator.ECONFLICT},
		{"lease mismatch on write", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetBlobMetadata(ctx, acct, "box", "leased", nil, storage.Conditions{LeaseID: "33333333-3333-3333-3333-333333333333"})
			return err
		}, 412, "LeaseIdMismatchWithBlobOperation", "The lease ID specified did not match the lease ID for the blob.", emulator.ECONFLICT},
		{"no lease on read", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetBlobProperties(ctx, acct, "box", "block", "", storage.Conditions{LeaseID: "33333333-3333-3333-3333-333333333333"})
			return err
		}, 412, "LeaseNotPresentWithBlobOperation", "There is currently no lease on the blob.", emulator.ECONFLICT},
		{"no lease on a new blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "fresh", strings.NewReader("x"), storage.PutBlobOptions{Conditions: storage.Conditions{LeaseID: "33333333-3333-3333-3333-333333333333"}})
			return err
		}, 412, "LeaseNotPresentWithBlobOperation", "There is currently no lease on the blob.", emulator.ECONFLICT},
		{"container lease mismatch", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteContainer(ctx, acct, "leasedbox", storage.Conditions{LeaseID: "33333333-3333-3333-3333-333333333333"})
		}, 412, "LeaseIdMismatchWithContainerOperation", "The lease ID specified did not match the lease ID for the container.", emulator.ECONFLICT},
		{"container lease not present", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetContainer(ctx, acct, "box", storage.Conditions{LeaseID: "33333333-3333-3333-3333-333333333333"})
			return err
		}, 412, "LeaseNotPresentWithContainerOperation", "There is currently no lease on the container.", emulator.ECONFLICT},
		{"container if-match", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteContainer(ctx, acct, "box", storage.Conditions{IfMatch: "*"})
		}, 400, "UnsupportedHeader", "One of the HTTP headers specified in the request is not supported: If-Match and If-None-Match are not supported for containers.", emulator.EINVALID},
		{"lease duration", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "block", storage.LeaseRequest{Action: storage.LeaseAcquire, Duration: 5}, none)
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-lease-duration 5 must be -1 or 15 to 60.", emulator.EINVALID},
		{"lease present", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "leased", storage.LeaseRequest{Action: storage.LeaseAcquire, Duration: -1}, none)
			return err
		}, 409, "LeaseAlreadyPresent", "There is already a lease present.", emulator.ECONFLICT},
		{"lease action", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "block", storage.LeaseRequest{Action: "grab"}, none)
			return err
		}, 400, "InvalidHeaderValue", headerFormat + `x-ms-lease-action "grab".`, emulator.EINVALID},
		{"break period", func(ctx context.Context, s *storage.Store) error {
			p := 61
			_, err := s.LeaseBlob(ctx, acct, "box", "leased", storage.LeaseRequest{Action: storage.LeaseBreak, BreakPeriod: &p}, none)
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-lease-break-period 61 must be 0 to 60.", emulator.EINVALID},
		{"renew without id", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "leased", storage.LeaseRequest{Action: storage.LeaseRenew}, none)
			return err
		}, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified: x-ms-lease-id.", emulator.EINVALID},
		{"change without proposed id", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "leased", storage.LeaseRequest{Action: storage.LeaseChange, ID: "22222222-2222-2222-2222-222222222222"}, none)
			return err
		}, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified: x-ms-proposed-lease-id.", emulator.EINVALID},
		{"release without lease", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "block", storage.LeaseRequest{Action: storage.LeaseRelease, ID: "33333333-3333-3333-3333-333333333333"}, none)
			return err
		}, 409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on the resource.", emulator.ECONFLICT},
		{"release with another id", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "leased", storage.LeaseRequest{Action: storage.LeaseRelease, ID: "33333333-3333-3333-3333-333333333333"}, storage.Conditions{})
			return err
		}, 409, "LeaseIdMismatchWithLeaseOperation", "The lease ID specified did not match the lease ID for the resource.", emulator.ECONFLICT},
		{"lease breaking", func(ctx context.Context, s *storage.Store) error {
			id := "44444444-4444-4444-4444-444444444444"
			if _, err := s.PutBlob(ctx, acct, "box", "breaking", strings.NewReader("x"), storage.PutBlobOptions{}); err != nil {
				return err
			}
			if _, err := s.LeaseBlob(ctx, acct, "box", "breaking", storage.LeaseRequest{Action: storage.LeaseAcquire, ProposedID: id, Duration: -1}, none); err != nil {
				return err
			}
			p := 30
			if _, err := s.LeaseBlob(ctx, acct, "box", "breaking", storage.LeaseRequest{Action: storage.LeaseBreak, BreakPeriod: &p}, none); err != nil {
				return err
			}
			var errs []string
			for _, req := range []storage.LeaseRequest{
				{Action: storage.LeaseAcquire, ProposedID: id, Duration: -1},
				{Action: storage.LeaseRenew, ID: id},
				{Action: storage.LeaseChange, ID: id, ProposedID: "55555555-5555-5555-5555-555555555555"},
				{Action: storage.LeaseAcquire, ProposedID: "55555555-5555-5555-5555-555555555555", Duration: -1},
			} {
				_, err := s.LeaseBlob(ctx, acct, "box", "breaking", req, none)
				e, _ := toAPIError(err)
				errs = append(errs, e.Code)
			}
			if got := strings.Join(errs, ","); got != "LeaseIsBreakingAndCannotBeAcquired,LeaseIsBrokenAndCannotBeRenewed,LeaseIsBreakingAndCannotBeChanged,LeaseAlreadyPresent" {
				return &emulator.Error{Code: emulator.EINTERNAL, Message: "breaking lease codes: " + got}
			}
			_, err := s.LeaseBlob(ctx, acct, "box", "breaking", storage.LeaseRequest{Action: storage.LeaseAcquire, ProposedID: id, Duration: -1}, none)
			return err
		}, 409, "LeaseIsBreakingAndCannotBeAcquired", "There is already a breaking lease present.", emulator.ECONFLICT},
		{"lease broken renew", func(ctx context.Context, s *storage.Store) error {
			id := "66666666-6666-6666-6666-666666666666"
			if _, err := s.PutBlob(ctx, acct, "box", "broken", strings.NewReader("x"), storage.PutBlobOptions{}); err != nil {
				return err
			}
			if _, err := s.LeaseBlob(ctx, acct, "box", "broken", storage.LeaseRequest{Action: storage.LeaseAcquire, ProposedID: id, Duration: -1}, none); err != nil {
				return err
			}
			p := 0
			if _, err := s.LeaseBlob(ctx, acct, "box", "broken", storage.LeaseRequest{Action: storage.LeaseBreak, BreakPeriod: &p}, none); err != nil {
				return err
			}
			_, err := s.LeaseBlob(ctx, acct, "box", "broken", storage.LeaseRequest{Action: storage.LeaseRenew, ID: id}, none)
			return err
		}, 409, "LeaseIsBrokenAndCannotBeRenewed", "The lease ID matched, but the lease has been broken explicitly and cannot be renewed.", emulator.ECONFLICT},
		{"lease change while breaking", func(ctx context.Context, s *storage.Store) error {
			_, err := s.LeaseBlob(ctx, acct, "box", "breaking", storage.LeaseRequest{Action: storage.LeaseChange, ID: "44444444-4444-4444-4444-444444444444", ProposedID: "55555555-5555-5555-5555-555555555555"}, none)
			return err
		}, 409, "LeaseIsBreakingAndCannotBeChanged", "The lease ID matched, but the lease is currently in breaking state and cannot be changed.", emulator.ECONFLICT},
		{"blob name empty", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidBlobName("")
		}, 400, "InvalidResourceName", "The specifed resource name contains invalid characters: blob name must be 1 to 1024 characters.", emulator.EINVALID},
		{"blob name utf8", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidBlobName("a\xff")
		}, 400, "InvalidResourceName", `The specifed resource name contains invalid characters: blob name "a\xff" is not valid UTF-8.`, emulator.EINVALID},
		{"blob name control", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidBlobName("a\x01")
		}, 400, "InvalidResourceName", `The specifed resource name contains invalid characters: blob name "a\x01" holds control character U+0001.`, emulator.EINVALID},
		{"blob name segments", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidBlobName(strings.Repeat("a/", storage.MaxBlobNameSegments) + "a")
		}, 400, "InvalidResourceName", "The specifed resource name contains invalid characters: blob name has 255 path segments, at most 254.", emulator.EINVALID},
		{"container name", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidContainerName("A")
		}, 400, "InvalidResourceName", `The specifed resource name contains invalid characters: container "A".`, emulator.EINVALID},
		{"public access", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CreateContainer(ctx, acct, "pub", storage.ContainerOptions{PublicAccess: "all"})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + `x-ms-blob-public-access "all".`, emulator.EINVALID},
		{"too many identifiers", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetContainerACL(ctx, acct, "box", "", make([]storage.SignedIdentifier, 6), none)
			return err
		}, 400, "InvalidXmlDocument", "XML specified is not syntactically valid: at most 5 signed identifiers are allowed.", emulator.EINVALID},
		{"identifier length", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetContainerACL(ctx, acct, "box", "", []storage.SignedIdentifier{{ID: ""}}, none)
			return err
		}, 400, "InvalidXmlDocument", "XML specified is not syntactically valid: signed identifier id must be 1 to 64 characters.", emulator.EINVALID},
		{"metadata name", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetContainerMetadata(ctx, acct, "box", map[string]string{"1x": "v"}, none)
			return err
		}, 400, "InvalidMetadata", "The metadata specified is invalid. It has characters that are not permitted: x-ms-meta-1x.", emulator.EINVALID},
		{"copy source container", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CopyBlob(ctx, storage.CopySource{Account: acct, Container: "nope", Name: "x"}, acct, "box", "dst", storage.CopyOptions{})
			return err
		}, 404, "CannotVerifyCopySource", "The specified container does not exist.", emulator.ENOTFOUND},
		{"copy source blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CopyBlob(ctx, storage.CopySource{Account: acct, Container: "box", Name: "nope"}, acct, "box", "dst", storage.CopyOptions{})
			return err
		}, 404, "CannotVerifyCopySource", "The specified blob does not exist.", emulator.ENOTFOUND},
		{"copy source condition", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CopyBlob(ctx, storage.CopySource{Account: acct, Container: "box", Name: "block", Conditions: storage.Conditions{IfMatch: `"nope"`}}, acct, "box", "dst", storage.CopyOptions{})
			return err
		}, 412, "SourceConditionNotMet", "The source condition specified using HTTP conditional header(s) is not met.", emulator.ECONFLICT},
		{"copy archived", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CopyBlob(ctx, storage.CopySource{Account: acct, Container: "box", Name: "cold"}, acct, "box", "dst", storage.CopyOptions{})
			return err
		}, 409, "BlobArchived", "This operation is not permitted on an archived blob.", emulator.ECONFLICT},
		{"copy tier of a page blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CopyBlob(ctx, storage.CopySource{Account: acct, Container: "box", Name: "page"}, acct, "box", "dst", storage.CopyOptions{AccessTier: storage.TierCool})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-access-tier is only for block blobs.", emulator.EINVALID},
		{"copy onto itself", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CopyBlob(ctx, storage.CopySource{Account: acct, Container: "box", Name: "block"}, acct, "box", "block", storage.CopyOptions{})
			return err
		}, 409, "CannotVerifyCopySource", "The source and destination of a copy must differ.", emulator.ECONFLICT},
		{"put tier of an append blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "tiered", strings.NewReader(""), storage.PutBlobOptions{Type: storage.AppendBlob, AccessTier: storage.TierCool})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-access-tier is only for block blobs.", emulator.EINVALID},
		{"tier name", func(ctx context.Context, s *storage.Store) error {
			_, err := storage.ParseAccessTier("Warm")
			return err
		}, 400, "InvalidHeaderValue", headerFormat + `x-ms-access-tier "Warm" (Hot, Cool, Cold or Archive).`, emulator.EINVALID},
		{"page alignment", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "page", 0, 10, strings.NewReader("x"), storage.PageOptions{})
			return err
		}, 416, "InvalidPageRange", "The page range specified is invalid: bytes=0-10 must start and end on 512-byte page boundaries.", emulator.EINVALID},
		{"page beyond size", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "page", 1024, 1535, bytes.NewReader(make([]byte, 512)), storage.PageOptions{})
			return err
		}, 416, "InvalidPageRange", "The page range specified is invalid: bytes=1024-1535 is beyond the blob's 1024 bytes.", emulator.EINVALID},
		{"page range over 4 MiB", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "page", 0, 8<<20-1, strings.NewReader(""), storage.PageOptions{})
			return err
		}, 416, "InvalidPageRange", "The page range specified is invalid: bytes=0-8388607 is more than 4 MiB.", emulator.EINVALID},
		{"pages of a block blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "block", 0, 511, bytes.NewReader(make([]byte, 512)), storage.PageOptions{})
			return err
		}, 409, "InvalidBlobType", "The blob type is invalid for this operation.", emulator.ECONFLICT},
		{"page body length", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "page", 0, 511, strings.NewReader("x"), storage.PageOptions{})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "Content-Length 1 must equal the range's 512 bytes.", emulator.EINVALID},
		{"page blob size", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "odd", strings.NewReader(""), storage.PutBlobOptions{Type: storage.PageBlob, PageBlobSize: 100})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-blob-content-length 100 must be a multiple of 512 up to 8 TiB.", emulator.EINVALID},
		{"page blob sequence", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutBlob(ctx, acct, "box", "odd", strings.NewReader(""), storage.PutBlobOptions{Type: storage.PageBlob, PageBlobSize: 512, SequenceNumber: -1})
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-blob-sequence-number -1 must be 0 or more.", emulator.EINVALID},
		{"sequence condition", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutPages(ctx, acct, "box", "page", 0, 511, bytes.NewReader(make([]byte, 512)), storage.PageOptions{Sequence: storage.SequenceConditions{EQ: i64(5)}})
			return err
		}, 412, "SequenceNumberConditionNotMet", "The sequence number condition specified was not met.", emulator.ECONFLICT},
		{"previous snapshot", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetPageRanges(ctx, acct, "box", "page", "", "2026-01-01T00:00:00.0000000Z", nil, none)
			return err
		}, 404, "PreviousSnapshotNotFound", "The previous snapshot is not found.", emulator.ENOTFOUND},
		{"sequence number missing", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetPageBlobProperties(ctx, acct, "box", "page", nil, storage.PageBlobProperties{SequenceAction: "max"}, none)
			return err
		}, 400, "MissingRequiredHeader", "An HTTP header that's mandatory for this request is not specified: x-ms-blob-sequence-number.", emulator.EINVALID},
		{"sequence number with increment", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetPageBlobProperties(ctx, acct, "box", "page", nil, storage.PageBlobProperties{SequenceAction: "increment", SequenceNumber: i64(1)}, none)
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-blob-sequence-number must not be sent with x-ms-sequence-number-action: increment.", emulator.EINVALID},
		{"sequence action", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetPageBlobProperties(ctx, acct, "box", "page", nil, storage.PageBlobProperties{SequenceAction: "double"}, none)
			return err
		}, 400, "InvalidHeaderValue", headerFormat + `x-ms-sequence-number-action "double" (max, update or increment).`, emulator.EINVALID},
		{"page properties of a block blob", func(ctx context.Context, s *storage.Store) error {
			_, err := s.SetPageBlobProperties(ctx, acct, "box", "block", nil, storage.PageBlobProperties{Resize: i64(512)}, none)
			return err
		}, 400, "InvalidHeaderValue", headerFormat + "x-ms-blob-content-length and x-ms-sequence-number-action apply to page blobs.", emulator.EINVALID},
		{"delete snapshots value", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteBlob(ctx, acct, "box", "block", "", "some", none)
		}, 400, "InvalidHeaderValue", headerFormat + `x-ms-delete-snapshots "some".`, emulator.EINVALID},
		{"delete snapshots of a snapshot", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteBlob(ctx, acct, "box", "block", "2026-01-01T00:00:00.0000000Z", storage.DeleteSnapshotsInclude, none)
		}, 400, "InvalidQueryParameterValue", queryInvalid + "x-ms-delete-snapshots is not allowed when deleting a snapshot.", emulator.EINVALID},
		{"snapshots present", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteBlob(ctx, acct, "box", "snapped", "", storage.DeleteSnapshotsNone, none)
		}, 409, "SnapshotsPresent", "This operation is not permitted because the blob has snapshots.", emulator.ECONFLICT},
		{"tag key length", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTags(storage.Tags{"": "v"})
		}, 400, "InvalidTag", `The tags specified are invalid. It contains characters that are not permitted: tag key "" must be 1 to 128 characters.`, emulator.EINVALID},
		{"tag key character", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTags(storage.Tags{"a!": "v"})
		}, 400, "InvalidTag", `The tags specified are invalid. It contains characters that are not permitted: tag key "a!" has '!'.`, emulator.EINVALID},
		{"tag value length", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTags(storage.Tags{"k": strings.Repeat("v", 257)})
		}, 400, "InvalidTag", `The tags specified are invalid. It contains characters that are not permitted: tag "k" value must be at most 256 characters.`, emulator.EINVALID},
		{"tag value character", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTags(storage.Tags{"k": "v!"})
		}, 400, "InvalidTag", `The tags specified are invalid. It contains characters that are not permitted: tag "k" value has '!'.`, emulator.EINVALID},
		{"too many tags", func(ctx context.Context, s *storage.Store) error {
			tags := storage.Tags{}
			for i := 0; i < 11; i++ {
				tags[string(rune('a'+i))] = "v"
			}
			return storage.ValidateTags(tags)
		}, 400, "InvalidTag", "The tags specified are invalid. It contains characters that are not permitted: 11 tags, at most 10.", emulator.EINVALID},
		{"tag query without a tag", func(ctx context.Context, s *storage.Store) error {
			expr, err := storage.ParseTagExpr(`@container='box'`, "find")
			if err != nil {
				return err
			}
			_, err = s.FindBlobsByTags(ctx, acct, "", expr, "", 10)
			return err
		}, 400, "InvalidQueryParameterValue", queryInvalid + "where must compare at least one tag.", emulator.EINVALID},
	}
}

func queueTableErrorCases() []storeErrorCase {
	acct := DevAccountName
	return []storeErrorCase{
		{"queue name length", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateQueueName("ab")
		}, 400, "OutOfRangeInput", `The specified resource name length is not within the permissible limits. (queue name "ab": 3 to 63 characters)`, emulator.EINVALID},
		{"queue name character", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateQueueName("abC")
		}, 400, "InvalidResourceName", `The specified resource name contains invalid characters. (queue name "abC" may contain only lowercase letters, digits and hyphens)`, emulator.EINVALID},
		{"queue not found", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutMessage(ctx, acct, "nope", storage.NewMessage{Text: "x"})
			return err
		}, 404, "QueueNotFound", `The specified queue does not exist. (put message: queue "nope")`, emulator.ENOTFOUND},
		{"queue exists", func(ctx context.Context, s *storage.Store) error {
			_, err := s.CreateQueue(ctx, acct, "jobs", map[string]string{"k": "v"})
			return err
		}, 409, "QueueAlreadyExists", `The specified queue already exists. (create queue: queue "jobs")`, emulator.ECONFLICT},
		{"message out of range", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetMessages(ctx, acct, "jobs", 33, time.Minute)
			return err
		}, 400, "OutOfRangeInput", "One of the request inputs is out of range. (number of messages 33 is outside 1 to 32)", emulator.EINVALID},
		{"message not found", func(ctx context.Context, s *storage.Store) error {
			m, err := s.PutMessage(ctx, acct, "jobs", storage.NewMessage{Text: "x"})
			if err != nil {
				return err
			}
			return s.DeleteMessage(ctx, acct, "jobs", "00000000-0000-0000-0000-000000000000", m.PopReceipt)
		}, 404, "MessageNotFound", `The specified message does not exist. (delete message: message "00000000-0000-0000-0000-000000000000")`, emulator.ENOTFOUND},
		{"pop receipt mismatch", func(ctx context.Context, s *storage.Store) error {
			m, err := s.PutMessage(ctx, acct, "jobs", storage.NewMessage{Text: "x"})
			if err != nil {
				return err
			}
			if _, err := s.UpdateMessage(ctx, acct, "jobs", m.ID, m.PopReceipt, time.Minute, nil); err != nil {
				return err
			}
			return s.DeleteMessage(ctx, acct, "jobs", m.ID, m.PopReceipt)
		}, 400, "PopReceiptMismatch", `The specified pop receipt did not match the pop receipt for a dequeued message. (delete message: message "*`, emulator.ECONFLICT},
		{"pop receipt malformed", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteMessage(ctx, acct, "jobs", "00000000-0000-0000-0000-000000000000", "AgAAAAMAAAAAAAAA")
		}, 400, "InvalidInput", `One of the request inputs is not valid. (delete message: pop receipt "AgAAAAMAAAAAAAAA" is malformed)`, emulator.EINVALID},
		{"message too large", func(ctx context.Context, s *storage.Store) error {
			_, err := s.PutMessage(ctx, acct, "jobs", storage.NewMessage{Text: strings.Repeat("x", storage.MaxMessageBytes+1)})
			return err
		}, 413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum permissible limit. (message text is 65537 bytes, the limit is 65536)", emulator.ETOOLARGE},
		{"queue identifiers", func(ctx context.Context, s *storage.Store) error {
			return s.SetQueueACL(ctx, acct, "jobs", make([]storage.SignedIdentifier, 6))
		}, 400, "InvalidXmlDocument", "XML specified is not syntactically valid. (6 signed identifiers, at most 5)", emulator.EINVALID},
		{"table name length", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTableName("ab")
		}, 400, "OutOfRangeInput", `The specified resource name length is not within the permissible limits. ("ab" must be 3 to 63 characters)`, emulator.EINVALID},
		{"table name character", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTableName("a-bc")
		}, 400, "InvalidResourceName", `The specified resource name contains invalid characters. ("a-bc": letters and digits only, starting with a letter)`, emulator.EINVALID},
		{"table name reserved", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTableName("tables")
		}, 400, "InvalidResourceName", `The specified resource name contains invalid characters. ("tables" is reserved)`, emulator.EINVALID},
		{"table not found", func(ctx context.Context, s *storage.Store) error {
			return s.DeleteTable(ctx, acct, "nope")
		}, 404, "TableNotFound", "The table specified does not exist.", emulator.ENOTFOUND},
		{"table exists", func(ctx context.Context, s *storage.Store) error {
			return s.CreateTable(ctx, acct, "things")
		}, 409, "TableAlreadyExists", "The table specified already exists.", emulator.ECONFLICT},
		{"entity not found", func(ctx context.Context, s *storage.Store) error {
			_, err := s.GetEntity(ctx, acct, "things", "p", "nope")
			return err
		}, 404, "ResourceNotFound", "The specified resource does not exist.", emulator.ENOTFOUND},
		{"entity to update not found", func(ctx context.Context, s *storage.Store) error {
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpReplace, IfMatch: "*", Entity: storage.TableEntity{PartitionKey: "p", RowKey: "nope"}})
			return err
		}, 404, "ResourceNotFound", "The specified resource does not exist.", emulator.ENOTFOUND},
		{"entity exists", func(ctx context.Context, s *storage.Store) error {
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpInsert, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "r"}})
			return err
		}, 409, "EntityAlreadyExists", "The specified entity already exists.", emulator.ECONFLICT},
		{"update condition", func(ctx context.Context, s *storage.Store) error {
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpReplace, IfMatch: `W/"datetime'2000-01-01T00%3A00%3A00Z'"`, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "r"}})
			return err
		}, 412, "UpdateConditionNotSatisfied", "The update condition specified in the request was not satisfied.", emulator.ECONFLICT},
		{"too many properties", func(ctx context.Context, s *storage.Store) error {
			props := make([]storage.TableProperty, storage.MaxTableProperties)
			for i := range props {
				props[i] = storage.TableProperty{Name: "p" + strings.Repeat("x", i), Type: odata.String, Value: "v"}
			}
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpInsertOrReplace, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "many", Properties: props}})
			return err
		}, 400, "TooManyProperties", "The entity contains more properties than allowed. (258 properties including PartitionKey, RowKey and Timestamp, limit 255)", emulator.EINVALID},
		{"duplicate property", func(ctx context.Context, s *storage.Store) error {
			props := []storage.TableProperty{{Name: "a", Type: odata.String, Value: "v"}, {Name: "a", Type: odata.String, Value: "w"}}
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpInsertOrReplace, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "dup", Properties: props}})
			return err
		}, 400, "DuplicatePropertiesSpecified", "A property is specified more than one time. (a)", emulator.EINVALID},
		{"property too large", func(ctx context.Context, s *storage.Store) error {
			props := []storage.TableProperty{{Name: "a", Type: odata.String, Value: strings.Repeat("v", 40000)}}
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpInsertOrReplace, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "big", Properties: props}})
			return err
		}, 400, "PropertyValueTooLarge", "The property value exceeds the maximum allowed size (64KB). (a is 80004 bytes)", emulator.EINVALID},
		{"entity too large", func(ctx context.Context, s *storage.Store) error {
			var props []storage.TableProperty
			for i := 0; i < 20; i++ {
				props = append(props, storage.TableProperty{Name: "p" + strings.Repeat("x", i), Type: odata.String, Value: strings.Repeat("v", 30000)})
			}
			_, err := s.WriteEntity(ctx, acct, "things", storage.TableOp{Kind: storage.OpInsertOrReplace, Entity: storage.TableEntity{PartitionKey: "p", RowKey: "huge", Properties: props}})
			return err
		}, 400, "EntityTooLarge", "The entity is larger than the maximum allowed size (1MB). (1200674 bytes)", emulator.EINVALID},
		{"key too large", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTableKey("RowKey", strings.Repeat("k", 1025))
		}, 400, "KeyValueTooLarge", "The size of the key value exceeds the maximum allowed size (1KB). (RowKey is 1025 bytes)", emulator.EINVALID},
		{"key character", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidateTableKey("PartitionKey", "a/b")
		}, 400, "InvalidInput", `The PartitionKey "a/b" contains the character '/', which keys cannot hold.`, emulator.EINVALID},
		{"property name length", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidatePropertyName(strings.Repeat("n", 256))
		}, 400, "PropertyNameTooLong", "The property name exceeds the maximum allowed length (255). (" + strings.Repeat("n", 40) + "…)", emulator.EINVALID},
		{"property name character", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidatePropertyName("a-b")
		}, 400, "PropertyNameInvalid", `The property name is invalid. ("a-b")`, emulator.EINVALID},
		{"property name reserved", func(ctx context.Context, s *storage.Store) error {
			return storage.ValidatePropertyName("Timestamp")
		}, 400, "PropertyNameInvalid", "The property name is invalid. (Timestamp is a system property)", emulator.EINVALID},
	}
}

// TestStoreErrorsMapToAzure fixes, for every error the store produces, the
// status, x-ms-error-code and message clients get, and the kind code
// outside the REST layer sees. A message ending in "*" is a prefix (the
// rest holds a random id).
func TestStoreErrorsMapToAzure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTestStore(t, "memory", newFakeClock())
	errStoreFixture(t, ctx, s)
	for _, tc := range append(blobErrorCases(), queueTableErrorCases()...) {
		err := tc.provoke(ctx, s)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		e, known := toAPIError(err)
		if !known || e.Status != tc.status || e.Code != tc.code {
			t.Errorf("%s: %d %s (known %v), want %d %s; err %v", tc.name, e.Status, e.Code, known, tc.status, tc.code, err)
			continue
		}
		if want, prefix := strings.CutSuffix(tc.message, "*"); e.Message != tc.message && !(prefix && strings.HasPrefix(e.Message, want)) {
			t.Errorf("%s: message\n  %q\nwant\n  %q", tc.name, e.Message, tc.message)
		}
		if k := emulator.ErrorCode(err); k != tc.kind {
			t.Errorf("%s: kind %s, want %s", tc.name, k, tc.kind)
		}
	}
}

// An error nobody mapped answers 500 InternalError with Azure's fixed
// words, never the error's own text (paths, SQL, ids).
func TestUnknownErrorIsInternalWithoutDetail(t *testing.T) {
	t.Parallel()
	for _, err := range []error{
		errors.New("open /secret/storage.db: disk I/O error"),
		fmt.Errorf("put block: %w", errors.New("sqlite: SELECT secret FROM blobs")),
	} {
		e, known := toAPIError(err)
		if known || e.Status != 500 || e.Code != "InternalError" ||
			e.Message != "Server encountered an internal error. Please try again after some time." ||
			strings.Contains(e.Message, "secret") {
			t.Errorf("%v -> %d %s %q (known %v)", err, e.Status, e.Code, e.Message, known)
		}
	}
}
